import { isEmptyRange } from '../bytes-range.js';
import type { BytesRange, KeyBound } from '../bytes-range.js';
import type { ChangelogRecord } from '../changelog.js';
import type { KeyValue } from '../key-value.js';
import type { KeyValueBytesStore } from '../key-value-bytes-store.js';
import type { KeyValueIterator } from '../key-value-iterator.js';
import type { StateStoreContext } from '../state-store.js';
import { quoteIdentifier, SqliteBytesStore } from './sqlite-bytes-store.js';
import type { Statement } from './sqlite-bytes-store.js';

/** Iterators read in pages; the first is small because many iterators are abandoned after a few entries. */
const FIRST_PAGE_SIZE = 16;
const MAX_PAGE_SIZE = 1024;

type Row = [key: Buffer, value: Buffer];

interface StoreStatements {
  readonly get: Statement<[Buffer], Buffer>;
  readonly upsert: Statement<[Buffer, Buffer]>;
  readonly delete: Statement<[Buffer]>;
  readonly count: Statement<[], number>;
}

/**
 * A key-value store in one table of the task's SQLite database. The key is a BLOB primary key of a `WITHOUT ROWID`
 * table: SQLite compares BLOBs with `memcmp` (then by length), exactly the unsigned byte order ranges need, and the
 * rows are stored in that order.
 *
 * Writes open the task's transaction lazily (`TaskDatabase.ensureTransaction`), so every write is covered by it and
 * becomes durable only when the runtime commits the task, together with the changelog offsets.
 *
 * Iterators read in pages (keyset pagination) rather than holding a `Statement.iterate()` cursor: better-sqlite3
 * refuses every write on a connection while such a cursor is open, and processors commonly write to a store of
 * the task while iterating one. Each page is a fresh indexed query that starts after the last key returned, so
 * an iterator holds no SQLite resources between calls; writes made while it is open are seen only in pages not
 * fetched yet.
 */
export class SqliteKeyValueBytesStore extends SqliteBytesStore<StoreStatements> implements KeyValueBytesStore {
  private readonly pageStatements = new Map<string, Statement<Array<Buffer | number>, Row>>();

  init(context: StateStoreContext): void {
    const sqlite = context.database.sqlite;
    const table = this.tableName();
    sqlite.exec(`CREATE TABLE IF NOT EXISTS ${table} (k BLOB NOT NULL PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID`);
    this.attach(context.database, {
      get: sqlite.prepare<[Buffer], Buffer>(`SELECT v FROM ${table} WHERE k = ?`).pluck(true),
      upsert: sqlite.prepare<[Buffer, Buffer]>(
        `INSERT INTO ${table} (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v`,
      ),
      delete: sqlite.prepare<[Buffer]>(`DELETE FROM ${table} WHERE k = ?`),
      count: sqlite.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck(true),
    });
  }

  get(key: Buffer): Buffer | null {
    return this.opened().statements.get.get(key) ?? null;
  }

  put(key: Buffer, value: Buffer | null): void {
    const { database, statements } = this.opened();
    database.ensureTransaction();
    write(statements, key, value);
  }

  putIfAbsent(key: Buffer, value: Buffer | null): Buffer | null {
    const previous = this.get(key);
    if (previous === null) this.put(key, value);
    return previous;
  }

  putAll(entries: ReadonlyArray<KeyValue<Buffer, Buffer | null>>): void {
    const { database, statements } = this.opened();
    database.ensureTransaction();
    for (const { key, value } of entries) write(statements, key, value);
  }

  delete(key: Buffer): Buffer | null {
    const previous = this.get(key);
    if (previous !== null) this.put(key, null);
    return previous;
  }

  iterate(range: BytesRange, reverse: boolean): KeyValueIterator<Buffer, Buffer> {
    this.opened();
    if (isEmptyRange(range)) return this.openIterator<Buffer>(() => undefined);
    return this.openIterator(this.pagedCursor(range, reverse));
  }

  approximateNumEntries(): number {
    return this.opened().statements.count.get() ?? 0;
  }

  restoreBatch(records: ReadonlyArray<ChangelogRecord>): void {
    this.putAll(records);
  }

  override close(): void {
    super.close();
    this.pageStatements.clear();
  }

  private pagedCursor(range: BytesRange, reverse: boolean): () => KeyValue<Buffer, Buffer> | undefined {
    let { lower, upper } = range;
    let page: Row[] = [];
    let nextInPage = 0;
    let pageSize = FIRST_PAGE_SIZE;
    let lastPageFetched = false;
    return () => {
      if (nextInPage === page.length) {
        if (lastPageFetched) return undefined;
        page = this.fetchPage(lower, upper, reverse, pageSize);
        nextInPage = 0;
        lastPageFetched = page.length < pageSize;
        pageSize = Math.min(pageSize * 4, MAX_PAGE_SIZE);
        const lastRow = page[page.length - 1];
        if (lastRow === undefined) return undefined;
        const resumeAfter = { key: lastRow[0], inclusive: false };
        if (reverse) upper = resumeAfter;
        else lower = resumeAfter;
      }
      const [key, value] = page[nextInPage++]!;
      return { key, value };
    };
  }

  private fetchPage(lower: KeyBound, upper: KeyBound, reverse: boolean, limit: number): Row[] {
    const conditions: string[] = [];
    const parameters: Array<Buffer | number> = [];
    if (lower !== null) {
      conditions.push(lower.inclusive ? 'k >= ?' : 'k > ?');
      parameters.push(lower.key);
    }
    if (upper !== null) {
      conditions.push(upper.inclusive ? 'k <= ?' : 'k < ?');
      parameters.push(upper.key);
    }
    const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
    const sql = `SELECT k, v FROM ${this.tableName()}${where} ORDER BY k ${reverse ? 'DESC' : 'ASC'} LIMIT ?`;
    return this.pageStatement(sql).all(...parameters, limit);
  }

  /** Only 3 × 3 × 2 query shapes exist (each bound absent/inclusive/exclusive, two directions): each is prepared once. */
  private pageStatement(sql: string): Statement<Array<Buffer | number>, Row> {
    let statement = this.pageStatements.get(sql);
    if (statement === undefined) {
      statement = this.opened().database.sqlite.prepare<Array<Buffer | number>, Row>(sql).raw(true);
      this.pageStatements.set(sql, statement);
    }
    return statement;
  }

  private tableName(): string {
    return quoteIdentifier(`kv_${this.name}`);
  }
}

function write(statements: StoreStatements, key: Buffer, value: Buffer | null): void {
  if (value === null) statements.delete.run(key);
  else statements.upsert.run(key, value);
}
