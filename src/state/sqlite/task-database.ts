import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StateError } from '../../core/errors.js';

const IN_MEMORY = ':memory:';
const OFFSETS_TABLE = 'kstreams_changelog_offsets';
const IDENTITY_TABLE = 'kstreams_task_identity';

/**
 * Whose state a task file holds: written when the file is made, checked at every open, so that a file copied from
 * another application's or another task's directory is never read as this task's state. Store names are not part
 * of it: a store the file lacks starts empty and restores its whole changelog, one it has in excess is never read.
 */
export interface TaskIdentity {
  readonly applicationId: string;
  readonly taskId: string;
}

/**
 * One task's SQLite database: every persistent store of the task keeps its table here, next to a metadata table
 * with the changelog offsets that the stored state corresponds to. One SQLite transaction therefore covers all the
 * task's store writes and those offsets, which is what makes restoration after a crash exact.
 *
 * Transactions are opened lazily: a persistent store calls `ensureTransaction()` before each write, so every write
 * is covered and nothing reaches the file until the runtime calls `commit(offsets)`. The runtime commits Kafka
 * first and this second; if the process dies in between, the offsets stored here are older than the changelog,
 * and restoration replays the difference.
 *
 * Durability: the database runs in WAL mode with `synchronous=NORMAL`. A commit then survives a process crash but
 * may be lost on power failure or an OS crash; the database stays consistent either way, and a lost commit only
 * moves the stored offsets back, so restoration replays more of the changelog. The changelog topic, not this file,
 * is the source of truth; fsync on every commit would buy nothing but latency.
 *
 * In-memory stores live outside this database: `rollback()` does not undo their writes, so after a rollback the
 * runtime must rebuild them from the changelog (as Kafka Streams does after a task is corrupted).
 */
export class TaskDatabase {
  private readonly upsertOffset: Database.Statement<[string, number]>;
  private readonly selectOffsets: Database.Statement<[], [string, number]>;

  private constructor(
    /**
     * The better-sqlite3 handle; for the SQLite stores under `src/state/sqlite` only. Left out of the published
     * declarations (`stripInternal`), so that users' type checks need no better-sqlite3 types.
     * @internal
     */
    readonly sqlite: Database.Database,
    readonly path: string,
  ) {
    sqlite.exec(
      `CREATE TABLE IF NOT EXISTS ${OFFSETS_TABLE} (partition_key TEXT PRIMARY KEY, changelog_offset INTEGER NOT NULL) WITHOUT ROWID`,
    );
    this.upsertOffset = sqlite.prepare(
      `INSERT INTO ${OFFSETS_TABLE} (partition_key, changelog_offset) VALUES (?, ?)
       ON CONFLICT (partition_key) DO UPDATE SET changelog_offset = excluded.changelog_offset`,
    );
    this.selectOffsets = sqlite
      .prepare<[], [string, number]>(`SELECT partition_key, changelog_offset FROM ${OFFSETS_TABLE}`)
      .raw(true);
  }

  /**
   * Opens (creating if needed) the database at `path`, or a private in-memory database for `':memory:'`. With an
   * `identity`, a file that is not a database, fails SQLite's `quick_check` (truncated, overwritten), or belongs to
   * another application, task or set of stores is refused with `STATE_DAMAGED`, naming why: its state cannot be
   * trusted, and the runtime restores the task from its changelog instead.
   */
  static open(path: string, identity?: TaskIdentity): TaskDatabase {
    let sqlite: Database.Database;
    try {
      if (path !== IN_MEMORY) mkdirSync(dirname(path), { recursive: true });
      sqlite = new Database(path);
    } catch (cause) {
      throw new StateError('STATE_STORAGE_FAILED', `cannot open task database at ${path}`, { cause });
    }
    try {
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = NORMAL');
      if (identity !== undefined) checkIdentity(sqlite, path, identity);
      return new TaskDatabase(sqlite, path);
    } catch (error) {
      sqlite.close();
      if (error instanceof StateError) throw error;
      if (isDamageCode(error)) throw new StateError('STATE_DAMAGED', `task database ${path} is damaged: ${(error as Error).message}`, { cause: error });
      throw new StateError('STATE_STORAGE_FAILED', `cannot open task database at ${path}`, { cause: error });
    }
  }

