import Database from 'better-sqlite3';
import { StateError } from '../../core/errors.js';

/**
 * The state failure `error` is, if it is one: a `StateError` as it is, or an error SQLite raised (I/O, a full disk,
 * a busy or corrupt file) as `STATE_STORAGE_FAILED`. Stores let SQLite's errors through on their hot paths, so the
 * task and the runtime classify them here, the one place that knows SQLite's error type.
 */
export function stateFailureOf(error: unknown): StateError | undefined {
  if (error instanceof StateError) return error;
  if (error instanceof Database.SqliteError) return new StateError('STATE_STORAGE_FAILED', `SQLite failed (${error.code}): ${error.message}`, { cause: error });
  return undefined;
}
