import { mkdirSync, writeFileSync } from 'node:fs';
import { log4j2FileConfig } from '../kafka/broker-config.js';
import { DEMO, type CdcLayout } from './cdc-layout.js';

/** What a Debezium Postgres connector captures, and where it writes. */
export interface CaptureSettings {
  readonly name: string;
  /** How Connect reaches Postgres: 127.0.0.1 for the script's stack, the service name under Docker Compose. */
  readonly pgHost?: string;
  readonly pgPort: number;
  readonly database: string;
  /** Topics are `<topicPrefix>.<schema>.<table>`. */
  readonly topicPrefix: string;
  /** Replication slot and publication name: one per connector (a slot has one reader at a time). */
  readonly slot: string;
  /** `schema.table` names; every table of the database when absent (a publication FOR ALL TABLES). */
  readonly tables?: readonly string[];
  /** JSON envelopes with their Connect schema (`{schema, payload}`); plain payloads by default. */
  readonly schemasEnabled?: boolean;
}

/**
 * The connector's configuration. The settings that matter: `pgoutput` (built into Postgres), the broker's
 * `auto.create.topics.enable=false` (so the connector creates its topics, KIP-158), `numeric` as strings (not
 * base64 bytes), and a short poll interval (commit-to-topic latency falls from ~500 ms to ~200 ms).
 */
export function connectorConfig(settings: CaptureSettings): Record<string, string> {
  const schemas = String(settings.schemasEnabled === true);
  return {
    'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
    'tasks.max': '1',
    'plugin.name': 'pgoutput',
    'database.hostname': settings.pgHost ?? '127.0.0.1',
    'database.port': String(settings.pgPort),
    'database.user': 'postgres',
    'database.password': 'postgres',
    'database.dbname': settings.database,
    'topic.prefix': settings.topicPrefix,
    ...(settings.tables === undefined
      ? { 'publication.autocreate.mode': 'all_tables' }
      : { 'publication.autocreate.mode': 'filtered', 'table.include.list': settings.tables.join(',') }),
    'slot.name': settings.slot,
    'publication.name': settings.slot,
    'snapshot.mode': 'initial',
    'decimal.handling.mode': 'string',
    'poll.interval.ms': '50',
    'topic.creation.default.replication.factor': '1',
    'topic.creation.default.partitions': '1',
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'key.converter.schemas.enable': schemas,
    'value.converter.schemas.enable': schemas,
  };
}

export function demoCapture(pgPort: number): CaptureSettings {
  return { name: DEMO.connector, pgPort, database: DEMO.database, topicPrefix: DEMO.topicPrefix, slot: DEMO.slot };
}

const properties = (entries: Record<string, string>) =>
  Object.entries(entries)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n') + '\n';

/**
 * A standalone worker: offsets in a file next to the Postgres data (the two belong together: a new cluster with
 * old offsets makes Debezium resume at an LSN that does not exist), plugins found by their ServiceLoader manifests
 * (a classpath scan of every plugin jar takes seconds longer).
 */
export function writeConnectConfig(layout: CdcLayout, brokers: string, restPort: number, pgPort: number): void {
  mkdirSync(layout.connectDir, { recursive: true });
  writeFileSync(
    layout.workerProperties,
    properties({
      'bootstrap.servers': brokers,
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable': 'false',
      'value.converter.schemas.enable': 'false',
      'offset.storage.file.filename': layout.offsetsFile,
      'offset.flush.interval.ms': '1000',
      'plugin.path': layout.pluginsDir,
      'plugin.discovery': 'service_load',
      listeners: `http://127.0.0.1:${restPort}`,
    }),
  );
  const demo = demoCapture(pgPort);
  writeFileSync(layout.connectorProperties, properties({ name: demo.name, ...connectorConfig(demo) }));
  writeFileSync(layout.loggingConfig, log4j2FileConfig(layout.connectLog));
}