  get inTransaction(): boolean {
    return this.sqlite.inTransaction;
  }

  get isOpen(): boolean {
    return this.sqlite.open;
  }

  /** Opens a transaction unless one is open already; stores call it before every write. */
  ensureTransaction(): void {
    if (!this.sqlite.inTransaction) this.sqlite.exec('BEGIN');
  }

  /**
   * Records the changelog offsets the state now corresponds to (merged into those stored before, keyed by
   * `topicPartitionKey`) and commits them in the same transaction as the store writes. By convention an offset is
   * that of the next changelog record to restore from, like a consumer's committed offset.
   */
  commit(changelogOffsets: ReadonlyMap<string, number>): void {
    this.ensureTransaction();
    try {
      for (const [partitionKey, offset] of changelogOffsets) {
        if (!Number.isSafeInteger(offset) || offset < 0) {
          throw new StateError('STATE_MISUSE', `changelog offset for ${partitionKey} must be a non-negative integer, got ${offset}`);
        }
        this.upsertOffset.run(partitionKey, offset);
      }
      this.sqlite.exec('COMMIT');
    } catch (error) {
      this.rollback();
      throw error instanceof StateError ? error : new StateError('STATE_STORAGE_FAILED', 'task database commit failed', { cause: error });
    }
  }

  /** Drops every write since the last commit (SQLite stores only; see the class comment for in-memory stores). */
  rollback(): void {
    if (this.sqlite.inTransaction) this.sqlite.exec('ROLLBACK');
  }

  /** The committed offsets (plus any written in the open transaction), by `topicPartitionKey`. */
  changelogOffsets(): Map<string, number> {
    return new Map(this.selectOffsets.all());
  }

  /** Rolls back whatever was not committed, then closes the file. */
  close(): void {
    if (!this.sqlite.open) return;
    this.rollback();
    this.sqlite.close();
  }
}

/** SQLite's answers for a file that is not a database, or a database whose pages do not add up. */
function isDamageCode(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
}

/**
 * Refuses a file SQLite finds damaged, or one written for another application or task. A file without the record
 * (written before kstreams kept one) is taken as this task's, and gets it.
 */
function checkIdentity(sqlite: Database.Database, path: string, identity: TaskIdentity): void {
  const check = sqlite.pragma('quick_check', { simple: true });
  if (check !== 'ok') throw new StateError('STATE_DAMAGED', `task database ${path} fails SQLite's integrity check: ${String(check)}`);
  sqlite.exec(`CREATE TABLE IF NOT EXISTS ${IDENTITY_TABLE} (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID`);
  const expected: Array<[string, string]> = [
    ['application_id', identity.applicationId],
    ['task_id', identity.taskId],
  ];
  const stored = new Map(sqlite.prepare<[], [string, string]>(`SELECT name, value FROM ${IDENTITY_TABLE}`).raw(true).all());
  if (stored.size === 0) {
    const insert = sqlite.prepare<[string, string]>(`INSERT INTO ${IDENTITY_TABLE} (name, value) VALUES (?, ?)`);
    sqlite.transaction(() => expected.forEach(([name, value]) => insert.run(name, value)))();
    return;
  }
  for (const [name, value] of expected) {
    const found = stored.get(name);
    if (found !== value) throw new StateError('STATE_DAMAGED', `task database ${path} belongs to another ${name === 'task_id' ? 'task' : 'application'}: ${JSON.stringify(found)}, this one is ${JSON.stringify(value)}`);
  }
}
