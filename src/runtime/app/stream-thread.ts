import { describeError, StreamsError } from '../../core/errors.js';
import type { StateStore } from '../../state/state-store.js';
import type { CompiledTopology } from '../../topology/compiled-topology.js';
import type { GroupConsumer, KafkaAdmin, KafkaClient } from '../client/kafka-client.js';
import { StreamsAssignor, statefulSubtopologies } from '../assignment/streams-assignor.js';
import { taskEngineConfigOf } from './task-engine-config-of.js';
import { AtLeastOnceCommitter } from '../tasks/at-least-once-committer.js';
import { deadLetterRecord } from '../tasks/dead-letter.js';
import { ExactlyOnceCommitter } from '../tasks/exactly-once-committer.js';
import type { TaskCommitter } from '../tasks/task-committer.js';
import { TaskManager } from '../tasks/task-manager.js';
import { DEFAULT_RETRY_POLICY } from '../tasks/task-retries.js';
import { meteredClient } from '../metrics/client-meter.js';
import { ThreadMetricsRecorder, type ThreadMetricsSnapshot } from '../metrics/thread-metrics.js';
import { RestoreProgress } from '../tasks/restore-progress.js';
import type { StateRestoreListener } from '../tasks/state-restore-listener.js';
import { CommitSummary } from './commit-summary.js';
import type { StateDirectory } from './state-directory.js';
import type { ResolvedStreamsConfig } from './streams-config.js';
import type { TaskLogger } from '../../processing/task-logger.js';

/** Records one task processes before the loop moves to the next task (round robin). */
const RECORDS_PER_TASK_TURN = 100;
/** A task's buffered output is sent early, inside its open transaction, once it holds this many records. */
const OUTPUT_SEND_THRESHOLD = 1_000;
/** How long an idle loop waits for records before checking punctuations and commits again. */
const IDLE_WAIT_MS = 10;

export interface StreamThreadListener {
  /** The group started a rebalance, or the assignment is being applied. */
  rebalancing(): void;
  /** The assignment is applied and every task runs. */
  running(): void;
}

export interface StreamThreadOptions {
  readonly config: ResolvedStreamsConfig;
  readonly topology: CompiledTopology;
  readonly client: KafkaClient;
  readonly admin: KafkaAdmin;
  readonly stateDirectory: StateDirectory;
  /** Full source topic names per sub-topology. */
  readonly subtopologyTopics: ReadonlyMap<number, readonly string[]>;
  /** Partition counts of the topics sinks write, for custom partitioners. */
  readonly partitionCounts: ReadonlyMap<string, number>;
  readonly listener: StreamThreadListener;
  /** The global stores (read-only views), which every task may read. */
  readonly globalStores: ReadonlyMap<string, StateStore>;
  /**
   * The thread's index in its transactional id under exactly_once_v2, from 1 as in Kafka Streams (default 1, the
   * only thread of an instance without worker threads). Threads of one process must differ; a thread replacing a
   * failed one takes its index, so its first transaction fences the failed thread's producer.
   */
  readonly threadIndex?: number;
  /** The user's restore listener as of now (it may be set after the thread started). */
  readonly restoreListener?: () => StateRestoreListener | undefined;
}

/**
 * The processing loop of one instance: a group consumer that only buffers records into tasks, and a loop that
 * applies assignments, processes running tasks round-robin (a bounded number of records per turn, stream-time
 * punctuation after each record), fires wall-clock punctuations, commits on the interval, and yields to the event
 * loop so kafkajs can fetch and heartbeat. A failure ends the loop; `failure()` resolves with it.
 */
export class StreamThread {
  private readonly consumer: GroupConsumer;
  private readonly committer: TaskCommitter;
  private readonly tasks: TaskManager;
  private readonly metrics: ThreadMetricsRecorder;
  private readonly restoreProgress: RestoreProgress;
  private readonly summary: CommitSummary;
  private readonly logger: TaskLogger;
  private rebalanceStarted = false;
  private assignmentPending = false;
  private lostPending = false;
  private stopRequested = false;
  private failed: unknown = undefined;
  private lastCommitMs = Date.now();
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private reportFailure: (error: unknown) => void = () => undefined;
  private readonly failureReported = new Promise<unknown>((resolve) => (this.reportFailure = resolve));
  /** Whether a task committed work since this thread started: a replacement is only worth it after progress. */
  committedOnce = false;

