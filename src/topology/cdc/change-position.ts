import type { ChangeEvent } from './change-event.js';

/**
 * Where a change stands in its source's order: a number that grows with every change of a row (for Postgres the
 * change's WAL position, `source.lsn`), or `null` when the event has none (it is then applied unguarded).
 */
export type ChangePositionOf<V> = (event: ChangeEvent<V>) => bigint | null;

/** Postgres: `source.lsn`, which Debezium writes as a number (JSON) or a long (Avro: number or bigint). */
export function postgresLsn<V>(event: ChangeEvent<V>): bigint | null {
  const lsn = event.source.lsn;
  if (typeof lsn === 'bigint') return lsn;
  if (typeof lsn === 'number' && Number.isSafeInteger(lsn)) return BigInt(lsn);
  if (typeof lsn === 'string' && /^\d+$/.test(lsn)) return BigInt(lsn);
  return null;
}

/**
 * The last positions applied for one key, kept apart for snapshot reads and streamed changes, as decimal strings
 * (JSON has no 64-bit integers).
 *
 * They are kept apart because a streamed change may sit *before* the snapshot's position in the log and still be
 * newer than the snapshot row: a transaction that wrote the row before the replication slot's consistent point but
 * committed after it is not in the snapshot, yet is streamed with its earlier LSN (recorded: docs/cdc.md). Every
 * streamed change is one the snapshot did not see, so a snapshot position never blocks a streamed change; snapshot
 * reads are ordered among themselves (a snapshot done again after a restart reads at a later position) and against
 * streamed changes (a new snapshot supersedes what was streamed before it).
 */
export interface AppliedPositions {
  readonly snapshot?: string;
  readonly streaming?: string;
}

const below = (applied: string | undefined, position: bigint) => applied === undefined || BigInt(applied) < position;

/** Whether an event at `position` is newer than everything applied for its key; equal is a duplicate, not newer. */
export function isNewer(applied: AppliedPositions | null, snapshotRead: boolean, position: bigint): boolean {
  if (applied === null) return true;
  if (!snapshotRead) return below(applied.streaming, position);
  return below(applied.streaming, position) && below(applied.snapshot, position);
}

export function withApplied(applied: AppliedPositions | null, snapshotRead: boolean, position: bigint): AppliedPositions {
  return snapshotRead ? { ...applied, snapshot: String(position) } : { ...applied, streaming: String(position) };
}
