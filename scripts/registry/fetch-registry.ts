import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RegistryLayout } from './registry-layout.js';

/** Pinned so that a Maven upgrade cannot change how the archive is fetched and unpacked. */
const UNPACK_GOAL = 'org.apache.maven.plugins:maven-dependency-plugin:3.6.1:unpack';

/**
 * Fetches Apicurio Registry's runnable application (the `all` archive of `apicurio-registry-app`, 142 MB) from Maven
 * Central and unpacks it once; later starts reuse it. It is unpacked beside its final folder and renamed into place,
 * so that an interrupted fetch never leaves a half-filled folder that looks complete.
 */
export function fetchRegistry(layout: RegistryLayout, log: (msg: string) => void): void {
  if (existsSync(layout.runnerJar)) return;
  log(`fetching Apicurio Registry ${layout.version} from Maven Central into ${layout.appDir}`);
  const partial = `${layout.appDir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(dirname(layout.appDir), { recursive: true });
  try {
    execFileSync(
      'mvn',
      ['-q', '-B', '-Dstyle.color=never', UNPACK_GOAL, `-Dartifact=io.apicurio:apicurio-registry-app:${layout.version}:tar.gz:all`, `-DoutputDirectory=${partial}`],
      { stdio: 'pipe', encoding: 'utf8' },
    );
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`Maven could not fetch Apicurio Registry ${layout.version}:\n${stdout ?? ''}${stderr ?? ''}`);
  }
  rmSync(layout.appDir, { recursive: true, force: true });
  renameSync(partial, layout.appDir);
  if (!existsSync(layout.runnerJar)) throw new Error(`Maven finished but ${layout.runnerJar} is missing`);
}
