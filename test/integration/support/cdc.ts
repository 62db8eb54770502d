import { execFileSync } from 'node:child_process';
import { connectorConfig, type CaptureSettings } from '../../../scripts/cdc/connect-config.js';
import { eventually } from './broker.js';

/**
 * The Postgres + Kafka Connect (Debezium) stack under test: `PG_URL` and `CDC_CONNECT_URL`, which
 * `npm run test:integration` sets (starting `npm run cdc:start`'s stack when they are not set). Connect reaches
 * Postgres at `CDC_DATABASE_HOST` when given (the service name under Docker Compose), else at PG_URL's host.
 */
export function cdcStack(): { pgUrl: URL; connectUrl: string; databaseHost: string } {
  const pgUrl = process.env.PG_URL;
  const connectUrl = process.env.CDC_CONNECT_URL;
  if (!pgUrl || !connectUrl) {
    throw new Error('PG_URL and CDC_CONNECT_URL are not set: run CDC tests with `npm run test:integration`, which starts `npm run cdc:start`');
  }
  const url = new URL(pgUrl);
  return { pgUrl: url, connectUrl, databaseHost: process.env.CDC_DATABASE_HOST ?? url.hostname };
}

/** Runs SQL in `database` with psql over TCP (a client that shares nothing with kstreams); `-At`: bare rows. */
export function sql(database: string, statement: string): string {
  const url = new URL(cdcStack().pgUrl);
  url.pathname = `/${database}`;
  return execFileSync('psql', [url.toString(), '-v', 'ON_ERROR_STOP=1', '-At', '-c', statement], { encoding: 'utf8', stdio: 'pipe' }).trim();
}

/**
 * The table's rows as Postgres holds them, as JSON objects ordered by `id`; the `textColumns` (numerics, which
 * Debezium writes as strings with `decimal.handling.mode=string`) as text.
 */
export function rowsOf(database: string, table: string, textColumns: readonly string[] = []): Array<{ readonly [column: string]: unknown }> {
  const asText = textColumns.map((c) => `'${c}', t.${c}::text`).join(', ');
  const row = textColumns.length === 0 ? 'to_jsonb(t)' : `to_jsonb(t) || jsonb_build_object(${asText})`;
  return JSON.parse(sql(database, `select coalesce(jsonb_agg(${row} order by t.id), '[]') from ${table} t`)) as Array<{ readonly [column: string]: unknown }>;
}

async function connect(path: string, init: RequestInit = {}): Promise<unknown> {
  const response = await fetch(`${cdcStack().connectUrl}${path}`, { ...init, headers: { 'content-type': 'application/json' } });
  const text = await response.text();
  if (!response.ok) throw new Error(`Kafka Connect ${init.method ?? 'GET'} ${path}: ${response.status} ${text}`);
  return text === '' ? null : (JSON.parse(text) as unknown);
}

function slotActive(slot: string): boolean {
  return sql('postgres', `select count(*) from pg_replication_slots where slot_name = '${slot}' and active`) === '1';
}

/** A Debezium connector of the test's own (own slot, publication and topic prefix), registered over Connect's REST API. */
export async function startConnector(settings: Omit<CaptureSettings, 'pgPort' | 'pgHost'>): Promise<void> {
  const { pgUrl, databaseHost } = cdcStack();
  const config = connectorConfig({ ...settings, pgHost: databaseHost, pgPort: Number(pgUrl.port || 5432) });
  await connect('/connectors', { method: 'POST', body: JSON.stringify({ name: settings.name, config }) });
  await eventually(`connector ${settings.name} streaming (slot ${settings.slot} active)`, () => slotActive(settings.slot), 90_000);
}

/** Stops the connector (KIP-875: its task ends and the slot is released), so that changes pile up in the slot. */
export async function stopConnector(name: string, slot: string): Promise<void> {
  await connect(`/connectors/${name}/stop`, { method: 'PUT' });
  await eventually(`connector ${name} stopped (slot ${slot} inactive)`, () => !slotActive(slot), 30_000);
}

/** Starts a stopped connector again: it resumes from its stored offset and the slot. */
export async function resumeConnector(name: string, slot: string): Promise<void> {
  await connect(`/connectors/${name}/resume`, { method: 'PUT' });
  await eventually(`connector ${name} streaming again (slot ${slot} active)`, () => slotActive(slot), 90_000);
}

/** Forgets a stopped connector's offsets (KIP-875): resumed, it snapshots every row again, at a later position. */
export async function resetConnectorOffsets(name: string): Promise<void> {
  await connect(`/connectors/${name}/offsets`, { method: 'DELETE' });
}

/** Removes the connector, its slot and its database. */
export async function removeCapture(name: string, slot: string, database: string): Promise<void> {
  await connect(`/connectors/${name}`, { method: 'DELETE' }).catch(() => undefined);
  await eventually(`slot ${slot} released`, () => !slotActive(slot), 30_000).catch(() => undefined);
  sql('postgres', `select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = '${slot}'`);
  sql('postgres', `drop database if exists ${database}`);
}
