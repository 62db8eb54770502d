import type Database from 'better-sqlite3';
import type { Window } from '../../core/windowed.js';
import type { ChangelogRecord } from '../changelog.js';
import type { KeyValueIterator } from '../key-value-iterator.js';
import { restoreSessionRecords, SessionRetention } from '../session-bytes-store.js';
import type { SessionBytes, SessionBytesStore, SessionWrite } from '../session-bytes-store.js';
import type { StateStoreContext } from '../state-store.js';
import { IntervalExpiry } from './interval-expiry.js';
import { quoteIdentifier, SqliteBytesStore } from './sqlite-bytes-store.js';
import type { Statement } from './sqlite-bytes-store.js';

interface SessionStatements {
  readonly get: Statement<[Buffer, number, number], Buffer>;
  readonly write: Statement<[Buffer, number, number, Buffer]>;
  readonly delete: Statement<[Buffer, number, number]>;
  readonly find: Statement<[Buffer, number, number], [number, number, Buffer]>;
  readonly findReverse: Statement<[Buffer, number, number], [number, number, Buffer]>;
  readonly all: Statement<[number], [Buffer, number, number, Buffer]>;
  readonly deleteEndingBefore: Statement<[number]>;
  readonly latestEnd: Statement<[], number | null>;
}

/** Expired sessions are deleted once per interval of half the retention, at least this long (Kafka Streams' segment interval). */
const MIN_EXPIRY_INTERVAL_MS = 60_000;

/**
 * A session store in one table of the task's SQLite database, keyed by (key bytes, session end, session start):
 * the store's order, so one key's sessions, which session merging reads on every record, are a primary-key range.
 * There is no second index: it would cost a write on every put and remove, while expiry and the stream time
 * recovered on open, the only readers by end across keys, can afford a scan of the table.
 *
 * Expired sessions are deleted whenever the retention boundary enters a new interval of half the retention (at
 * least a minute, see `IntervalExpiry`). The table then holds at most about three intervals' worth of sessions, so
 * each scan costs a few row visits per session written since the last one.
 *
 * Range reads return the rows they match at once, so no SQLite cursor stays open while the caller writes (session
 * merging removes and writes sessions of the key it has just read).
 */
export class SqliteSessionBytesStore extends SqliteBytesStore<SessionStatements> implements SessionBytesStore {
  private readonly retention: SessionRetention;
  private readonly expiry: IntervalExpiry;

  constructor(
    name: string,
    readonly retentionMs: number,
  ) {
    super(name);
    this.retention = new SessionRetention(retentionMs);
    this.expiry = new IntervalExpiry(Math.max(Math.floor(retentionMs / 2), MIN_EXPIRY_INTERVAL_MS));
  }

  init(context: StateStoreContext): void {
    const statements = prepareStatements(context.database.sqlite, quoteIdentifier(`ses_${this.name}`));
    this.attach(context.database, statements);
    // Stream time survives a restart through the stored sessions: the latest end is what was observed.
    const latestEnd = statements.latestEnd.get();
    if (latestEnd !== null && latestEnd !== undefined) this.retention.observe(latestEnd);
  }

  put(keyBytes: Buffer, session: Window, value: Buffer | null): void {
    const { database, statements } = this.opened();
    const live = this.retention.observe(session.end);
    database.ensureTransaction();
    if (live) {
      if (value === null) statements.delete.run(keyBytes, session.end, session.start);
      else statements.write.run(keyBytes, session.end, session.start, value);
    }
    this.expireSessions(statements);
  }

  /**
   * The batch's live writes in its order, one statement run each; the batch's expired ones are skipped. A cache
   * writes a merged session's removal and its replacement one after the other, and the replacement's row sits next
   * to the removed one (same key, a later end): run in that order, each pair touches one B-tree page while it is
   * hot and leaves it as full as it found it. Removing every session first and then writing the replacements many
   * rows per run (as window stores do, which only add rows) cost about 1.6 times as much CPU, measured on a table of
   * 10,000 keys growing one session per key per batch.
   */
  putBatch(writes: ReadonlyArray<SessionWrite>): void {
    const { database, statements } = this.opened();
    for (const { session } of writes) this.retention.observe(session.end);
    const minLiveEnd = this.retention.minLiveEnd;
    database.ensureTransaction();
    for (const { keyBytes, session, value } of writes) {
      if (session.end < minLiveEnd) continue;
      if (value === null) statements.delete.run(keyBytes, session.end, session.start);
      else statements.write.run(keyBytes, session.end, session.start, value);
    }
    this.expireSessions(statements);
  }

