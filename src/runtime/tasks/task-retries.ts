import { describeError, StreamsError } from '../../core/errors.js';

/** As Kafka Streams' `task.timeout.ms`: how long a task may keep failing on retriable errors before the thread fails. */
export const DEFAULT_TASK_TIMEOUT_MS = 300_000;

export interface RetryPolicy {
  /**
   * How long a task may keep failing (failures without a commit in between) before its failure is fatal. With 0 the
   * first failure is; otherwise a task is retried at least once.
   */
  readonly timeoutMs: number;
  /** The first failure is retried at once; the second after this long, each further one after twice the last wait. */
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { timeoutMs: DEFAULT_TASK_TIMEOUT_MS, initialBackoffMs: 100, maxBackoffMs: 10_000 };

interface FailureStreak {
  readonly sinceMs: number;
  failures: number;
  /** When the task last started running since its last failure; `undefined` while it is being created or restored. */
  runningSinceMs: number | undefined;
  nextAttemptMs: number;
}

/**
 * The failures in a row of each task, and what follows from them: when to try the task again (at once after its
 * first failure, then with exponential backoff, so that a broker outage is not met with a hot loop of rebuilds) and
 * when to give up. A streak ends when the task commits, or once it has run for a whole timeout without a failure
 * (an idle task has nothing to commit). Time spent creating and restoring the task counts as failing: a failure
 * that recurs after every restoration is a rebuild loop however long the restoration takes, and must end.
 */
export class TaskRetries {
  private readonly streaks = new Map<string, FailureStreak>();

  constructor(
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Records that `what` ("creating the task", "committing") failed for `taskId`, and returns how long to wait
   * before the next attempt. Throws a `StreamsError` naming the task, what kept failing, for how long and the last
   * error (`BROKER_UNAVAILABLE`, or the last error's own code when it is a `StreamsError`) once the task has been
   * failing for longer than the timeout.
   */
  failed(taskId: string, what: string, error: unknown): number {
    const now = this.now();
    const previous = this.streaks.get(taskId);
    const ranWithoutFailing = previous?.runningSinceMs !== undefined && now - previous.runningSinceMs >= this.policy.timeoutMs;
    const streak = previous !== undefined && !ranWithoutFailing ? previous : { sinceMs: now, failures: 0, runningSinceMs: undefined, nextAttemptMs: now };
    streak.failures++;
    streak.runningSinceMs = undefined;
    const failingMs = now - streak.sinceMs;
    if (this.policy.timeoutMs === 0 || (streak.failures > 1 && failingMs >= this.policy.timeoutMs)) {
      this.streaks.delete(taskId);
      const code = error instanceof StreamsError ? error.code : 'BROKER_UNAVAILABLE';
      const message = `task ${taskId} kept failing for ${(failingMs / 1000).toFixed(1)} s (${streak.failures} attempts, task timeout ${this.policy.timeoutMs} ms); last, ${what} failed: ${describeError(error)}`;
      throw new StreamsError(code, message, { cause: error, coordinates: { taskId } });
    }
    const waitMs = streak.failures === 1 ? 0 : Math.min(this.policy.initialBackoffMs * 2 ** (streak.failures - 2), this.policy.maxBackoffMs);
    streak.nextAttemptMs = now + waitMs;
    this.streaks.set(taskId, streak);
    return waitMs;
  }

  /** The task was created again and runs: from now on, a whole timeout without a failure ends its streak. */
  running(taskId: string): void {
    const streak = this.streaks.get(taskId);
    if (streak !== undefined) streak.runningSinceMs = this.now();
  }

  /** The task committed: its streak is over. */
  succeeded(taskId: string): void {
    this.streaks.delete(taskId);
  }

  /** Whether the task may be tried (again) now: it is not failing, or its backoff has passed. */
  isDue(taskId: string): boolean {
    return (this.streaks.get(taskId)?.nextAttemptMs ?? 0) <= this.now();
  }

  /** Failures in the task's current streak (0 when it is not failing). */
  failures(taskId: string): number {
    return this.streaks.get(taskId)?.failures ?? 0;
  }

  /** Forgets the tasks not in `taskIds` (they are no longer ours). */
  retainOnly(taskIds: ReadonlySet<string> | ReadonlyMap<string, unknown>): void {
    for (const id of this.streaks.keys()) if (!taskIds.has(id)) this.streaks.delete(id);
  }
}
