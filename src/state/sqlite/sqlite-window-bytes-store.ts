import type Database from 'better-sqlite3';
import { StateError } from '../../core/errors.js';
import type { ChangelogRecord } from '../changelog.js';
import type { KeyValue } from '../key-value.js';
import type { KeyValueIterator } from '../key-value-iterator.js';
import { OpenIterators } from '../open-iterators.js';
import type { StateStoreContext } from '../state-store.js';
import { restoreWindowRecords, WindowRetention } from '../window-bytes-store.js';
import type { WindowBytesStore, WindowedBytes } from '../window-bytes-store.js';
import type { TaskDatabase } from './task-database.js';

type Statement<Parameters extends unknown[], Result = unknown> = Database.Statement<Parameters, Result>;

interface WindowStatements {
  readonly get: Statement<[Buffer, number], Buffer>;
  readonly upsert: Statement<[Buffer, number, Buffer]>;
  readonly delete: Statement<[Buffer, number]>;
  readonly fetchRange: Statement<[Buffer, number, number], [number, Buffer]>;
  readonly fetchRangeReverse: Statement<[Buffer, number, number], [number, Buffer]>;
  readonly fetchAll: Statement<[number, number], [Buffer, number, Buffer]>;
  readonly deleteBefore: Statement<[number]>;
  readonly latestStart: Statement<[], number | null>;
}

/** Kafka Streams' default segment interval: half the retention, at least a minute. */
const MIN_SEGMENT_INTERVAL_MS = 60_000;

/**
 * A window store in one table of the task's SQLite database, keyed by (key bytes, window start): point reads and
 * one key's time range use the primary key, and an index on (start, key) serves time ranges over all keys and
 * expiry. Expired windows are deleted a segment at a time — whenever the retention boundary enters a new segment
 * interval — rather than on every write; reads filter by the exact boundary, so results never depend on it.
 *
 * Range reads return the rows they match at once (bounded by the time range), so no SQLite cursor stays open
 * while the caller writes.
 */
export class SqliteWindowBytesStore implements WindowBytesStore {
  readonly persistent = true;
  private readonly retention: WindowRetention;
  private readonly segmentIntervalMs: number;
  private readonly openIterators: OpenIterators;
  private database: TaskDatabase | null = null;
  private statements: WindowStatements | null = null;
  private expiredUpToSegment = Number.NEGATIVE_INFINITY;

  constructor(
    readonly name: string,
    readonly retentionMs: number,
    readonly windowSizeMs: number,
  ) {
    this.retention = new WindowRetention(retentionMs);
    this.segmentIntervalMs = Math.max(Math.floor(retentionMs / 2), MIN_SEGMENT_INTERVAL_MS);
    this.openIterators = new OpenIterators(name);
  }

  init(context: StateStoreContext): void {
    const sqlite = context.database.sqlite;
    const table = `"win_${this.name.replaceAll('"', '""')}"`;
    const startIndex = `"win_start_${this.name.replaceAll('"', '""')}"`;
    sqlite.exec(
      `CREATE TABLE IF NOT EXISTS ${table} (k BLOB NOT NULL, start INTEGER NOT NULL, v BLOB NOT NULL,
         PRIMARY KEY (k, start)) WITHOUT ROWID;
       CREATE INDEX IF NOT EXISTS ${startIndex} ON ${table} (start, k)`,
    );
    const range = `SELECT start, v FROM ${table} WHERE k = ? AND start >= ? AND start <= ? ORDER BY start`;
    this.statements = {
      get: sqlite.prepare<[Buffer, number], Buffer>(`SELECT v FROM ${table} WHERE k = ? AND start = ?`).pluck(true),
      upsert: sqlite.prepare<[Buffer, number, Buffer]>(
        `INSERT INTO ${table} (k, start, v) VALUES (?, ?, ?) ON CONFLICT (k, start) DO UPDATE SET v = excluded.v`,
      ),
      delete: sqlite.prepare<[Buffer, number]>(`DELETE FROM ${table} WHERE k = ? AND start = ?`),
      fetchRange: sqlite.prepare<[Buffer, number, number], [number, Buffer]>(`${range} ASC`).raw(true),
      fetchRangeReverse: sqlite.prepare<[Buffer, number, number], [number, Buffer]>(`${range} DESC`).raw(true),
      fetchAll: sqlite
        .prepare<[number, number], [Buffer, number, Buffer]>(
          `SELECT k, start, v FROM ${table} WHERE start >= ? AND start <= ? ORDER BY start, k`,
        )
        .raw(true),
      deleteBefore: sqlite.prepare<[number]>(`DELETE FROM ${table} WHERE start < ?`),
      latestStart: sqlite.prepare<[], number | null>(`SELECT max(start) FROM ${table}`).pluck(true),
    };
    this.database = context.database;
    // Stream time survives a restart through the stored windows: the latest start is what was observed.
    const latestStart = this.statements.latestStart.get();
    if (latestStart !== null && latestStart !== undefined) this.retention.observe(latestStart);
  }

