import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StateError } from '../../core/errors.js';

const LOCK_FILE = '.lock';
const DATABASE_FILE = 'task.sqlite';
const TASK_DIRECTORY = /^\d+_\d+$/;

/**
 * `<stateDir>/<applicationId>/`: one folder per task holding its SQLite file, and a lock file with the pid of the
 * process running the application here. Two live instances on one directory would corrupt each other's state, so
 * the second is refused; a lock left by a dead process is taken over.
 */
export class StateDirectory {
  readonly path: string;
  private locked = false;

  constructor(stateDir: string, applicationId: string) {
    this.path = join(stateDir, applicationId);
  }

  /** Takes the lock or throws `STATE_DIR_LOCKED` naming the live pid holding it. */
  lock(): void {
    mkdirSync(this.path, { recursive: true });
    const lockPath = join(this.path, LOCK_FILE);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
        this.locked = true;
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new StateError(`cannot lock state directory ${this.path}`, { cause: error });
      }
      const holder = readLockHolder(lockPath);
      if (holder !== undefined && isAlive(holder)) {
        throw new StateError(`state directory ${this.path} is locked by process ${holder}; another instance of this application is using it`, {
          code: 'STATE_DIR_LOCKED',
        });
      }
      rmSync(lockPath, { force: true });
    }
    throw new StateError(`cannot lock state directory ${this.path}: the lock keeps reappearing`, { code: 'STATE_DIR_LOCKED' });
  }

  unlock(): void {
    if (!this.locked) return;
    this.locked = false;
    try {
      unlinkSync(join(this.path, LOCK_FILE));
    } catch {
      // Already gone (e.g. the directory was deleted by hand): nothing to release.
    }
  }

  /** Whether a live process (this one included) holds the lock. */
  isLockedByLiveProcess(): boolean {
    const holder = readLockHolder(join(this.path, LOCK_FILE));
    return holder !== undefined && isAlive(holder);
  }

  databasePath(taskId: string): string {
    return join(this.path, taskId, DATABASE_FILE);
  }

  /** Tasks whose SQLite file is on disk here: the assignor prefers to give them back to this instance. */
  tasksWithState(): string[] {
    if (!existsSync(this.path)) return [];
    return readdirSync(this.path, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && TASK_DIRECTORY.test(entry.name) && existsSync(join(this.path, entry.name, DATABASE_FILE)))
      .map((entry) => entry.name);
  }

  /** Deletes one task's state (its database is closed): the task then restores from the changelog's beginning. */
  wipeTask(taskId: string): void {
    rmSync(join(this.path, taskId), { recursive: true, force: true });
  }

  /** Deletes every task's state and the lock; for `KafkaStreams.cleanUp()`. */
  deleteAll(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

function readLockHolder(lockPath: string): number | undefined {
  try {
    const pid = Number(readFileSync(lockPath, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