  constructor(private readonly options: StreamThreadOptions) {
    const { config, topology } = options;
    this.metrics = new ThreadMetricsRecorder(`StreamThread-${options.threadIndex ?? 1}`);
    this.logger = config.logger.child({ thread: this.metrics.thread });
    // Records and bytes sent and fetched are counted here, around the port, whichever adapter is behind it.
    const client = meteredClient(options.client, this.metrics.client);
    this.restoreProgress = new RestoreProgress(options.restoreListener ?? (() => undefined), this.logger);
    this.summary = new CommitSummary(this.logger, config.logSummaryIntervalMs);
    const subtopologyOfTopic = new Map([...options.subtopologyTopics].flatMap(([id, topics]) => topics.map((t) => [t, id] as const)));
    this.consumer = client.groupConsumer({
      groupId: config.applicationId,
      topics: [...subtopologyOfTopic.keys()],
      assignor: new StreamsAssignor(options.subtopologyTopics, statefulSubtopologies(topology), () => ({
        previousTasks: this.tasks.heldTaskIds(),
        tasksWithState: options.stateDirectory.tasksWithState(),
        ...(config.applicationServer === undefined ? {} : { applicationServer: config.applicationServer }),
      })),
      sessionTimeoutMs: config.sessionTimeoutMs,
      heartbeatIntervalMs: config.heartbeatIntervalMs,
      readCommitted: config.processingGuarantee === 'exactly_once',
    });
    this.committer =
      config.processingGuarantee === 'exactly_once'
        ? new ExactlyOnceCommitter(client, config.applicationId, config.productionExceptionHandler, this.threadTransactionalId())
        : new AtLeastOnceCommitter(client, (offsets) => (offsets.length === 0 ? Promise.resolve() : this.consumer.commitOffsets(offsets)), config.productionExceptionHandler, config.logger);
    const deadLetterTopic = config.deadLetterTopic;
    this.tasks = new TaskManager({
      applicationId: config.applicationId,
      topology,
      taskConfig: taskEngineConfigOf(config),
      stateDirectory: options.stateDirectory,
      admin: options.admin,
      changelogReader: client.changelogReader(),
      restoreProgress: this.restoreProgress,
      committer: this.committer,
      consumer: () => this.consumer,
      subtopologyOfTopic,
      partitionCount: (topic) => this.partitionCount(topic),
      deadLetter: deadLetterTopic === undefined ? undefined : (record, context) => deadLetterRecord(deadLetterTopic, record, context),
      maxBufferedRecordsPerPartition: config.maxBufferedRecordsPerPartition,
      logger: this.logger,
      globalStores: options.globalStores,
      retryPolicy: { ...DEFAULT_RETRY_POLICY, timeoutMs: this.options.config.taskTimeoutMs },
    });
  }

  /**
   * KIP-447 (the client has `groupFencedTransactions`): one producer for the thread, named as in Kafka Streams'
   * `exactly_once_v2`; `undefined` when each task needs its own.
   */
  private threadTransactionalId(): string | undefined {
    if (!this.options.client.groupFencedTransactions) return undefined;
    const transactionalId = `${this.options.config.applicationId}-${this.options.stateDirectory.processId()}-${this.options.threadIndex ?? 1}`;
    this.logger.info({ transactionalId }, 'exactly-once with one transactional producer for the thread (KIP-447)');
    return transactionalId;
  }

  async start(): Promise<void> {
    await this.consumer.start({
      onRecords: (records) => {
        try {
          this.tasks.acceptRecords(records);
        } catch (error) {
          this.fail(error);
        }
        this.wakeUp();
      },
      onFetchPosition: (partition, nextOffset, highWatermark) => this.tasks.noteFetchPosition(partition, nextOffset, highWatermark),
      onRebalancing: () => {
        this.rebalanceStarted = true;
        this.options.listener.rebalancing();
        this.wakeUp();
      },
      onAssignment: (partitions) => {
        this.metrics.rebalanced();
        this.tasks.noteAssignment(partitions);
        this.assignmentPending = true;
        this.options.listener.rebalancing();
        this.wakeUp();
      },
      onPartitionsLost: () => {
        this.tasks.noteLost();
        this.lostPending = true;
        this.options.listener.rebalancing();
        this.wakeUp();
      },
      onCrash: (error) => this.fail(error),
    });
    this.loop = this.run().catch((error: unknown) => this.fail(error));
  }

