import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, readdirSync, realpathSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StateError } from '../../core/errors.js';
import { silentLogger, type TaskLogger } from '../../processing/task-logger.js';

const LOCK_FILE = '.lock';
const DATABASE_FILE = 'task.sqlite';
const TASK_DIRECTORY = /^\d+_\d+$/;
const GLOBAL_DIRECTORY = 'global';
const GLOBAL_DATABASE_FILE = 'global.sqlite';
/** Kafka Streams' name for the file keeping the process id across restarts. */
const PROCESS_FILE = 'kafka-streams-process-metadata';

/** Lock files held by this process: a second `KafkaStreams` of this process on the same directory is refused. */
const heldByThisProcess = new Set<string>();

/** Who holds a lock: written as JSON into the lock file. A lock of older versions holds the pid alone. */
interface LockHolder {
  readonly pid: number;
  /** The holder's start time in clock ticks since boot (`/proc/<pid>/stat`, field 22); Linux only. */
  readonly startTime?: string;
  /** `/proc/sys/kernel/random/boot_id` when the lock was taken; Linux only. */
  readonly bootId?: string;
  readonly hostname?: string;
}

/**
 * `<stateDir>/<applicationId>/`: one folder per task holding its SQLite file, and a lock file naming the process
 * running the application here. Two live instances on one directory would corrupt each other's state, so the
 * second is refused. Node has no OS file lock that dies with the process, so the lock is a file whose holder is
 * checked: it is stale, and taken over, when it provably names no live instance (see `staleReason`).
 */
export class StateDirectory {
  readonly path: string;
  private lockPath: string | null = null;

  constructor(
    stateDir: string,
    applicationId: string,
    private readonly logger: TaskLogger = silentLogger,
  ) {
    this.path = join(stateDir, applicationId);
  }

  /** Takes the lock or throws `STATE_DIR_LOCKED` naming the live process holding it. */
  lock(): void {
    mkdirSync(this.path, { recursive: true });
    const lockPath = join(realpathSync(this.path), LOCK_FILE);
    if (heldByThisProcess.has(lockPath)) throw this.lockedBy({ pid: process.pid }, 'another KafkaStreams instance of this process is using it');
    const content = JSON.stringify(currentHolder());
    for (let attempt = 0; attempt < 3; attempt++) {
      if (createExclusively(lockPath, content)) {
        heldByThisProcess.add(lockPath);
        this.lockPath = lockPath;
        return;
      }
      const found = readLock(lockPath);
      if (found === undefined) continue; // released meanwhile
      const holder = parseHolder(found);
      const stale = holder === undefined ? 'the lock file names no process' : staleReason(holder);
      if (stale === undefined) throw this.lockedBy(holder!, 'another instance of this application is using it');
      this.logger.warn({ path: lockPath, holder: found, reason: stale }, 'taking over a stale state directory lock');
      // Only the lock judged stale is removed: one a concurrent start took meanwhile has other content.
      if (readLock(lockPath) === found) rmSync(lockPath, { force: true });
    }
    throw new StateError('STATE_DIR_LOCKED', `cannot lock state directory ${this.path}: the lock keeps reappearing`);
  }

  unlock(): void {
    const lockPath = this.lockPath;
    if (lockPath === null) return;
    this.lockPath = null;
    heldByThisProcess.delete(lockPath);
    try {
      unlinkSync(lockPath);
    } catch {
      // Already gone (e.g. the directory was deleted by hand): nothing to release.
    }
  }

  /** Whether a live instance (of this process or another) holds the lock. */
  isLockedByLiveProcess(): boolean {
    if (!existsSync(this.path)) return false;
    const lockPath = join(realpathSync(this.path), LOCK_FILE);
    if (heldByThisProcess.has(lockPath)) return true;
    const found = readLock(lockPath);
    const holder = found === undefined ? undefined : parseHolder(found);
    return holder !== undefined && staleReason(holder) === undefined;
  }

  private lockedBy(holder: LockHolder, why: string): StateError {
    const host = holder.hostname === undefined || holder.hostname === hostname() ? '' : ` on host ${holder.hostname}`;
    const message = `state directory ${this.path} is locked by process ${holder.pid}${host}; ${why}. If no such instance runs, delete ${join(this.path, LOCK_FILE)}`;
    return new StateError('STATE_DIR_LOCKED', message);
  }

