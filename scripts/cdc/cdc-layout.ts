import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const CONNECT_VERSION = '4.1.2';
export const DEBEZIUM_VERSION = '3.6.1.Final';

/** The database, topic prefix, slot and publication of the connector the script registers itself. */
export const DEMO = { database: 'demo', topicPrefix: 'cdc', slot: 'kstreams_cdc', connector: 'kstreams-cdc-demo' } as const;

/**
 * Where the CDC stack keeps its files. Jars are cached under the checkout's git-ignored `.kafka/` (shared with the
 * broker's, and resolved, so worktrees whose `.kafka` links to another checkout's share the download). Postgres'
 * data lives under /tmp instead: the `postgres` user must reach it, and a checkout under /root is closed to it. The
 * folder is keyed by the checkout's path, so two checkouts run two stacks.
 */
export function cdcLayout(root = resolve(import.meta.dirname, '..', '..')) {
  const kafkaDir = existsSync(join(root, '.kafka')) ? realpathSync(join(root, '.kafka')) : join(root, '.kafka');
  const stateDir = join(tmpdir(), `kstreams-cdc-${createHash('sha256').update(resolve(root)).digest('hex').slice(0, 8)}`);
  return {
    root,
    connectJarsDir: join(kafkaDir, 'connect', CONNECT_VERSION),
    connectMavenDir: join(kafkaDir, 'maven', `connect-${CONNECT_VERSION}`),
    pluginsDir: join(kafkaDir, 'connect-plugins'),
    debeziumDir: join(kafkaDir, 'connect-plugins', 'debezium-connector-postgres'),
    stateDir,
    pgDir: join(stateDir, 'pg'),
    pgDataDir: join(stateDir, 'pg', 'data'),
    pgLog: join(stateDir, 'pg', 'postgres.log'),
    connectDir: join(stateDir, 'connect'),
    workerProperties: join(stateDir, 'connect', 'worker.properties'),
    connectorProperties: join(stateDir, 'connect', `${DEMO.connector}.properties`),
    offsetsFile: join(stateDir, 'connect', 'connect.offsets'),
    loggingConfig: join(stateDir, 'connect', 'log4j2.properties'),
    connectLog: join(stateDir, 'connect', 'connect.log'),
    connectOut: join(stateDir, 'connect', 'connect.out'),
    /** Written once the stack is streaming: pids, ports and URLs. */
    stateFile: join(stateDir, 'cdc.json'),
  };
}

export type CdcLayout = ReturnType<typeof cdcLayout>;
