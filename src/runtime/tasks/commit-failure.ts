import { StateError } from '../../core/errors.js';
import { ProductionFailure } from '../client/production-failure.js';

/**
 * What a failed commit (or early send) of a task means for the task:
 * - `fenced`: a newer producer owns the task's transactional id, so the task probably moved to another instance.
 *   Re-creating it at once would fence the new owner in turn (ping-pong); it waits for the next assignment.
 * - `transient`: the broker or SQLite failed; nothing of the attempt is visible, so the task is rebuilt from its
 *   changelog and committed input offsets.
 * - `fatal`: processing, serde or production-handler errors thrown while flushing or sending. They would recur on
 *   every rebuild, so they fail the thread, as the same errors do during `process()`.
 */
export type CommitFailureKind = 'fenced' | 'transient' | 'fatal';

export function commitFailureKind(error: unknown): CommitFailureKind {
  if (error instanceof ProductionFailure) return error.kind === 'fenced' ? 'fenced' : 'transient';
  if (error instanceof StateError && error.code === 'STATE_FAILED') return 'transient';
  return 'fatal';
}
