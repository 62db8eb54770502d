import { statSync } from 'node:fs';
import { StreamsError } from '../../../core/errors.js';
import { TaskDatabase } from '../../../state/sqlite/task-database.js';
import type { StateStore, StateStoreContext } from '../../../state/state-store.js';
import type { CompiledTopology } from '../../../topology/compiled-topology.js';
import type { StateDirectory } from '../state-directory.js';

/** One task's database as the main thread reads it, with the stores opened over it so far. */
interface OpenedTask {
  readonly database: TaskDatabase;
  /** The file's inode when opened: a task whose state was wiped and rebuilt has a new file. */
  readonly inode: number;
  readonly stores: Map<string, StateStore>;
}

/**
 * The main thread's reads of the stores that worker threads write: a connection of its own to each queryable task's
 * SQLite file, and the store over it built from the topology without cache or changelog, of which only the reading
 * methods are ever called. SQLite in WAL mode lets these readers run beside the thread writing the file; what they
 * see is the task's last committed state (the cache and the open transaction of the writing thread are not visible).
 * In-memory stores live in the worker's memory, which no other thread can read: asking for one is an error.
 */
export class TaskStateReaders {
  private readonly opened = new Map<string, OpenedTask>();

  constructor(
    private readonly topology: CompiledTopology,
    private readonly applicationId: string,
    private readonly directory: StateDirectory,
  ) {}

  /** The store `name` of each task of `taskIds` that holds it. */
  stores(name: string, taskIds: readonly string[]): StateStore[] {
    const spec = this.topology.stores.find((s) => s.name === name)!;
    const holders = new Set(this.topology.subtopologies.filter((s) => s.storeNames.includes(name)).map((s) => s.id));
    const stores: StateStore[] = [];
    for (const taskId of taskIds) {
      if (!holders.has(Number(taskId.slice(0, taskId.indexOf('_'))))) continue;
      const task = this.open(taskId);
      let store = task.stores.get(name);
      if (store === undefined) {
        store = spec.builder.withCachingDisabled().withLoggingDisabled().build();
        if (!store.persistent) {
          throw new StreamsError('ILLEGAL_STATE', `store ${name} is kept in memory inside its stream thread's worker, which the main thread cannot read; with numStreamThreads > 1 only persistent stores answer queries`, { coordinates: { store: name } });
        }
        store.init(this.readContext(taskId, task.database));
        task.stores.set(name, store);
      }
      stores.push(store);
    }
    return stores;
  }

  /** Closes the connections of tasks no thread of the process can serve reads for any more. */
  retain(taskIds: ReadonlySet<string>): void {
    for (const taskId of [...this.opened.keys()]) if (!taskIds.has(taskId)) this.close(taskId);
  }

  closeAll(): void {
    for (const taskId of [...this.opened.keys()]) this.close(taskId);
  }

  private open(taskId: string): OpenedTask {
    const path = this.directory.databasePath(taskId);
    const inode = inodeOf(path);
    const known = this.opened.get(taskId);
    if (known !== undefined && known.inode === inode) return known;
    if (known !== undefined) this.close(taskId);
    const task = { database: TaskDatabase.open(path), inode: inodeOf(path), stores: new Map<string, StateStore>() };
    this.opened.set(taskId, task);
    return task;
  }

  private close(taskId: string): void {
    const task = this.opened.get(taskId);
    this.opened.delete(taskId);
    if (task === undefined) return;
    for (const store of task.stores.values()) store.close();
    task.database.close();
  }

  private readContext(taskId: string, database: TaskDatabase): StateStoreContext {
    return { applicationId: this.applicationId, taskId, database, changelog: null, cacheMaxBytes: 0, currentTimestampMs: () => 0 };
  }
}

function inodeOf(path: string): number {
  try {
    return statSync(path).ino;
  } catch {
    return -1;
  }
}