  /**
   * This instance's process id, kept in `kafka-streams-process-metadata` (`{"processId": …}`, as Kafka Streams
   * writes it) so that a restart on the same directory has the same one: its thread's transactional id
   * (`<applicationId>-<processId>-<threadIndex>`) then fences the previous incarnation at once, aborting what it left
   * open. A missing or unreadable file gets a new id. Call it while holding the lock.
   */
  processId(): string {
    const file = join(this.path, PROCESS_FILE);
    try {
      const stored = (JSON.parse(readFileSync(file, 'utf8')) as { processId?: unknown }).processId;
      if (typeof stored === 'string' && stored.length > 0) return stored;
    } catch {
      // No file yet, or one that cannot be read: a new id replaces it.
    }
    const processId = randomUUID();
    mkdirSync(this.path, { recursive: true });
    writeFileSync(file, JSON.stringify({ processId }));
    this.logger.info({ processId }, 'created a new process id');
    return processId;
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

  /**
   * The global stores' database, `global/global.sqlite`: outside the task folders, so the assignor never takes it
   * for a task's state.
   */
  globalDatabasePath(): string {
    return join(this.path, GLOBAL_DIRECTORY, GLOBAL_DATABASE_FILE);
  }

  /** Deletes the global stores' state (their database is closed): they then read their topics from the beginning. */
  wipeGlobal(): void {
    rmSync(join(this.path, GLOBAL_DIRECTORY), { recursive: true, force: true });
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

/**
 * Why a lock names no live instance, or `undefined` when its holder may be alive. Stale when the holder is
 * - this process's pid, but not held by this process: a previous process that had our pid, e.g. pid 1 of a
 *   container restarted on a persistent volume (a pid names one live process at a time);
 * - from an earlier boot (the boot id differs);
 * - a pid no process has;
 * - a pid whose process started at another time than the holder's: the pid was reused.
 * A holder in another pid namespace (another container sharing the volume at the same time) cannot be told apart.
 */
function staleReason(holder: LockHolder): string | undefined {
  if (holder.pid === process.pid) return 'the lock holds our own pid, left by an earlier process with the same pid';
  const bootId = readBootId();
  if (holder.bootId !== undefined && bootId !== undefined && holder.bootId !== bootId) return 'the lock was taken before the last reboot';
  if (!isAlive(holder.pid)) return 'its process is gone';
  const startTime = processStartTime(holder.pid);
  if (holder.startTime !== undefined && startTime !== undefined && holder.startTime !== startTime) return 'its pid now belongs to another process';
  return undefined;
}

function currentHolder(): LockHolder {
  const startTime = processStartTime(process.pid);
  const bootId = readBootId();
  return { pid: process.pid, ...(startTime === undefined ? {} : { startTime }), ...(bootId === undefined ? {} : { bootId }), hostname: hostname() };
}

/**
 * Creates the lock file with its whole content at once (written aside, then hard-linked into place, which fails if
 * the lock exists), so that no reader sees it empty. Returns `false` when the lock exists.
 */
function createExclusively(lockPath: string, content: string): boolean {
  const aside = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(aside, content);
  try {
    linkSync(aside, lockPath);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS') return createWithoutLink(lockPath, content);
    throw new StateError('STATE_STORAGE_FAILED', `cannot lock state directory ${lockPath}`, { cause: error });
  } finally {
    rmSync(aside, { force: true });
  }
}

/** For file systems without hard links. */
function createWithoutLink(lockPath: string, content: string): boolean {
  try {
    writeFileSync(lockPath, content, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new StateError('STATE_STORAGE_FAILED', `cannot lock state directory ${lockPath}`, { cause: error });
  }
}

function readLock(lockPath: string): string | undefined {
  try {
    return readFileSync(lockPath, 'utf8');
  } catch {
    return undefined;
  }
}

function parseHolder(content: string): LockHolder | undefined {
  const text = content.trim();
  if (/^\d+$/.test(text)) return validPid(Number(text)) ? { pid: Number(text) } : undefined;
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder> | null;
    if (parsed === null || typeof parsed !== 'object' || !validPid(parsed.pid)) return undefined;
    return {
      pid: parsed.pid,
      ...(typeof parsed.startTime === 'string' ? { startTime: parsed.startTime } : {}),
      ...(typeof parsed.bootId === 'string' ? { bootId: parsed.bootId } : {}),
      ...(typeof parsed.hostname === 'string' ? { hostname: parsed.hostname } : {}),
    };
  } catch {
    return undefined;
  }
}

function validPid(pid: unknown): pid is number {
  return typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 0;
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

/** Field 22 of `/proc/<pid>/stat`, after the command name (which may hold spaces and parentheses). */
function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function readBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
