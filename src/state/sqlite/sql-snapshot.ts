import Database from 'better-sqlite3';
import { StreamsError } from '../../core/errors.js';

/** One store's decoded rows, as the SQL view of it shows them. */
export interface SnapshotTable {
  readonly name: string;
  /** Column names besides `value`, in order (`key`, or `key`, `window_start`, `window_end`). */
  readonly columns: readonly string[];
  /** Each row: the columns' values, then the value. */
  readonly rows: ReadonlyArray<readonly unknown[]>;
}

export type SqlRow = { readonly [column: string]: unknown };

/** Statements that read: a SELECT, or a WITH … SELECT. */
const READ_ONLY_START = /^\s*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*(select|with|values)\b/i;

/**
 * Runs one read-only SQL statement over decoded copies of stores, in a private in-memory SQLite database that is
 * closed afterwards. Each store is a table `"<name>$rows"` (the columns and `value`) and a view `"<name>"` over it
 * that adds one column per top-level field of JSON-object values (`json_extract(value, '$.<field>')`). A
 * statement that writes, attaches a file or runs a pragma is refused before it runs (`STATE_MISUSE`).
 */
export function querySnapshot(tables: readonly SnapshotTable[], sql: string): SqlRow[] {
  if (!READ_ONLY_START.test(sql)) throw refused('only SELECT (or WITH … SELECT) statements are run');
  const db = new Database(':memory:');
  try {
    for (const table of tables) load(db, table);
    let statement: Database.Statement;
    try {
      statement = db.prepare(sql);
    } catch (error) {
      throw new StreamsError('STATE_MISUSE', `the SQL statement does not compile: ${(error as Error).message}`, { cause: error });
    }
    if (!statement.readonly || !statement.reader) throw refused('the statement would write');
    return (statement.all() as SqlRow[]).map((row) => ({ ...row }));
  } finally {
    db.close();
  }
}

function load(db: Database.Database, table: SnapshotTable): void {
  const raw = quote(`${table.name}$rows`);
  const columns = [...table.columns, 'value'];
  db.exec(`CREATE TABLE ${raw} (${columns.map(quote).join(', ')})`);
  const insert = db.prepare(`INSERT INTO ${raw} VALUES (${columns.map(() => '?').join(', ')})`);
  const fields = new Set<string>();
  db.transaction(() => {
    for (const row of table.rows) {
      const value = row.at(-1);
      if (isPlainObject(value)) for (const field of Object.keys(value)) fields.add(field);
      insert.run(...row.map(sqlValue));
    }
  })();
  const extracted = [...fields].filter((f) => !columns.includes(f)).map((f) => `json_extract(value, ${literal(`$."${f.replaceAll('"', '""')}"`)}) AS ${quote(f)}`);
  db.exec(`CREATE VIEW ${quote(table.name)} AS SELECT ${[...columns.map(quote), ...extracted].join(', ')} FROM ${raw}`);
}

/** A decoded key or value as SQLite holds it: numbers and strings as they are, booleans as 0/1, anything else as JSON. */
function sqlValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'bigint' || Buffer.isBuffer(value)) return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

function isPlainObject(value: unknown): value is { [field: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function refused(reason: string): StreamsError {
  return new StreamsError('STATE_MISUSE', `streams.query() is read-only: ${reason}`);
}
