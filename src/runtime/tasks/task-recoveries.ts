import { describeError } from '../../core/errors.js';
import type { TaskLogger } from '../../processing/task-logger.js';
import { DEFAULT_RETRY_POLICY, TaskRetries, type RetryPolicy } from './task-retries.js';

/**
 * What the task manager remembers about tasks it closed after a failure, until it creates them again: which ones are
 * being recovered (to count their rebuilds), which were fenced (they wait for the next assignment: created now,
 * they would fence the instance that probably owns them), and the failure streaks with their backoff and task
 * timeout (`TaskRetries`). The decisions on a failure are `TaskManager.recover`'s; this is their bookkeeping.
 */
export class TaskRecoveries {
  private readonly retries: TaskRetries;
  /** Tasks closed after a failure, not created again yet. */
  private readonly recovering = new Set<string>();
  private readonly rebuilds = new Map<string, number>();
  private readonly damagedStateDeletions = new Map<string, number>();
  /** Fenced tasks: not created again until a new assignment says they are ours. */
  private readonly fenced = new Set<string>();

  constructor(
    private readonly logger: TaskLogger,
    policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    clock?: () => number,
  ) {
    this.retries = new TaskRetries(policy, clock);
  }

  /** How often a task was closed after a failure (or fencing) and created again. */
  rebuildCount(taskId: string): number {
    return this.rebuilds.get(taskId) ?? 0;
  }

  /** How often a task's state file was found damaged at open (or another's) and deleted, to restore from the changelog. */
  damagedStateCount(taskId: string): number {
    return this.damagedStateDeletions.get(taskId) ?? 0;
  }

  damagedStateDeleted(taskId: string): void {
    this.damagedStateDeletions.set(taskId, this.damagedStateCount(taskId) + 1);
  }

  /** A task closed after a failure; it counts as rebuilt when it is opened again. */
  closedAfterFailure(taskId: string): void {
    this.recovering.add(taskId);
  }

  /** A fenced task waits for the next assignment before it is created again. */
  fencedOut(taskId: string): void {
    this.fenced.add(taskId);
  }

  /**
   * Counts a retriable failure of a task and logs when it is tried again; throws once the task has been failing for
   * longer than the task timeout (`TaskRetries.failed`).
   */
  failed(taskId: string, what: string, error: unknown): void {
    const retryInMs = this.retries.failed(taskId, what, error);
    const attempt = this.retries.failures(taskId);
    if (attempt > 1) this.logger.warn({ taskId, attempt, retryInMs, error: describeError(error) }, 'task keeps failing; retrying after a backoff');
  }

  /** Whether an assigned task that is missing may be created now: not fenced, and its backoff has passed. */
  isDue(taskId: string): boolean {
    return !this.fenced.has(taskId) && this.retries.isDue(taskId);
  }

  /** A new assignment was noted: fenced tasks may be created again, and unassigned ones are no longer recovered. */
  assignmentNoted(assigned: ReadonlyMap<string, unknown>): void {
    this.fenced.clear();
    for (const id of this.recovering) if (!assigned.has(id)) this.recovering.delete(id);
  }

  /** The assignment is applied: failure streaks of tasks no longer ours are forgotten. */
  assignmentApplied(assigned: ReadonlyMap<string, unknown>): void {
    this.retries.retainOnly(assigned);
  }

  opened(taskId: string): void {
    if (this.recovering.delete(taskId)) this.rebuilds.set(taskId, this.rebuildCount(taskId) + 1);
  }

  running(taskId: string): void {
    this.retries.running(taskId);
  }

  committed(taskId: string): void {
    this.retries.succeeded(taskId);
  }
}
