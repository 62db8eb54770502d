import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StateError } from '../../../core/errors.js';

const TASK_LOCK_FILE = '.thread-lock';
const TASK_DIRECTORY = /^\d+_\d+$/;
/** How long a waiting thread sleeps between looks at the lock, unless a release wakes it first. */
const WAIT_SLICE_MS = 10;

/** Who holds a task's lock: a stream thread of this process. */
interface TaskLockHolder {
  readonly pid: number;
  readonly thread: number;
}

/**
 * Exclusive locks on task directories among the stream threads of one process, so that two worker threads never
 * have one task's SQLite state open at once (a task moving between threads of one instance in a rebalance). The
 * process as a whole holds the state directory's lock (`StateDirectory`), so every task lock file names a thread of
 * this process: the main thread clears them all before the first worker starts, and those of a thread that died.
 *
 * A lock is a file created exclusively in the task's directory, which the state stays in: the next thread to own the
 * task restores from it. A thread waits for a lock synchronously (its task manager opens the database synchronously),
 * sleeping on `Atomics.wait` over a counter shared by all threads, which every release bumps and notifies.
 */
export class TaskDirectoryLocks {
  private readonly releases: Int32Array;

  constructor(
    private readonly directory: string,
    private readonly thread: number,
    /** One `Int32Array` cell shared by every thread of the process (`TaskDirectoryLocks.sharedSignal()`). */
    signal: SharedArrayBuffer,
  ) {
    this.releases = new Int32Array(signal);
  }

  static sharedSignal(): SharedArrayBuffer {
    return new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  }

  /** Takes the lock of `taskId` unless another thread holds it; a thread holding it already gets it again. */
  tryLock(taskId: string): boolean {
    const path = this.lockPath(taskId);
    mkdirSync(join(this.directory, taskId), { recursive: true });
    try {
      writeFileSync(path, JSON.stringify({ pid: process.pid, thread: this.thread } satisfies TaskLockHolder), { flag: 'wx' });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new StateError('STATE_STORAGE_FAILED', `cannot lock task directory ${path}`, { cause: error, coordinates: { taskId } });
      return holderOf(path)?.thread === this.thread;
    }
  }

  /**
   * Takes the lock of `taskId`, waiting up to `timeoutMs` for its holder to release it; `whileWaiting` runs between
   * looks (the caller releases what it no longer needs there, so that two threads waiting on each other get free).
   * Throws `STATE_DIR_LOCKED` naming the holder when the wait runs out.
   */
  lock(taskId: string, timeoutMs: number, whileWaiting: () => void = () => undefined): void {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = Atomics.load(this.releases, 0);
      if (this.tryLock(taskId)) return;
      const left = deadline - Date.now();
      if (left <= 0) {
        const holder = holderOf(this.lockPath(taskId));
        const who = holder === undefined ? 'another stream thread' : `stream thread ${holder.thread}`;
        throw new StateError('STATE_DIR_LOCKED', `task ${taskId}'s state is still open in ${who} of this process after ${timeoutMs} ms`, { coordinates: { taskId } });
      }
      Atomics.wait(this.releases, 0, seen, Math.min(WAIT_SLICE_MS, left));
      whileWaiting();
    }
  }

  /** Releases the lock of `taskId` if this thread holds it, and wakes the threads waiting for a lock. */
  unlock(taskId: string): void {
    if (holderOf(this.lockPath(taskId))?.thread !== this.thread) return;
    rmSync(this.lockPath(taskId), { force: true });
    this.notify();
  }

  /** Releases every lock `thread` holds: the main thread's clean-up after that thread ended. */
  releaseThread(thread: number): void {
    for (const taskId of lockedTasks(this.directory)) {
      const path = this.lockPath(taskId);
      if (holderOf(path)?.thread === thread) rmSync(path, { force: true });
    }
    this.notify();
  }

  /** Deletes every task lock: only while no stream thread runs, under the process's state directory lock. */
  releaseAll(): void {
    for (const taskId of lockedTasks(this.directory)) rmSync(this.lockPath(taskId), { force: true });
    this.notify();
  }

  private notify(): void {
    Atomics.add(this.releases, 0, 1);
    Atomics.notify(this.releases, 0);
  }

  private lockPath(taskId: string): string {
    return join(this.directory, taskId, TASK_LOCK_FILE);
  }
}

function lockedTasks(directory: string): string[] {
  try {
    return readdirSync(directory, { withFileTypes: true }).filter((entry) => entry.isDirectory() && TASK_DIRECTORY.test(entry.name)).map((entry) => entry.name);
  } catch {
    return [];
  }
}

function holderOf(path: string): TaskLockHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<TaskLockHolder>;
    return typeof parsed.thread === 'number' && typeof parsed.pid === 'number' ? { pid: parsed.pid, thread: parsed.thread } : undefined;
  } catch {
    return undefined;
  }
}
