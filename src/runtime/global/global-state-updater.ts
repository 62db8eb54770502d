import { describeError, StreamsError } from '../../core/errors.js';
import { topicPartitionKey } from '../../state/changelog.js';
import { TaskDatabase } from '../../state/sqlite/task-database.js';
import type { StateStore } from '../../state/state-store.js';
import type { CompiledTopology } from '../../topology/compiled-topology.js';
import type { ChangelogReadRequest, ChangelogReader, KafkaAdmin, PartitionTailer } from '../client/kafka-client.js';
import { StateMachine, type TransitionTable } from '../state-machine.js';
import { GlobalStateTask, GLOBAL_TASK_ID } from '../../processing/global-state-task.js';
import type { RawRecord, TopicPartition } from '../../processing/raw-record.js';
import type { TaskEngineConfig } from '../../processing/task-engine-config.js';
import type { TaskLogger } from '../../processing/task-logger.js';
import { TaskMetricsRecorder, type TaskMetrics } from '../../processing/task-metrics.js';
import { RestoreProgress, type RestoringStore, type RestorePlan } from '../tasks/restore-progress.js';

/**
 * `RESTORING`: reading each global topic up to the end offsets taken at start, before any task runs. `RUNNING`:
 * tailing them. `ERROR`: a record could not be applied (or the reader failed for good); the client shuts down.
 */
export type GlobalUpdaterState = 'CREATED' | 'RESTORING' | 'RUNNING' | 'ERROR' | 'CLOSED';

const TRANSITIONS: TransitionTable<GlobalUpdaterState> = {
  CREATED: ['RESTORING', 'CLOSED'],
  RESTORING: ['RUNNING', 'ERROR', 'CLOSED'],
  RUNNING: ['ERROR', 'CLOSED'],
  ERROR: ['CLOSED'],
  CLOSED: [],
};

export interface GlobalStateUpdaterOptions {
  readonly topology: CompiledTopology;
  readonly taskConfig: TaskEngineConfig;
  readonly admin: KafkaAdmin;
  readonly reader: ChangelogReader;
  readonly tailer: PartitionTailer;
  /** Where `global.sqlite` lives: the persistent stores' rows and every partition's position. */
  readonly databasePath: string;
  /** Deletes the global state on disk (its database is closed by then). */
  readonly wipe: () => void;
  readonly commitIntervalMs: number;
  readonly logger: TaskLogger;
  /** Where each partition's restoration is reported (listener, logs, metrics), as a task's store partitions are. */
  readonly restoreProgress?: RestoreProgress;
}

/** What `KafkaStreams.metrics()` shows of the global stores. */
export interface GlobalStoreMetrics extends TaskMetrics {
  readonly state: GlobalUpdaterState;
  /** Records read at start-up, before the tasks ran: the topics' tails after a restart, all of them after a wipe. */
  readonly restoredRecords: number;
}

/**
 * Keeps every global store of the topology (Kafka Streams' `GlobalStreamThread` with `GlobalStateManagerImpl`), on
 * each instance, for all partitions of their topics. At start it reads each partition from the position committed
 * with the stores in `global.sqlite` (the beginning when there is none, or when the store is in memory) to the end
 * offsets taken then, read_committed, and only then lets the tasks start. Afterwards it tails the topics, committing
 * stores and positions together every `commitIntervalMs`. Restored and tailed records alike run through the
 * global state task (deserialization and processing policies, null keys dropped, tombstones deleting).
 *
 * A stored position outside the topic (past its end: the topic was recreated; before its start: retention deleted
 * records, tombstones perhaps among them) wipes the global state, which is then read from the beginning.
 */
