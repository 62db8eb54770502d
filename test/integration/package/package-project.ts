import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the package under test. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The environment for npm in the temporary project. Under `npm test` npm exports the outer project to its scripts
 * (`npm_config_local_prefix` above all): an inner `npm install` would install into this repository instead.
 */
const ENV = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) => !/^npm_(config_local_prefix|config_call|package_|lifecycle_|command$)/.test(name) && name !== 'INIT_CWD',
  ),
);

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end (two minutes at most); `run(…).ok()` asserts it exited 0, showing its output if not. */
export function run(command: string, args: readonly string[], cwd: string): RunResult & { ok(): string } {
  const result = spawnSync(command, args, { cwd, env: ENV, encoding: 'utf8', timeout: 120_000 });
  const status = result.status;
  const report = () => `${command} ${args.join(' ')} exited with ${status ?? result.signal ?? result.error?.message}:\n${result.stdout}\n${result.stderr}`;
  return {
    status,
    stdout: result.stdout,
    stderr: result.stderr,
    ok() {
      assert.equal(status, 0, report());
      return result.stdout;
    },
  };
}

/** `npm pack` of the repository (its `prepack` builds it) into `destination`; returns the tarball's path. */
export function packRepository(destination: string): string {
  mkdirSync(destination, { recursive: true });
  run('npm', ['pack', '--pack-destination', destination], ROOT).ok();
  const tarballs = readdirSync(destination).filter((name) => name.endsWith('.tgz'));
  assert.equal(tarballs.length, 1, `npm pack left ${tarballs.join(', ') || 'no tarball'}`);
  return join(destination, tarballs[0]!);
}

/** The files in a tarball, without npm's `package/` prefix. */
export function tarballFiles(tarball: string): string[] {
  return run('tar', ['-tzf', tarball], dirname(tarball))
    .ok()
    .split('\n')
    .filter((line) => line.length > 0 && !line.endsWith('/'))
    .map((line) => line.replace(/^package\//, ''))
    .sort();
}

/** The version our package-lock.json pins for `name`, so that npm finds it in the cache `npm ci` filled. */
export function lockedVersion(name: string): string {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  const version = lock.packages[`node_modules/${name}`]?.version;
  assert.ok(version, `package-lock.json pins no ${name}`);
  return version;
}

/**
 * A fresh project (`npm init -y`, `"type": "module"`) with the tarball installed, plus TypeScript and the Node
 * types for the type check.
 *
 * better-sqlite3's install script would download a prebuilt binary from GitHub, or, offline, compile SQLite for
 * minutes. The project therefore installs without scripts (kstreams and the tools have none) and pins
 * better-sqlite3 to our locked version, whose binary, built for this Node, it copies from our node_modules.
 */
export function createProject(directory: string, tarball: string): void {
  mkdirSync(directory, { recursive: true });
  run('npm', ['init', '-y'], directory).ok();
  const manifestPath = join(directory, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
  const sqliteVersion = lockedVersion('better-sqlite3');
  writeFileSync(manifestPath, JSON.stringify({ ...manifest, type: 'module', overrides: { 'better-sqlite3': sqliteVersion } }, null, 2));
  const tools = [`typescript@${lockedVersion('typescript')}`, `@types/node@${lockedVersion('@types/node')}`];
  run('npm', ['install', tarball, ...tools, '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], directory).ok();

  const binary = join('build', 'Release', 'better_sqlite3.node');
  const ours = dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json'));
  const theirs = join(directory, 'node_modules', 'better-sqlite3');
  const installed = JSON.parse(readFileSync(join(theirs, 'package.json'), 'utf8')) as { version: string };
  assert.equal(installed.version, sqliteVersion, 'the project must run the better-sqlite3 whose binary it borrows');
  mkdirSync(join(theirs, 'build', 'Release'), { recursive: true });
  copyFileSync(join(ours, binary), join(theirs, binary));
}
