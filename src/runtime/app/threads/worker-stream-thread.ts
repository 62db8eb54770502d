import type { Worker } from 'node:worker_threads';
import { StreamsError } from '../../../core/errors.js';
import type { TaskLogger } from '../../../processing/task-logger.js';
import type { ThreadMetricsSnapshot } from '../../metrics/thread-metrics.js';
import type { TaskRuntimeMetrics } from '../streams-metrics.js';
import type { RestoreCall } from './relayed-restore-listener.js';
import { relayLog } from './thread-logger.js';
import { errorOfThreadFailure, type MainMessage, type ThreadWorkerData, type WorkerMessage } from './thread-protocol.js';
import { startWorker } from './worker-bootstrap.js';

/** How long a worker may take to stop after its stream thread stopped, before it is terminated. */
const EXIT_GRACE_MS = 10_000;

export interface WorkerStreamThreadListener {
  state(thread: number, state: 'rebalancing' | 'running'): void;
  /** The thread failed (the worker may still be running: stop it). `committedOnce`: it made progress first. */
  failed(thread: number, error: StreamsError, committedOnce: boolean): void;
  /** A restore listener call the worker's restoration made. */
  restore(call: RestoreCall): void;
}

/**
 * The main thread's handle on one stream thread running in a worker: starts it, relays its logs to the
 * application's logger, keeps its last report (queryable tasks, counters) and stops it.
 */
export class WorkerStreamThread {
  readonly thread: number;
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private readonly stopped: Promise<void>;
  private reportedTasks: readonly string[] = [];
  private reportedMetrics: ReadonlyMap<string, TaskRuntimeMetrics> = new Map();
  private reportedThread: ThreadMetricsSnapshot | undefined;
  private hasFailed = false;
  private startResult: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  /** Resolves once the thread joined its group; rejects when it failed or exited first. */
  readonly started: Promise<void>;

  constructor(data: ThreadWorkerData, logger: TaskLogger, private readonly listener: WorkerStreamThreadListener) {
    this.thread = data.thread;
    this.started = new Promise((resolve, reject) => (this.startResult = { resolve, reject }));
    this.started.catch(() => undefined);
    this.worker = startWorker(new URL('./stream-thread-worker.js', import.meta.url), data);
    let markStopped = () => undefined as void;
    this.stopped = new Promise((resolve) => (markStopped = resolve));
    this.worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'log') relayLog(logger, message);
      else if (message.type === 'started') this.settleStart();
      else if (message.type === 'state') listener.state(this.thread, message.state);
      else if (message.type === 'tasks') {
        this.reportedTasks = message.queryable;
        this.reportedMetrics = message.metrics;
        this.reportedThread = message.thread;
      } else if (message.type === 'restore') listener.restore(message.call);
      else if (message.type === 'stopped') markStopped();
      else this.fail(errorOfThreadFailure(this.thread, message.failure), message.failure.committedOnce);
    });
    this.worker.on('error', (error) => this.fail(new StreamsError('ILLEGAL_STATE', `stream thread ${this.thread} crashed: ${error.message}`, { cause: error }), false));
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', (code) => {
        this.reportedTasks = [];
        markStopped();
        this.fail(new StreamsError('ILLEGAL_STATE', `stream thread ${this.thread} exited (code ${code}) before it was stopped`), false);
        resolve();
      }),
    );
  }

  /** The tasks the worker last said can serve reads. */
  queryableTasks(): readonly string[] {
    return this.reportedTasks;
  }

  metrics(): ReadonlyMap<string, TaskRuntimeMetrics> {
    return this.reportedMetrics;
  }

  /** The thread's own counters as last reported; `undefined` before its first report. */
  threadMetrics(): ThreadMetricsSnapshot | undefined {
    return this.reportedThread;
  }

  /**
   * Stops the stream thread (`clean`: committing its tasks first) and waits for the worker to end; a worker that
   * does not end within a grace period, or never started its thread, is terminated.
   */
  async stop(clean: boolean): Promise<void> {
    this.hasFailed = true; // whatever it says from now on is part of stopping, not a failure to act on
    this.worker.postMessage({ type: 'stop', clean } satisfies MainMessage);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, EXIT_GRACE_MS)));
    await Promise.race([this.stopped.then(() => Promise.race([this.exited, grace])), this.exited]);
    clearTimeout(timer);
    await this.worker.terminate();
  }

  private settleStart(): void {
    this.startResult?.resolve();
    this.startResult = undefined;
  }

  private fail(error: StreamsError, committedOnce: boolean): void {
    if (this.startResult !== undefined) {
      this.startResult.reject(error);
      this.startResult = undefined;
      this.hasFailed = true;
      return;
    }
    if (this.hasFailed) return;
    this.hasFailed = true;
    this.listener.failed(this.thread, error, committedOnce);
  }
}
