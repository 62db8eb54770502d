import type { StateStoreContext } from '../state-store.js';
import { VersionedBytesStoreBase } from '../versioned-bytes-store.js';
import type { StoredVersion } from '../versioned-bytes-store.js';
import { quoteIdentifier } from './sqlite-bytes-store.js';
import type { Statement } from './sqlite-bytes-store.js';
import type { TaskDatabase } from './task-database.js';
import { StateError } from '../../core/errors.js';

type VersionRow = [validFrom: number, validTo: number | null, value: Buffer | null];

interface Statements {
  readonly latest: Statement<[Buffer], VersionRow>;
  readonly floor: Statement<[Buffer, number], VersionRow>;
  readonly earliest: Statement<[Buffer], number>;
  readonly upsert: Statement<[Buffer, number, number | null, Buffer | null]>;
  readonly expire: Statement<[number]>;
  readonly newest: Statement<[], number | null>;
}

/**
 * A versioned key-value store in one table of the task's SQLite database: one row per version, keyed by
 * `(key, validFrom)`, with its `validTo` (`NULL` for the latest) so that expired history is found through an index
 * and deleted without reading any value. The observed stream time is recovered on open as the newest `validFrom`:
 * every accepted put writes a row at its timestamp, and the newest row never expires.
 *
 * Writes join the task's transaction, like every SQLite store, so versions commit with the changelog offsets.
 */
export class SqliteVersionedBytesStore extends VersionedBytesStoreBase {
  readonly persistent = true;
  private database: TaskDatabase | null = null;
  private statements: Statements | null = null;

  protected openStorage(context: StateStoreContext): number | null {
    const sqlite = context.database.sqlite;
    const table = quoteIdentifier(`ver_${this.name}`);
    const expiryIndex = quoteIdentifier(`ver_${this.name}_expiry`);
    sqlite.exec(
      `CREATE TABLE IF NOT EXISTS ${table} (k BLOB NOT NULL, valid_from INTEGER NOT NULL, valid_to INTEGER, v BLOB,
         PRIMARY KEY (k, valid_from)) WITHOUT ROWID;
       CREATE INDEX IF NOT EXISTS ${expiryIndex} ON ${table} (valid_to) WHERE valid_to IS NOT NULL`,
    );
    const rows = (sql: string): Statement<[Buffer], VersionRow> => sqlite.prepare<[Buffer], VersionRow>(sql).raw(true);
    this.statements = {
      latest: rows(`SELECT valid_from, valid_to, v FROM ${table} WHERE k = ? AND valid_to IS NULL`),
      floor: sqlite
        .prepare<[Buffer, number], VersionRow>(`SELECT valid_from, valid_to, v FROM ${table} WHERE k = ? AND valid_from <= ? ORDER BY valid_from DESC LIMIT 1`)
        .raw(true),
      earliest: sqlite.prepare<[Buffer], number>(`SELECT min(valid_from) FROM ${table} WHERE k = ?`).pluck(true),
      upsert: sqlite.prepare(
        `INSERT INTO ${table} (k, valid_from, valid_to, v) VALUES (?, ?, ?, ?)
         ON CONFLICT (k, valid_from) DO UPDATE SET valid_to = excluded.valid_to, v = excluded.v`,
      ),
      expire: sqlite.prepare(`DELETE FROM ${table} WHERE valid_to IS NOT NULL AND valid_to <= ?`),
      newest: sqlite.prepare<[], number | null>(`SELECT max(valid_from) FROM ${table}`).pluck(true),
    };
    this.database = context.database;
    return this.statements.newest.get() ?? null;
  }

  flush(): void {
    // Writes are already in the task's transaction; `TaskDatabase.commit` makes them durable.
  }

  close(): void {
    this.statements = null;
    this.database = null;
  }

  isOpen(): boolean {
    return this.database !== null && this.database.isOpen;
  }

  protected latestVersion(key: Buffer): StoredVersion | null {
    return version(this.opened().statements.latest.get(key));
  }

  protected floorVersion(key: Buffer, timestampMs: number): StoredVersion | null {
    return version(this.opened().statements.floor.get(key, timestampMs));
  }

  protected earliestValidFrom(key: Buffer): number | null {
    return this.opened().statements.earliest.get(key) ?? null;
  }

  protected writeVersion(key: Buffer, stored: StoredVersion): void {
    const { database, statements } = this.opened();
    database.ensureTransaction();
    statements.upsert.run(key, stored.validFrom, stored.validTo, stored.value);
  }

  protected deleteVersionsValidTo(boundary: number): void {
    const { database, statements } = this.opened();
    database.ensureTransaction();
    statements.expire.run(boundary);
  }

  private opened(): { database: TaskDatabase; statements: Statements } {
    if (this.database === null || this.statements === null || !this.database.isOpen) {
      throw new StateError('STATE_MISUSE', 'store is not open', { coordinates: { store: this.name } });
    }
    return { database: this.database, statements: this.statements };
  }
}

function version(row: VersionRow | undefined): StoredVersion | null {
  if (row === undefined) return null;
  const [validFrom, validTo, value] = row;
  return { validFrom, validTo, value };
}
