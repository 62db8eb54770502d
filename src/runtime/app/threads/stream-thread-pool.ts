import { describeError, type StreamsError } from '../../../core/errors.js';
import type { StateStore } from '../../../state/state-store.js';
import type { CompiledTopology } from '../../../topology/compiled-topology.js';
import type { StateDirectory } from '../state-directory.js';
import type { ResolvedStreamsConfig, StreamsConfig } from '../streams-config.js';
import type { ThreadMetricsSnapshot } from '../../metrics/thread-metrics.js';
import type { StateRestoreListener } from '../../tasks/state-restore-listener.js';
import type { TaskRuntimeMetrics } from '../streams-metrics.js';
import { deliverRestoreCall } from './relayed-restore-listener.js';
import { TaskDirectoryLocks } from './task-directory-locks.js';
import { TaskStateReaders } from './task-state-readers.js';
import { enabledLogLevels } from './thread-logger.js';
import { ThreadStates } from './thread-states.js';
import type { TopologyModule } from './topology-module.js';
import { WorkerStreamThread } from './worker-stream-thread.js';

export interface StreamThreadPoolOptions {
  readonly source: TopologyModule;
  /** The topology as the main thread built it from `source`: store names and kinds for queries. */
  readonly topology: CompiledTopology;
  readonly config: ResolvedStreamsConfig;
  /** The user's config as workers receive it: plain data, without the logger. */
  readonly workerConfig: StreamsConfig;
  /** The process's state directory, locked by the main thread. */
  readonly stateDirectory: StateDirectory;
  readonly subtopologyTopics: ReadonlyMap<number, readonly string[]>;
  readonly partitionCounts: ReadonlyMap<string, number>;
  /** The user's restore listener, which the workers' restoration calls are relayed to. */
  readonly restoreListener: () => StateRestoreListener | undefined;
  /** The client state the threads' states add up to (`ThreadStates`). */
  readonly stateChanged: (state: 'REBALANCING' | 'RUNNING') => void;
  /**
   * A thread failed: `true` replaces it with a new one (the uncaught-exception handler said REPLACE_THREAD and the
   * thread had made progress), `false` shuts the client down, which the callee does.
   */
  readonly threadFailed: (error: StreamsError, committedOnce: boolean) => boolean;
}

/**
 * `numStreamThreads` stream threads, each in a worker thread of this process and a member of the group of its own,
 * over one state directory: the main thread holds the directory's lock, the task folders are locked per thread
 * (`TaskDirectoryLocks`), and queries read the tasks' SQLite files (`TaskStateReaders`).
 */
export class StreamThreadPool {
  private readonly threads = new Map<number, WorkerStreamThread>();
  private readonly states = new ThreadStates();
  private readonly lockSignal = TaskDirectoryLocks.sharedSignal();
  private readonly locks: TaskDirectoryLocks;
  private readonly readers: TaskStateReaders;
  private stopping = false;

  constructor(private readonly options: StreamThreadPoolOptions) {
    this.locks = new TaskDirectoryLocks(options.stateDirectory.path, 0, this.lockSignal);
    this.readers = new TaskStateReaders(options.topology, options.config.applicationId, options.stateDirectory);
  }

  /** Starts every thread; resolves once each joined its group, rejects with the first failure. */
  async start(): Promise<void> {
    // Under the process's lock no thread of another process can hold a task: what is left is from a dead process.
    this.locks.releaseAll();
    const started: Promise<void>[] = [];
    for (let thread = 1; thread <= this.options.config.numStreamThreads; thread++) started.push(this.startThread(thread));
    await Promise.all(started);
  }

  /** Stops every thread (`clean`: committing first), then closes the query connections. */
  async stop(clean: boolean): Promise<void> {
    this.stopping = true;
    const threads = [...this.threads.values()];
    this.threads.clear();
    try {
      await Promise.all(threads.map((thread) => thread.stop(clean)));
    } finally {
      this.readers.closeAll();
      this.locks.releaseAll();
    }
  }

  /** The tasks any thread can serve reads for, as the workers last reported them. */
  queryableTasks(): Set<string> {
    return new Set([...this.threads.values()].flatMap((thread) => thread.queryableTasks()));
  }

  /** The store `name` of every task any thread can serve reads for. */
  stores(name: string): StateStore[] {
    const tasks = this.queryableTasks();
    this.readers.retain(tasks);
    return this.readers.stores(name, [...tasks].sort());
  }

  /** Every thread's own counters, as each last reported them. */
  threadMetrics(): ThreadMetricsSnapshot[] {
    return [...this.threads.values()].flatMap((thread) => thread.threadMetrics() ?? []);
  }

  /** Every thread's latest task counters. */
  taskMetrics(): Map<string, TaskRuntimeMetrics> {
    return new Map([...this.threads.values()].flatMap((thread) => [...thread.metrics()]));
  }

  private async startThread(thread: number): Promise<void> {
    const { config } = this.options;
    const worker = new WorkerStreamThread(
      {
        thread,
        topology: this.options.source,
        config: this.options.workerConfig,
        clientId: `${config.clientId}-StreamThread-${thread}`,
        subtopologyTopics: this.options.subtopologyTopics,
        partitionCounts: this.options.partitionCounts,
        lockSignal: this.lockSignal,
        logLevels: enabledLogLevels(config.logger),
        relayRestore: this.options.restoreListener() !== undefined,
      },
      config.logger,
      {
        state: (n, state) => {
          if (this.threads.get(n) === worker) this.options.stateChanged(this.states.set(n, state));
        },
        failed: (n, error, committedOnce) => void this.onThreadFailure(n, worker, error, committedOnce),
        restore: (call) => deliverRestoreCall(this.options.restoreListener(), call, config.logger),
      },
    );
    this.threads.set(thread, worker);
    this.options.stateChanged(this.states.set(thread, 'starting'));
    await worker.started;
  }

  private async onThreadFailure(thread: number, worker: WorkerStreamThread, error: StreamsError, committedOnce: boolean): Promise<void> {
    if (this.stopping || this.threads.get(thread) !== worker) return;
    this.options.config.logger.error({ thread, error: describeError(error) }, 'stream thread failed');
    if (!this.options.threadFailed(error, committedOnce)) return;
    this.threads.delete(thread);
    this.options.stateChanged(this.states.remove(thread));
    await worker.stop(false).catch(() => undefined);
    this.locks.releaseThread(thread);
    if (this.stopping) return;
    await this.startThread(thread).catch((startError: unknown) => {
      const replacement = this.threads.get(thread);
      if (replacement !== undefined) void this.onThreadFailure(thread, replacement, startError as StreamsError, false);
    });
  }
}
