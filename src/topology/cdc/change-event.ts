import { SerdeError } from '../../core/errors.js';

/** Debezium's operations on a row: create, read (a snapshot row), update, delete, and truncate of a whole table. */
export type ChangeOperation = 'c' | 'r' | 'u' | 'd' | 't';

const OPERATIONS: ReadonlySet<string> = new Set<ChangeOperation>(['c', 'r', 'u', 'd', 't']);

/**
 * Where a change came from, as Debezium wrote it (`source`): the connector's own fields, of which kstreams reads
 * `ts_ms` (when the database committed the change, or read the snapshot row) and, for Postgres, `lsn` (the change's
 * position in the write-ahead log). Other connectors add their own fields; all are kept.
 */
export interface ChangeSource {
  readonly ts_ms?: number;
  /** Postgres: the WAL position of the change; a number in JSON, a number or bigint from Avro. */
  readonly lsn?: number | bigint | string | null;
  /** `'true'`, `'first'`, `'last'`, … during a snapshot, `'false'` while streaming. */
  readonly snapshot?: string | boolean;
  readonly [field: string]: unknown;
}

/** One Debezium change event of a row whose columns are `V`. */
export interface ChangeEvent<V> {
  readonly op: ChangeOperation;
  /** The row before the change: `null` for creates and snapshot reads (and, without REPLICA IDENTITY FULL, updates). */
  readonly before: V | null;
  /** The row after the change: `null` for deletes. */
  readonly after: V | null;
  readonly source: ChangeSource;
  /** When the connector processed the change (the envelope's `ts_ms`); `null` when the envelope has none. */
  readonly tsMs: number | null;
}

const isObject = (value: unknown): value is { readonly [field: string]: unknown } =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);

/**
 * The payload of a JSON converter's output with `schemas.enable=true` (`{schema, payload}`); anything else is
 * returned as it is. A plain envelope always has `op`, and a plain key is the row's key columns, so only a key of
 * columns named exactly `schema` and `payload` would be misread (pass `schemas: false` to the serde for that).
 */
export function withoutConnectSchema(value: unknown): unknown {
  if (!isObject(value)) return value;
  const fields = Object.keys(value);
  return fields.length === 2 && 'schema' in value && 'payload' in value ? value.payload : value;
}

function rowOf(envelope: { readonly [field: string]: unknown }, field: 'before' | 'after'): unknown {
  const row = envelope[field];
  if (row === null || row === undefined) return null;
  if (!isObject(row)) throw new SerdeError(`Debezium envelope: "${field}" is not an object or null`);
  return row;
}

/** Reads a decoded Debezium envelope, checking the fields kstreams relies on; a malformed one is a `SerdeError`. */
export function changeEventOf<V>(envelope: unknown): ChangeEvent<V> {
  if (!isObject(envelope)) throw new SerdeError('Debezium envelope: the value is not an object');
  const { op, source, ts_ms: tsMs } = envelope;
  if (typeof op !== 'string' || !OPERATIONS.has(op)) {
    throw new SerdeError(`Debezium envelope: "op" is ${JSON.stringify(op)}, not one of c, r, u, d, t (is this a Debezium row topic?)`);
  }
  if (!isObject(source)) throw new SerdeError('Debezium envelope: "source" is missing');
  const before = rowOf(envelope, 'before') as V | null;
  const after = rowOf(envelope, 'after') as V | null;
  if ((op === 'c' || op === 'r' || op === 'u') && after === null) throw new SerdeError(`Debezium envelope: op "${op}" without "after"`);
  const time = typeof tsMs === 'bigint' ? Number(tsMs) : tsMs;
  return { op: op as ChangeOperation, before, after, source: source as ChangeSource, tsMs: typeof time === 'number' ? time : null };
}

/** The envelope for writing an event out again (without a Connect schema). */
export function envelopeOf<V>(event: ChangeEvent<V>): { readonly [field: string]: unknown } {
  return { before: event.before, after: event.after, source: event.source, op: event.op, ts_ms: event.tsMs };
}
