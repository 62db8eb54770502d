import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
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
  // Without a pom the plugin writes its marker files under a literal `${project.basedir}/` in the working
  // directory: Maven runs in a scratch folder, removed afterwards, so that they land nowhere in the checkout and
  // never make a later fetch skip the unpacking.
  const scratch = `${layout.appDir}.maven`;
  for (const dir of [partial, scratch]) rmSync(dir, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  try {
    execFileSync(
      'mvn',
      ['-q', '-B', '-Dstyle.color=never', UNPACK_GOAL, `-Dartifact=io.apicurio:apicurio-registry-app:${layout.version}:tar.gz:all`, `-DoutputDirectory=${partial}`],
      { stdio: 'pipe', encoding: 'utf8', cwd: scratch },
    );
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`Maven could not fetch Apicurio Registry ${layout.version}:\n${stdout ?? ''}${stderr ?? ''}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  rmSync(layout.appDir, { recursive: true, force: true });
  renameSync(partial, layout.appDir);
  if (!existsSync(layout.runnerJar)) throw new Error(`Maven finished but ${layout.runnerJar} is missing`);
}
