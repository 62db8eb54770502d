import { stateFailureOf } from '../../state/sqlite/state-failure.js';
import { ProductionFailure } from '../client/production-failure.js';

/**
 * What a failure of a task (while processing, committing or sending early) means for it:
 * - `fenced`: a newer producer owns the task's transactional id, so the task probably moved to another instance.
 *   Re-creating it at once would fence the new owner in turn (ping-pong); it waits for the next assignment.
 * - `transient`: the broker or the storage under the stores failed (`STATE_STORAGE_FAILED`); nothing of the attempt
 *   is visible, so the task is rebuilt from its changelog and committed input offsets, with backoff.
 * - `fatal`: everything else: processing, serde or production-handler errors, a full strict buffer
 *   (`STATE_CAPACITY_EXCEEDED`), a misused store (`STATE_MISUSE`). They would recur on every rebuild, so they fail
 *   the thread.
 */
export type TaskFailureKind = 'fenced' | 'transient' | 'fatal';

export function taskFailureKind(error: unknown): TaskFailureKind {
  if (error instanceof ProductionFailure) return error.kind === 'fenced' ? 'fenced' : 'transient';
  return stateFailureOf(error)?.code === 'STATE_STORAGE_FAILED' ? 'transient' : 'fatal';
}
