import { silentLogger, type TaskLogger } from '../../../processing/task-logger.js';
import { StateDirectory } from '../state-directory.js';
import type { TaskDirectoryLocks } from './task-directory-locks.js';

/** What the directory needs to know of an open task: its id and whether its database is still open. */
export interface OpenTask {
  readonly id: string;
  readonly database: { readonly isOpen: boolean };
}

/**
 * The state directory as one worker's stream thread sees it: the same folders as every other thread of the process
 * (a task's state stays reusable by whichever thread owns it next), but a stateful task's folder is locked for this
 * thread from the moment its database path is asked for — the task manager asks right before it opens the database
 * — until that database is closed. The lock is taken, and waited for, synchronously because the database is opened
 * synchronously.
 *
 * The task manager tells nobody when it closes a task, so releases are found by looking: each claim is tied (after
 * the synchronous opening, in a microtask) to the task object holding the database, and a claim whose database is
 * closed is released by `releaseClosed()`, which runs before every lock, while waiting for one, and on a timer.
 */
export class ThreadStateDirectory extends StateDirectory {
  /** Claimed task ids, with the task whose database holds the claim (`null` until it is known). */
  private readonly claims = new Map<string, OpenTask | null>();

  constructor(
    stateDir: string,
    applicationId: string,
    private readonly locks: TaskDirectoryLocks,
    private readonly options: {
      /** Whether the task keeps state on disk (stateless tasks use an in-memory database and need no lock). */
      readonly stateful: (taskId: string) => boolean;
      /** The tasks of this thread's task manager. */
      readonly openTasks: () => readonly OpenTask[];
      /** How long to wait for another thread of the process to close the task. */
      readonly lockTimeoutMs: number;
    },
    logger: TaskLogger = silentLogger,
  ) {
    super(stateDir, applicationId, logger);
  }

  override databasePath(taskId: string): string {
    if (this.options.stateful(taskId)) {
      this.releaseClosed();
      this.locks.lock(taskId, this.options.lockTimeoutMs, () => this.releaseClosed());
      this.claims.set(taskId, null);
      queueMicrotask(() => this.bindClaim(taskId));
    }
    return super.databasePath(taskId);
  }

  /** Releases the locks of tasks whose database this thread has closed. */
  releaseClosed(): void {
    for (const [taskId, task] of this.claims) {
      if (task === null || task.database.isOpen) continue;
      this.claims.delete(taskId);
      this.locks.unlock(taskId);
    }
  }

  /** Releases every lock of this thread: its stream thread has stopped. */
  releaseAll(): void {
    for (const taskId of this.claims.keys()) this.locks.unlock(taskId);
    this.claims.clear();
  }

  /**
   * Ties a fresh claim to the task that opened the database. Runs after the task manager's synchronous opening, when
   * the task is in its map — or, if creating it threw, absent, its database already closed: then the claim goes.
   */
  private bindClaim(taskId: string): void {
    if (this.claims.get(taskId) !== null) return;
    const task = this.options.openTasks().find((t) => t.id === taskId && t.database.isOpen);
    if (task !== undefined) {
      this.claims.set(taskId, task);
      return;
    }
    this.claims.delete(taskId);
    this.locks.unlock(taskId);
  }
}
