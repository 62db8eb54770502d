import { StreamsError } from '../../../core/errors.js';
import type { ReadOnlyKeyValueStore } from '../../../state/key-value-store.js';
import type { ReadOnlyWindowStore } from '../../../state/window-store.js';
import type { StreamsState } from '../streams-state.js';
import { hostKey, type HostInfo } from './query-config.js';
import type { StreamsMetadataState } from './streams-metadata-state.js';

/** What the local answers need from the running client. */
export interface LocalQuerySource {
  state(): StreamsState;
  /** Ids of the local tasks that are running (restored and processing). */
  runningTasks(): ReadonlySet<string>;
  keyValueStore(name: string): ReadOnlyKeyValueStore<unknown, unknown>;
  windowStore(name: string): ReadOnlyWindowStore<unknown, unknown>;
}

export interface KeyValueEntry {
  readonly key: unknown;
  readonly value: unknown;
}

export interface WindowEntry {
  readonly windowStart: number;
  readonly value: unknown;
}

/**
 * Reads this instance's share of a store for a query, refusing (`STORE_NOT_AVAILABLE`) whenever the answer could
 * be wrong or incomplete: the client is not RUNNING, the group's metadata is not current, this instance does not
 * hold the key's task, or the task is not running yet (restoring). A missing key is then truly missing.
 */
export class LocalStoreQuery {
  constructor(
    private readonly self: HostInfo,
    private readonly metadata: StreamsMetadataState,
    private readonly source: LocalQuerySource,
  ) {}

  get(store: string, key: unknown, partition: number): unknown {
    this.requireTask(store, partition);
    return this.source.keyValueStore(store).get(key);
  }

  windows(store: string, key: unknown, partition: number, from: number, to: number): WindowEntry[] {
    this.requireTask(store, partition);
    const iterator = this.source.windowStore(store).fetch(key, from, to);
    try {
      return [...iterator].map(({ key: windowStart, value }) => ({ windowStart, value }));
    } finally {
      iterator.close();
    }
  }

  /** The entries of every task of `store` this instance holds, each of them running. */
  range(store: string, from: unknown, to: unknown): KeyValueEntry[] {
    const { subtopology, tasks } = this.metadata.storeTasks(store);
    for (let partition = 0; partition < tasks; partition++) {
      if (hostKey(this.metadata.ownerOf(store, subtopology, partition)) === hostKey(this.self)) this.requireTask(store, partition);
    }
    const iterator = this.source.keyValueStore(store).range(from, to);
    try {
      return [...iterator].map(({ key, value }) => ({ key, value }));
    } finally {
      iterator.close();
    }
  }

  /** Whether this instance is, as far as it knows, the owner of the key's task. */
  isOwner(store: string, partition: number): boolean {
    const { subtopology } = this.metadata.storeTasks(store);
    return hostKey(this.metadata.ownerOf(store, subtopology, partition)) === hostKey(this.self);
  }

  private requireTask(store: string, partition: number): void {
    const state = this.source.state();
    if (state !== 'RUNNING') throw notAvailable(`the client is ${state}`, store);
    if (!this.isOwner(store, partition)) throw notAvailable('this instance does not hold the task of the key (it moved)', store);
    const { subtopology } = this.metadata.storeTasks(store);
    const taskId = `${subtopology}_${partition}`;
    if (!this.source.runningTasks().has(taskId)) throw notAvailable(`task ${taskId} is not running here yet (restoring or moving)`, store);
  }
}

function notAvailable(reason: string, store: string): StreamsError {
  return new StreamsError('STORE_NOT_AVAILABLE', `store ${store} cannot be queried: ${reason}; retry`, { coordinates: { store } });
}
