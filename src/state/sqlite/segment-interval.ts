import { StateError } from '../../core/errors.js';
import type { TaskDatabase } from './task-database.js';

const INTERVALS_TABLE = 'kstreams_segment_intervals';

/** A table whose primary key starts with `segment = floor(<timeColumn> / interval)`. */
export interface SegmentedTable {
  /** The table's name as stored (unquoted), which keys its interval. */
  readonly name: string;
  /** The name quoted for SQL. */
  readonly quotedName: string;
  readonly timeColumn: string;
}

/**
 * Makes the rows of `table` numbered by segments of `intervalMs`. A store derives its interval from its
 * configuration, which may change between runs (a longer grace period lengthens the retention), while the stored
 * segment numbers were computed with the interval of the run that wrote them. The interval each table was written
 * with is kept next to it, in the task's database; when it differs, the rows are renumbered before anything reads
 * them. The renumbering joins the task's transaction, so it commits with the task or not at all.
 */
export function adoptSegmentInterval(database: TaskDatabase, table: SegmentedTable, intervalMs: number): void {
  const sqlite = database.sqlite;
  sqlite.exec(
    `CREATE TABLE IF NOT EXISTS ${INTERVALS_TABLE} (table_name TEXT NOT NULL PRIMARY KEY, interval_ms INTEGER NOT NULL) WITHOUT ROWID`,
  );
  const stored = sqlite
    .prepare<[string], number>(`SELECT interval_ms FROM ${INTERVALS_TABLE} WHERE table_name = ?`)
    .pluck(true)
    .get(table.name);
  if (stored === intervalMs) return;
  database.ensureTransaction();
  sqlite.prepare(`UPDATE ${table.quotedName} SET segment = ${segmentOfSql(table.timeColumn, intervalMs)}`).run();
  sqlite
    .prepare<[string, number]>(
      `INSERT INTO ${INTERVALS_TABLE} (table_name, interval_ms) VALUES (?, ?)
       ON CONFLICT (table_name) DO UPDATE SET interval_ms = excluded.interval_ms`,
    )
    .run(table.name, intervalMs);
}

/** `floor(column / intervalMs)` in SQL, whose integer division rounds towards zero. */
function segmentOfSql(column: string, intervalMs: number): string {
  if (!Number.isSafeInteger(intervalMs) || intervalMs <= 0) throw new StateError('STATE_MISUSE', `segment interval must be a positive integer, got ${intervalMs}`);
  return `(${column} - ((${column} % ${intervalMs}) + ${intervalMs}) % ${intervalMs}) / ${intervalMs}`;
}
