import type { ProcessorStateStore } from '../core/processor.js';
import type { ChangelogRecord, ChangelogWriter } from './changelog.js';
import type { TaskDatabase } from './sqlite/task-database.js';

/** What a task hands each of its stores when it opens them. */
export interface StateStoreContext {
  readonly applicationId: string;
  readonly taskId: string;
  /**
   * The task's one SQLite database: persistent stores keep their tables in it, so a single SQLite transaction
   * covers every store of the task and the changelog offsets they correspond to.
   */
  readonly database: TaskDatabase;
  /** Where change-logging stores send their writes; `null` when the task runs without changelogs. */
  readonly changelog: ChangelogWriter | null;
  /** Timestamp of the record being processed, stamped on changelog records. */
  currentTimestampMs(): number;
  /**
   * The task's record-cache budget in bytes (Kafka Streams' `statestore.cache.max.bytes`, per task). Every caching
   * store initialised with the same context draws on this one budget; a store whose write pushes the total over it
   * evicts its own least-recently-written entries. `0` makes caching stores write through.
   */
  readonly cacheMaxBytes: number;
}

export interface StateStore extends ProcessorStateStore {
  readonly name: string;
  readonly persistent: boolean;
  init(context: StateStoreContext): void;
  /** Pushes cached writes down to the inner store and the changelog (called before every commit). */
  flush(): void;
  close(): void;
  isOpen(): boolean;
  /**
   * Replays changelog records straight into the store's bytes layer, bypassing caching and change-logging.
   * The runtime calls it while restoring, before the task processes anything.
   */
  restoreBatch?(records: ReadonlyArray<ChangelogRecord>): void;
}

/** Builds one store instance per task; held by topologies (never the instance itself). */
export interface StoreBuilder<S extends StateStore = StateStore> {
  readonly name: string;
  readonly loggingEnabled: boolean;
  /** Extra topic configs for the changelog topic (e.g. retention for window stores). */
  readonly logConfig: Readonly<{ [key: string]: string }>;
  readonly cachingEnabled: boolean;
  withCachingEnabled(): StoreBuilder<S>;
  withCachingDisabled(): StoreBuilder<S>;
  withLoggingEnabled(config?: { [key: string]: string }): StoreBuilder<S>;
  withLoggingDisabled(): StoreBuilder<S>;
  build(): S;
}
