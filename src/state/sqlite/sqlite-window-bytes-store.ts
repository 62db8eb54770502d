import type Database from 'better-sqlite3';
import type { ChangelogRecord } from '../changelog.js';
import type { KeyValue } from '../key-value.js';
import type { KeyValueIterator } from '../key-value-iterator.js';
import type { StateStoreContext } from '../state-store.js';
import { restoreDuplicateWindowRecords, restoreWindowRecords, WindowRetention } from '../window-bytes-store.js';
import type { WindowBytesStore, WindowedBytes, WindowWrite } from '../window-bytes-store.js';
import { BatchedReplace } from './batched-replace.js';
import { IntervalExpiry } from './interval-expiry.js';
import { adoptSegmentInterval } from './segment-interval.js';
import { quoteIdentifier, SqliteBytesStore } from './sqlite-bytes-store.js';
import type { Statement } from './sqlite-bytes-store.js';

/** Statements over the store's table; every one names the segment first, as the primary key does. */
interface WindowStatements {
  readonly get: Statement<[number, Buffer, number], Buffer>;
  readonly write: Statement<[number, Buffer, number, Buffer]>;
  /** `write` over a batch of distinct windows. */
  readonly writeBatch: BatchedReplace;
  /** Stores that retain duplicates: adds an entry numbered `seq`. */
  readonly append: Statement<[number, Buffer, number, number, Buffer]> | undefined;
  readonly latestSequence: Statement<[], number | null> | undefined;
  readonly delete: Statement<[number, Buffer, number]>;
  readonly keyRange: Statement<[number, Buffer, number, number], [number, Buffer]>;
  readonly keyRangeReverse: Statement<[number, Buffer, number, number], [number, Buffer]>;
  readonly timeRange: Statement<[number, number, number, number], [Buffer, number, Buffer]>;
  readonly deleteSegmentsBefore: Statement<[number]>;
  readonly latestStart: Statement<[], number | null>;
}

/**
 * At most about this many segments cover the retention period, which bounds the point reads one key's time range
 * costs (one per segment), whatever the window size.
 */
const MAX_SEGMENTS_PER_RETENTION = 1_000;

/**
 * A window store in one table of the task's SQLite database, in Kafka Streams' segments: a row's primary key is
 * (segment, key bytes, window start), where the segment numbers intervals of window starts. A segment's rows are
 * therefore contiguous, in key order, so:
 * - writes and point reads touch the few newest segments only, which stay in SQLite's page cache however long the
 *   retention is, and a commit writes few pages;
 * - one key's time range is a primary-key range within each segment it spans;
 * - every key's windows in a time range are the segments it spans, read in order and sorted by start within each
 *   (no second index to maintain on every write);
 * - expiry deletes whole segments, a contiguous range at the start of the table, once the retention boundary
 *   enters a new segment (see `IntervalExpiry`).
 *
 * A segment spans the window size (so a window's rows share one, and a record's hopping or sliding windows span
 * a few), or a thousandth of the retention when that is longer.
 *
 * A store that retains duplicates adds a sequence number to the primary key, (segment, key bytes, window start,
 * seq), so a key's entries of one window start come back in the order they were put.
 *
 * Range reads return the rows they match at once (bounded by the time range), so no SQLite cursor stays open
 * while the caller writes.
 */
export class SqliteWindowBytesStore extends SqliteBytesStore<WindowStatements> implements WindowBytesStore {
  private readonly retention: WindowRetention;
  /** Numbers the segments: a segment is an interval of expiry. */
  private readonly segments: IntervalExpiry;
  /** The last sequence number given to a duplicate. */
  private sequence = 0;

  constructor(
    name: string,
    readonly retentionMs: number,
    readonly windowSizeMs: number,
    readonly retainDuplicates = false,
  ) {
    super(name);
    this.retention = new WindowRetention(retentionMs);
    this.segments = new IntervalExpiry(Math.max(1, windowSizeMs, Math.ceil(retentionMs / MAX_SEGMENTS_PER_RETENTION)));
  }