export class GlobalStateUpdater {
  private readonly lifecycle: StateMachine<GlobalUpdaterState>;
  private readonly logger: TaskLogger;
  private readonly restoration = new AbortController();
  private readonly progress: RestoreProgress;
  private database: TaskDatabase | null = null;
  private task: GlobalStateTask | null = null;
  private restored = 0;
  private commitTimer: NodeJS.Timeout | undefined;
  private lastCommitMs = Date.now();
  private reportFailure: (error: unknown) => void = () => undefined;
  private readonly failed = new Promise<unknown>((resolve) => (this.reportFailure = resolve));

  constructor(private readonly options: GlobalStateUpdaterOptions) {
    this.logger = options.logger.child({ taskId: GLOBAL_TASK_ID });
    this.progress = options.restoreProgress ?? new RestoreProgress(() => undefined, this.logger);
    this.lifecycle = new StateMachine('global state updater', TRANSITIONS, 'CREATED', (next, previous) =>
      this.logger.info({ from: previous, to: next }, 'global state updater state changed'),
    );
  }

  get state(): GlobalUpdaterState {
    return this.lifecycle.state;
  }

  /** Resolves with the error that stopped the updater after it started running. */
  failure(): Promise<unknown> {
    return this.failed;
  }

  /** Restores every global store, then starts tailing; resolves when the stores are current as of the start. */
  async start(): Promise<void> {
    this.lifecycle.moveTo('RESTORING');
    try {
      const partitions = await this.globalPartitions();
      this.open();
      const [ends, beginnings] = await Promise.all([this.options.admin.endOffsets(partitions), this.options.admin.beginningOffsets(partitions)]);
      let plans = this.plan(partitions, ends, beginnings);
      if (plans === undefined) {
        this.logger.warn({}, 'global state lies outside its topics (recreated, or deleted by retention): reading them from the beginning');
        this.closeState();
        this.options.wipe();
        this.open();
        plans = this.plan(partitions, ends, beginnings)!;
      }
      await this.restore(plans);
      this.lifecycle.moveTo('RUNNING');
      await this.options.tailer.start(
        plans.map((plan) => ({ topic: plan.topic, partition: plan.partition, offset: plan.to })),
        (records) => this.apply(records),
        (error) => this.fail(error),
      );
      this.commitTimer = setInterval(() => this.commitIfDue(), this.options.commitIntervalMs);
      this.commitTimer.unref();
    } catch (error) {
      this.lifecycle.tryMoveTo('ERROR');
      throw error;
    }
  }

  /** The global stores as tasks read them (read-only); empty before `start()`. */
  readOnlyStores(): ReadonlyMap<string, StateStore> {
    return this.task?.readOnlyStores() ?? new Map();
  }

  /** A global store for interactive queries, once restored. */
  stateStore(name: string): StateStore | undefined {
    return this.state === 'RUNNING' ? this.task?.stateStore(name) : undefined;
  }

  /** The global partitions being restored now, with what is left of each. */
  restoring(): RestoringStore[] {
    return this.progress.restoring();
  }

  metrics(): GlobalStoreMetrics {
    const task = this.task?.metrics() ?? new TaskMetricsRecorder().snapshot();
    return { ...task, state: this.state, restoredRecords: this.restored };
  }

  /** Stops tailing, commits what was applied (unless it failed), and closes the stores. */
  async close(): Promise<void> {
    if (this.state === 'CLOSED') return;
    const clean = this.state === 'RUNNING';
    this.restoration.abort(new StreamsError('ILLEGAL_STATE', 'the client is closing'));
    clearInterval(this.commitTimer);
    this.lifecycle.moveTo('CLOSED');
    await this.options.tailer.stop();
    try {
      if (clean && this.task?.commitNeeded() === true) this.task.commit();
    } finally {
      this.closeState();
    }
  }

