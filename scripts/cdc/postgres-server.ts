import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CdcLayout } from './cdc-layout.js';

const INSTALL = 'apt-get install -y postgresql';

const isRoot = () => process.getuid?.() === 0;

/** The newest `/usr/lib/postgresql/<major>/bin` holding initdb (Debian keeps the server binaries off the PATH). */
function findServerBin(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const majors = readdirSync(base)
    .filter((major) => existsSync(join(base, major, 'bin', 'initdb')))
    .sort((a, b) => Number(a) - Number(b));
  return majors.length === 0 ? null : join(base, majors.at(-1)!, 'bin');
}

/**
 * Debian's PostgreSQL server, installed with apt when it is missing and this runs as root (the package's own
 * `main` cluster is not created: the stack runs a cluster of its own). Without root it fails with the command.
 */
export function postgresServerBin(log: (message: string) => void): string {
  const found = findServerBin();
  if (found !== null) return found;
  if (!isRoot()) throw new Error(`PostgreSQL is not installed: run \`${INSTALL}\` (as root), then start again`);
  log(`PostgreSQL is missing: running \`${INSTALL}\``);
  mkdirSync('/etc/postgresql-common/createcluster.d', { recursive: true });
  appendFileSync('/etc/postgresql-common/createcluster.d/kstreams.conf', 'create_main_cluster = false\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', 'postgresql']]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0) throw new Error(`\`apt-get ${args.join(' ')}\` failed (exit ${result.status}); install PostgreSQL yourself: \`${INSTALL}\``);
  }
  const installed = findServerBin();
  if (installed === null) throw new Error(`\`${INSTALL}\` finished but no initdb is under /usr/lib/postgresql/*/bin`);
  return installed;
}

/**
 * Runs a server binary as the `postgres` user when this is root (initdb and postgres refuse to run as root),
 * as the current user otherwise.
 */
function asPostgres(bin: string, tool: string, args: string[]): string {
  const [command, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
  try {
    return execFileSync(command, argv, { stdio: 'pipe', encoding: 'utf8' });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${tool} ${args[0] ?? ''} failed: ${(stdout ?? '') + (stderr ?? '')}`.trim());
  }
}

/** Settings that matter for Debezium (logical decoding) and for a fast throw-away cluster (no fsync). */
function serverSettings(layout: CdcLayout, port: number): string {
  return [
    "listen_addresses = '127.0.0.1'",
    `port = ${port}`,
    `unix_socket_directories = '${layout.pgDir}'`,
    'wal_level = logical',
    'max_wal_senders = 20',
    'max_replication_slots = 20',
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    'shared_buffers = 32MB',
    '',
  ].join('\n');
}

/** initdb into the state folder (trusting local connections, which is all Debezium needs) and its settings. */
export function initCluster(bin: string, layout: CdcLayout, port: number): void {
  // The state folder stays open to the postgres user; the cluster's own folder is its alone.
  mkdirSync(layout.stateDir, { recursive: true, mode: 0o755 });
  mkdirSync(layout.pgDir, { mode: 0o700 });
  if (isRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(layout.pgDir, uid, gid);
  }
  asPostgres(bin, 'initdb', ['-D', layout.pgDataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  // Appending keeps the file's owner (postgres), which the server insists on.
  appendFileSync(join(layout.pgDataDir, 'postgresql.conf'), serverSettings(layout, port));
}

export function startCluster(bin: string, layout: CdcLayout): void {
  asPostgres(bin, 'pg_ctl', ['-D', layout.pgDataDir, '-l', layout.pgLog, '-w', '-t', '60', 'start']);
}

/** True when the cluster in the state folder runs (`pg_ctl status` exits 0). */
export function clusterRuns(layout: CdcLayout): boolean {
  const bin = findServerBin();
  if (bin === null || !existsSync(layout.pgDataDir)) return false;
  try {
    asPostgres(bin, 'pg_ctl', ['-D', layout.pgDataDir, 'status']);
    return true;
  } catch {
    return false;
  }
}

export function stopCluster(layout: CdcLayout): boolean {
  const bin = findServerBin();
  if (bin === null || !clusterRuns(layout)) return false;
  asPostgres(bin, 'pg_ctl', ['-D', layout.pgDataDir, '-m', 'fast', '-w', '-t', '30', 'stop']);
  return true;
}

/** Runs SQL through psql over TCP; `-At` prints bare rows, one per line. */
export function psql(port: number, database: string, sql: string): string {
  try {
    return execFileSync('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-At', '-c', sql], {
      stdio: 'pipe',
      encoding: 'utf8',
    }).trim();
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`psql on ${database} failed: ${stderr?.trim() ?? String(error)}`);
  }
}