  init(context: StateStoreContext): void {
    const database = context.database;
    const tableName = `win_${this.name}`;
    const table = quoteIdentifier(tableName);
    const sequence = this.retainDuplicates ? ', seq INTEGER NOT NULL' : '';
    database.sqlite.exec(
      `CREATE TABLE IF NOT EXISTS ${table} (segment INTEGER NOT NULL, k BLOB NOT NULL, start INTEGER NOT NULL${sequence},
         v BLOB NOT NULL, PRIMARY KEY (segment, k, start${this.retainDuplicates ? ', seq' : ''})) WITHOUT ROWID`,
    );
    adoptSegmentInterval(database, { name: tableName, quotedName: table, timeColumn: 'start' }, this.segments.intervalMs);
    const statements = prepareStatements(database.sqlite, table, this.retainDuplicates);
    this.attach(database, statements);
    this.sequence = statements.latestSequence?.get() ?? 0;
    // Stream time survives a restart through the stored windows: the latest start is what was observed.
    const latestStart = statements.latestStart.get();
    if (latestStart !== null && latestStart !== undefined) this.retention.observe(latestStart);
  }

  put(keyBytes: Buffer, value: Buffer | null, windowStart: number): void {
    const { database, statements } = this.opened();
    const live = this.retention.observe(windowStart);
    database.ensureTransaction();
    if (live) {
      const segment = this.segmentOf(windowStart);
      if (statements.append !== undefined) {
        if (value !== null) statements.append.run(segment, keyBytes, windowStart, ++this.sequence, value);
      } else if (value === null) statements.delete.run(segment, keyBytes, windowStart);
      else statements.write.run(segment, keyBytes, windowStart, value);
    }
    this.expireSegments(statements);
  }

  /**
   * The batch's live writes inside the task's transaction, many rows per statement run (`BatchedReplace`); writes
   * the batch expires are not made at all. (Sorting the rows by primary key first measured no faster.)
   */
  putBatch(writes: ReadonlyArray<WindowWrite>): void {
    if (this.retainDuplicates) {
      for (const { keyBytes, value, windowStart } of writes) this.put(keyBytes, value, windowStart);
      return;
    }
    const { database, statements } = this.opened();
    for (const { windowStart } of writes) this.retention.observe(windowStart);
    const minLiveStart = this.retention.minLiveStart;
    // The rows' columns one after the other, as `BatchedReplace` takes them.
    const rows: Array<number | Buffer> = [];
    database.ensureTransaction();
    for (const { keyBytes, windowStart, value } of writes) {
      if (windowStart < minLiveStart) continue;
      const segment = this.segmentOf(windowStart);
      // The batch's windows are distinct, so deleting before the batched writes keeps its outcome.
      if (value !== null) rows.push(segment, keyBytes, windowStart, value);
      else statements.delete.run(segment, keyBytes, windowStart);
    }
    statements.writeBatch.run(rows);
    this.expireSegments(statements);
  }

  observedStreamTime(): number {
    return this.retention.observedStreamTime;
  }

  fetch(keyBytes: Buffer, windowStart: number): Buffer | null {
    const { statements } = this.opened();
    // No window starts after the latest start written: nothing to look up (a cache above asks for new windows).
    if (windowStart < this.retention.minLiveStart || windowStart > this.retention.observedStreamTime) return null;
    return statements.get.get(this.segmentOf(windowStart), keyBytes, windowStart) ?? null;
  }

  fetchRange(keyBytes: Buffer, timeFrom: number, timeTo: number, reverse: boolean): KeyValueIterator<number, Buffer> {
    const { statements } = this.opened();
    const entries: Array<KeyValue<number, Buffer>> = [];
    const { from, to } = this.liveRange(timeFrom, timeTo);
    if (from <= to) {
      const statement = reverse ? statements.keyRangeReverse : statements.keyRange;
      const first = this.segmentOf(from);
      const last = this.segmentOf(to);
      for (let step = 0; step <= last - first; step++) {
        const segment = reverse ? last - step : first + step;
        for (const [start, value] of statement.all(segment, keyBytes, from, to)) entries.push({ key: start, value });
      }
    }
    return this.iterateEntries(entries);
  }

  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<WindowedBytes, Buffer> {
    const { statements } = this.opened();
    const { from, to } = this.liveRange(timeFrom, timeTo);
    const rows = from <= to ? statements.timeRange.all(this.segmentOf(from), this.segmentOf(to), from, to) : [];
    return this.iterateEntries(rows.map(([keyBytes, windowStart, value]) => ({ key: { keyBytes, windowStart }, value })));
  }