  /** Every partition of every global topic; a missing topic is refused as a missing source topic is. */
  private async globalPartitions(): Promise<TopicPartition[]> {
    const topics = this.options.topology.globalStores.map((spec) => spec.topic);
    const counts = await this.options.admin.partitionCounts(topics);
    const missing = topics.filter((topic) => counts.get(topic) === undefined);
    if (missing.length > 0) {
      throw new StreamsError('MISSING_SOURCE_TOPIC', `source topic(s) ${missing.join(', ')} do not exist; create them before starting the application`, {
        coordinates: { topic: missing[0]! },
      });
    }
    return topics.flatMap((topic) => Array.from({ length: counts.get(topic)! }, (_, partition) => ({ topic, partition })));
  }

  private open(): void {
    this.database = TaskDatabase.open(this.options.databasePath);
    this.task = new GlobalStateTask(this.options.topology, this.options.taskConfig, this.database);
    this.task.initialize();
  }

  private closeState(): void {
    this.task?.close();
    this.database?.close();
    this.task = null;
    this.database = null;
  }

  /**
   * Where each partition's reading starts (its stored position; the beginning for an in-memory store or without
   * one) and ends (the end offset now); `undefined` when a stored position lies outside its partition.
   */
  private plan(partitions: readonly TopicPartition[], ends: ReadonlyMap<string, number>, beginnings: ReadonlyMap<string, number>): ChangelogReadRequest[] | undefined {
    const stored = this.task!.positions();
    const plans: ChangelogReadRequest[] = [];
    for (const { topic, partition } of partitions) {
      const key = topicPartitionKey(topic, partition);
      const end = ends.get(key) ?? 0;
      const beginning = beginnings.get(key) ?? 0;
      const spec = this.options.topology.globalStores.find((candidate) => candidate.topic === topic)!;
      const position = this.task!.stateStore(spec.storeName)!.persistent ? stored.get(key) : undefined;
      if (position !== undefined && (position > end || position < beginning)) return undefined;
      plans.push({ topic, partition, from: position ?? beginning, to: end });
    }
    return plans;
  }

  /** Reads every partition up to its planned end, committing stores and positions batch by batch. */
  private async restore(requests: readonly ChangelogReadRequest[]): Promise<void> {
    const plans = new Map<string, RestorePlan>();
    for (const request of requests) {
      const store = this.options.topology.globalStores.find((spec) => spec.topic === request.topic)!.storeName;
      plans.set(topicPartitionKey(request.topic, request.partition), { ...request, taskId: GLOBAL_TASK_ID, store });
    }
    const reading = [...plans.values()].filter((plan) => plan.from < plan.to);
    this.logger.info({ partitions: requests.length, total: reading.reduce((sum, plan) => sum + plan.to - plan.from, 0) }, 'restoring global stores');
    for (const plan of reading) this.progress.start(plan, this.logger);
    try {
      await this.options.reader.read(requests, (records) => this.applyRestored(records, plans.get(topicPartitionKey(records[0]!.topic, records[0]!.partition))), this.restoration.signal);
    } catch (error) {
      this.progress.suspend(reading);
      throw error;
    }
    for (const plan of reading) this.progress.end(plan);
    this.logger.info({ restored: this.restored }, 'global stores restored');
  }

  private applyRestored(records: readonly RawRecord[], plan: RestorePlan | undefined): void {
    this.task!.update(records);
    this.task!.commit();
    this.restored += records.length;
    if (plan !== undefined) this.progress.batch(plan, records[records.length - 1]!.offset, records.length);
  }

  private apply(records: readonly RawRecord[]): void {
    if (this.state !== 'RUNNING') return;
    this.task!.update(records);
    this.commitIfDue();
  }

  private commitIfDue(): void {
    if (this.state !== 'RUNNING' || !this.task!.commitNeeded() || Date.now() - this.lastCommitMs < this.options.commitIntervalMs) return;
    try {
      this.task!.commit();
      this.lastCommitMs = Date.now();
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    if (!this.lifecycle.tryMoveTo('ERROR')) return;
    clearInterval(this.commitTimer);
    this.logger.error({ error: describeError(error) }, 'global state updater failed');
    this.reportFailure(error);
  }
}
