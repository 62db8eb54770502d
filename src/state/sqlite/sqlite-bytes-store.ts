import type Database from 'better-sqlite3';
import { StateError } from '../../core/errors.js';
import type { KeyValue } from '../key-value.js';
import type { KeyValueIterator } from '../key-value-iterator.js';
import { OpenIterators } from '../open-iterators.js';
import type { StateStoreContext } from '../state-store.js';
import type { TaskDatabase } from './task-database.js';

export type Statement<Parameters extends unknown[], Result = unknown> = Database.Statement<Parameters, Result>;

/** `name` as an SQL identifier: double-quoted, its own double quotes doubled, so any store name is a valid table. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Base of the bytes stores that keep one table in the task's SQLite database: it holds the database and the
 * statements prepared over the table while the store is open, and the iterators handed out, so that closing the
 * store closes them and using the store after it closed (or after its database closed) fails loudly.
 *
 * Writes need no flush: they are already in the task's transaction, which `TaskDatabase.commit` makes durable.
 */
export abstract class SqliteBytesStore<Statements> {
  readonly persistent = true;
  private readonly openIterators: OpenIterators;
  private database: TaskDatabase | null = null;
  private statements: Statements | null = null;

  constructor(readonly name: string) {
    this.openIterators = new OpenIterators(name);
  }

  abstract init(context: StateStoreContext): void;

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

  /** Called by `init` once the table exists and its statements are prepared. */
  protected attach(database: TaskDatabase, statements: Statements): void {
    this.database = database;
    this.statements = statements;
  }

  protected opened(): { database: TaskDatabase; statements: Statements } {
    if (this.database === null || this.statements === null || !this.database.isOpen) {
      throw new StateError('STATE_MISUSE', 'store is not open', { coordinates: { store: this.name } });
    }
    return { database: this.database, statements: this.statements };
  }

  /** A tracked iterator over `pull`'s entries (`undefined` = no more). */
  protected openIterator<K>(pull: () => KeyValue<K, Buffer> | undefined): KeyValueIterator<K, Buffer> {
    return this.openIterators.open(pull);
  }

  /** A tracked iterator over rows already read, so no SQLite cursor stays open while the caller writes. */
  protected iterateEntries<K>(entries: Array<KeyValue<K, Buffer>>): KeyValueIterator<K, Buffer> {
    let next = 0;
    return this.openIterator(() => entries[next++]);
  }
}