  all(): KeyValueIterator<WindowedBytes, Buffer> {
    return this.fetchAll(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  }

  restoreBatch(records: ReadonlyArray<ChangelogRecord>): void {
    if (this.retainDuplicates) restoreDuplicateWindowRecords(this, records);
    else restoreWindowRecords(this, records);
  }

  private segmentOf(windowStart: number): number {
    return this.segments.intervalOf(windowStart);
  }

  /** Deletes the segments before the retention boundary's once the boundary enters a new segment. */
  private expireSegments(statements: WindowStatements): void {
    const segment = this.segments.enterInterval(this.retention.minLiveStart);
    if (segment !== null) statements.deleteSegmentsBefore.run(segment);
  }

  /**
   * `[timeFrom, timeTo]` narrowed to the live windows: none starts before the retention boundary or after stream
   * time (the latest start written). Empty (`from > to`) while nothing has been written.
   */
  private liveRange(timeFrom: number, timeTo: number): { from: number; to: number } {
    return {
      from: Math.max(timeFrom, this.retention.minLiveStart),
      to: Math.min(timeTo, this.retention.observedStreamTime),
    };
  }
}

/** `table` is quoted for SQL already. */
function prepareStatements(sqlite: Database.Database, table: string, retainDuplicates: boolean): WindowStatements {
  const window = 'segment = ? AND k = ? AND start = ?';
  const keyRange = `SELECT start, v FROM ${table} WHERE segment = ? AND k = ? AND start >= ? AND start <= ? ORDER BY start`;
  // A key's duplicates of one window start follow their sequence, whichever way the range is read.
  const thenSequence = retainDuplicates ? ', seq' : '';
  return {
    get: sqlite.prepare<[number, Buffer, number], Buffer>(`SELECT v FROM ${table} WHERE ${window} ORDER BY start${thenSequence} LIMIT 1`).pluck(true),
    append: retainDuplicates
      ? sqlite.prepare<[number, Buffer, number, number, Buffer]>(`INSERT INTO ${table} (segment, k, start, seq, v) VALUES (?, ?, ?, ?, ?)`)
      : undefined,
    latestSequence: retainDuplicates ? sqlite.prepare<[], number | null>(`SELECT max(seq) FROM ${table}`).pluck(true) : undefined,
    // Replacing the row measured faster than an upsert updating it in place, and a window's value is all its row holds.
    write: sqlite.prepare<[number, Buffer, number, Buffer]>(`INSERT OR REPLACE INTO ${table} (segment, k, start, v) VALUES (?, ?, ?, ?)`),
    writeBatch: new BatchedReplace(sqlite, table, ['segment', 'k', 'start', 'v']),
    delete: sqlite.prepare<[number, Buffer, number]>(`DELETE FROM ${table} WHERE ${window}`),
    keyRange: sqlite.prepare<[number, Buffer, number, number], [number, Buffer]>(`${keyRange} ASC${thenSequence}`).raw(true),
    keyRangeReverse: sqlite.prepare<[number, Buffer, number, number], [number, Buffer]>(`${keyRange} DESC${retainDuplicates ? ', seq DESC' : ''}`).raw(true),
    // Segments follow window starts, so ordering by segment first lets SQLite sort one segment at a time.
    timeRange: sqlite
      .prepare<[number, number, number, number], [Buffer, number, Buffer]>(
        `SELECT k, start, v FROM ${table} WHERE segment >= ? AND segment <= ? AND start >= ? AND start <= ?
         ORDER BY segment, start, k${thenSequence}`,
      )
      .raw(true),
    deleteSegmentsBefore: sqlite.prepare<[number]>(`DELETE FROM ${table} WHERE segment < ?`),
    latestStart: sqlite
      .prepare<[], number | null>(`SELECT max(start) FROM ${table} WHERE segment = (SELECT max(segment) FROM ${table})`)
      .pluck(true),
  };
}