  /** Resolves with the error that stopped the loop (never resolves on a clean stop). */
  failure(): Promise<unknown> {
    return this.failureReported;
  }

  /**
   * Stops the loop and releases everything; `clean` commits the tasks first, otherwise their work is aborted. A
   * restoration in progress is interrupted; its tasks are closed without a commit.
   */
  async stop(clean: boolean): Promise<void> {
    this.stopRequested = true;
    this.tasks.interrupt();
    this.wakeUp();
    await this.loop;
    this.summary.maybeLog(true);
    try {
      await this.tasks.closeAll(clean && this.failed === undefined);
    } finally {
      await this.consumer.stop().catch(() => undefined);
      await this.committer.close().catch(() => undefined);
    }
  }

  taskManager(): TaskManager {
    return this.tasks;
  }

  /** The thread's own counters with its partitions' lag and the restorations in progress. */
  metricsSnapshot(): ThreadMetricsSnapshot {
    return this.metrics.snapshot(this.tasks.recordsLag(), this.restoreProgress.restoring());
  }

  private async run(): Promise<void> {
    while (!this.stopRequested && this.failed === undefined) {
      if (this.lostPending) {
        this.lostPending = false;
        await this.tasks.closeLost();
      }
      if (this.rebalanceStarted) {
        this.rebalanceStarted = false;
        await this.tasks.suspendAll();
      }
      if (this.assignmentPending) {
        this.assignmentPending = false;
        await this.tasks.applyAssignment();
        if (!this.assignmentPending && !this.rebalanceStarted && !this.lostPending) this.options.listener.running();
        continue;
      }
      this.checkConsumerOutage();
      await this.tasks.createDueTasks();
      const processed = await this.tasks.process(RECORDS_PER_TASK_TURN);
      this.summary.recordsProcessed(processed);
      await this.tasks.sendLargeBuffers(OUTPUT_SEND_THRESHOLD);
      if (this.commitDue()) await this.commit();
      this.tasks.resumeDrained();
      await (processed > 0 ? new Promise((resolve) => setImmediate(resolve)) : this.idle());
    }
  }

  /** Fails the thread once the group consumer has been out of its group for longer than the task timeout. */
  private checkConsumerOutage(): void {
    const outage = this.consumer.outage();
    if (outage === undefined || Date.now() - outage.sinceMs < this.options.config.taskTimeoutMs) return;
    const seconds = ((Date.now() - outage.sinceMs) / 1000).toFixed(1);
    const message = `the group consumer could not get back into group ${this.options.config.applicationId} for ${seconds} s (task timeout ${this.options.config.taskTimeoutMs} ms): ${describeError(outage.lastError)}`;
    throw new StreamsError('BROKER_UNAVAILABLE', message, { cause: outage.lastError });
  }

  private commitDue(): boolean {
    if (Date.now() - this.lastCommitMs >= this.options.config.commitIntervalMs) return true;
    return this.tasks.runningTasks().some((task) => task.engine.commitRequested());
  }

  private async commit(): Promise<void> {
    const started = performance.now();
    const committed = await this.tasks.commit();
    if (committed > 0) {
      this.committedOnce = true;
      const latencyMs = performance.now() - started;
      this.metrics.commitLatency.observe(latencyMs / 1000);
      this.summary.committed(committed, latencyMs);
    }
    this.summary.maybeLog();
    this.lastCommitMs = Date.now();
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, IDLE_WAIT_MS);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }

  private wakeUp(): void {
    this.wake?.();
  }

  private fail(error: unknown): void {
    if (this.failed !== undefined || this.stopRequested) return;
    this.failed = error ?? new StreamsError('ILLEGAL_STATE', 'stream thread failed without an error');
    this.wakeUp();
    this.reportFailure(this.failed);
  }

  private partitionCount(topic: string): number {
    const count = this.options.partitionCounts.get(topic);
    if (count === undefined) throw new StreamsError('ILLEGAL_STATE', `partition count of topic ${topic} is unknown; does it exist?`, { coordinates: { topic } });
    return count;
  }
}