  observedStreamTime(): number {
    return this.retention.observedStreamTime;
  }

  fetchSession(keyBytes: Buffer, sessionStart: number, sessionEnd: number): Buffer | null {
    const { statements } = this.opened();
    if (sessionEnd < this.retention.minLiveEnd) return null;
    return statements.get.get(keyBytes, clamp(sessionEnd), clamp(sessionStart)) ?? null;
  }

  findSessions(
    keyBytes: Buffer,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
    reverse: boolean,
  ): KeyValueIterator<Window, Buffer> {
    const { statements } = this.opened();
    const statement = reverse ? statements.findReverse : statements.find;
    const fromEnd = clamp(Math.max(earliestSessionEndTime, this.retention.minLiveEnd));
    const rows = statement.all(keyBytes, fromEnd, clamp(latestSessionStartTime));
    return this.iterateEntries(rows.map(([end, start, value]) => ({ key: { start, end }, value })));
  }

  all(): KeyValueIterator<SessionBytes, Buffer> {
    const { statements } = this.opened();
    const rows = statements.all.all(clamp(this.retention.minLiveEnd));
    return this.iterateEntries(rows.map(([keyBytes, end, start, value]) => ({ key: { keyBytes, window: { start, end } }, value })));
  }

  restoreBatch(records: ReadonlyArray<ChangelogRecord>): void {
    restoreSessionRecords(this, records);
  }

  /** Deletes the sessions ending before the retention boundary's interval once the boundary enters a new interval. */
  private expireSessions(statements: SessionStatements): void {
    const interval = this.expiry.enterInterval(this.retention.minLiveEnd);
    if (interval !== null) statements.deleteEndingBefore.run(clamp(interval * this.expiry.intervalMs));
  }
}

/** Creates the store's table if needed; `table` is quoted for SQL already. */
function prepareStatements(sqlite: Database.Database, table: string): SessionStatements {
  sqlite.exec(
    `CREATE TABLE IF NOT EXISTS ${table} (k BLOB NOT NULL, end_time INTEGER NOT NULL, start_time INTEGER NOT NULL,
       v BLOB NOT NULL, PRIMARY KEY (k, end_time, start_time)) WITHOUT ROWID`,
  );
  const find = `SELECT end_time, start_time, v FROM ${table} WHERE k = ? AND end_time >= ? AND start_time <= ?`;
  const session = 'k = ? AND end_time = ? AND start_time = ?';
  return {
    get: sqlite.prepare<[Buffer, number, number], Buffer>(`SELECT v FROM ${table} WHERE ${session}`).pluck(true),
    // Replacing the row measured faster than an upsert updating it in place, and a session's value is all its row holds.
    write: sqlite.prepare<[Buffer, number, number, Buffer]>(`INSERT OR REPLACE INTO ${table} (k, end_time, start_time, v) VALUES (?, ?, ?, ?)`),
    delete: sqlite.prepare<[Buffer, number, number]>(`DELETE FROM ${table} WHERE ${session}`),
    find: sqlite.prepare<[Buffer, number, number], [number, number, Buffer]>(`${find} ORDER BY end_time, start_time`).raw(true),
    findReverse: sqlite
      .prepare<[Buffer, number, number], [number, number, Buffer]>(`${find} ORDER BY end_time DESC, start_time DESC`)
      .raw(true),
    all: sqlite
      .prepare<[number], [Buffer, number, number, Buffer]>(
        `SELECT k, end_time, start_time, v FROM ${table} WHERE end_time >= ? ORDER BY k, end_time, start_time`,
      )
      .raw(true),
    deleteEndingBefore: sqlite.prepare<[number]>(`DELETE FROM ${table} WHERE end_time < ?`),
    latestEnd: sqlite.prepare<[], number | null>(`SELECT max(end_time) FROM ${table}`).pluck(true),
  };
}

/** SQLite binds integers only: keeps open-ended bounds within the safe range. */
function clamp(time: number): number {
  return Math.min(Math.max(time, Number.MIN_SAFE_INTEGER), Number.MAX_SAFE_INTEGER);
}