  put(keyBytes: Buffer, value: Buffer | null, windowStart: number): void {
    const { database, statements } = this.opened();
    const live = this.retention.observe(windowStart);
    database.ensureTransaction();
    if (live) {
      if (value === null) statements.delete.run(keyBytes, windowStart);
      else statements.upsert.run(keyBytes, windowStart, value);
    }
    this.expireSegments(statements);
  }

  fetch(keyBytes: Buffer, windowStart: number): Buffer | null {
    const { statements } = this.opened();
    if (windowStart < this.retention.minLiveStart) return null;
    return statements.get.get(keyBytes, windowStart) ?? null;
  }

  fetchRange(keyBytes: Buffer, timeFrom: number, timeTo: number, reverse: boolean): KeyValueIterator<number, Buffer> {
    const { statements } = this.opened();
    const statement = reverse ? statements.fetchRangeReverse : statements.fetchRange;
    const rows = statement.all(keyBytes, this.liveFrom(timeFrom), clamp(timeTo));
    return this.iterate(rows.map(([start, value]) => ({ key: start, value })));
  }

  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<WindowedBytes, Buffer> {
    const { statements } = this.opened();
    const rows = statements.fetchAll.all(this.liveFrom(timeFrom), clamp(timeTo));
    return this.iterate(rows.map(([keyBytes, windowStart, value]) => ({ key: { keyBytes, windowStart }, value })));
  }

  all(): KeyValueIterator<WindowedBytes, Buffer> {
    return this.fetchAll(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  }

  restoreBatch(records: ReadonlyArray<ChangelogRecord>): void {
    restoreWindowRecords(this, records);
  }

  flush(): void {
    // Writes are already in the task's transaction; `TaskDatabase.commit` makes them durable.
  }

  close(): void {
    if (this.database === null) return;
    this.openIterators.closeAll();
    this.statements = null;
    this.database = null;
  }

  isOpen(): boolean {
    return this.database !== null && this.database.isOpen;
  }

  /** Deletes the windows before the retention boundary's segment once the boundary enters a new segment. */
  private expireSegments(statements: WindowStatements): void {
    const segment = Math.floor(this.retention.minLiveStart / this.segmentIntervalMs);
    if (segment <= this.expiredUpToSegment) return;
    this.expiredUpToSegment = segment;
    statements.deleteBefore.run(segment * this.segmentIntervalMs);
  }

  private liveFrom(timeFrom: number): number {
    return clamp(Math.max(timeFrom, this.retention.minLiveStart));
  }

  private iterate<K>(entries: Array<KeyValue<K, Buffer>>): KeyValueIterator<K, Buffer> {
    let next = 0;
    return this.openIterators.open(() => entries[next++]);
  }

  private opened(): { database: TaskDatabase; statements: WindowStatements } {
    if (this.database === null || this.statements === null || !this.database.isOpen) {
      throw new StateError('store is not open', { coordinates: { store: this.name } });
    }
    return { database: this.database, statements: this.statements };
  }
}

/** SQLite binds integers only: keeps open-ended bounds within the safe range. */
function clamp(time: number): number {
  return Math.min(Math.max(time, Number.MIN_SAFE_INTEGER), Number.MAX_SAFE_INTEGER);
}
