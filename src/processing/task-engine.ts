import { describeError, ProcessingError, StreamsError } from '../core/errors.js';
import { topicPartitionKey } from '../state/changelog.js';
import type { StateStore, StateStoreContext } from '../state/state-store.js';
import { TaskCacheBudget } from '../state/task-cache-budget.js';
import type { CompiledTopology, SubtopologySpec } from '../topology/compiled-topology.js';
import { instantiateTaskNodes, type TaskNodes } from './instantiate-task-nodes.js';
import { PartitionGroup } from './partition-group.js';
import type { RawRecord, TopicPartition } from './raw-record.js';
import type { PunctuationQueue, PunctuationRunner } from './punctuation-queue.js';
import type { ProcessorTaskNode } from './processor-task-node.js';
import { RecordQueue } from './record-queue.js';
import { DEFAULT_CACHE_MAX_BYTES, type TaskEngineConfig, type TaskEngineResources } from './task-engine-config.js';
import { TaskEnvironment } from './task-environment.js';
import { silentLogger } from './task-logger.js';
import { TaskMetricsRecorder, type TaskMetrics } from './task-metrics.js';

type TaskPhase = 'created' | 'stores-initialized' | 'running' | 'closed';

/**
 * One sub-topology running over one partition number (`<subtopology>_<partition>`): fresh processors and stores,
 * a partition group ordering input by timestamp, stream-time and wall-clock punctuation, and a commit path in
 * named steps. No Kafka here: input arrives through `addRecords`, output leaves through the record collector.
 *
 * Lifecycle: `initializeStateStores()` (then the runtime may restore them), `initializeTopology()`, then
 * `addRecords` / `process` / punctuate / `flush` + `commitState`, and finally `close()`.
 */
export class TaskEngine {
  readonly id: string;
  readonly inputPartitions: readonly TopicPartition[];
  private readonly environment: TaskEnvironment;
  private readonly nodes: TaskNodes;
  private readonly partitionGroup: PartitionGroup;
  private readonly metricsRecorder = new TaskMetricsRecorder();
  /**
   * Next offset to commit per input topic: every input partition of a task has the task's partition number, so the
   * topic alone names it, and the per-record path builds no key.
   */
  private readonly consumed = new Map<string, number>();
  /** Made once: `maybePunctuateStreamTime` runs after every record. */
  private readonly runPunctuation: PunctuationRunner;
  private phase: TaskPhase = 'created';
  /** The record-cache budget the task's caching stores share, with their lookup counts. */
  private cacheBudget: TaskCacheBudget | undefined;
  private processedSinceCommit = false;

  constructor(
    private readonly subtopology: SubtopologySpec,
    private readonly topology: CompiledTopology,
    readonly partition: number,
    private readonly config: TaskEngineConfig,
    private readonly resources: TaskEngineResources,
  ) {
    this.id = `${subtopology.id}_${partition}`;
    const clock = config.clock ?? Date.now;
    this.environment = new TaskEnvironment({
      applicationId: config.applicationId,
      taskId: this.id,
      clock,
      streamTime: () => this.partitionGroup.streamTime(),
      recordCollector: resources.recordCollector,
      processingExceptionHandler: config.processingExceptionHandler ?? 'fail',
      metrics: this.metricsRecorder,
      logger: (config.logger ?? silentLogger).child({ taskId: this.id }),
      onSkippedRecord: config.onSkippedRecord,
      lateRecordsTopic: config.lateRecordsTopic,
      outerJoinEmitIntervalMs: config.outerJoinEmitIntervalMs,
      globalStores: resources.globalStores,
    });
    this.nodes = instantiateTaskNodes(subtopology, this.environment, config);
    const queues = [...this.nodes.sourcesByTopic].map(
      ([topic, source]) => new RecordQueue({ topic, partition }, (raw, partitionTimeMs) => source.decode(raw, partitionTimeMs)),
    );
    this.partitionGroup = new PartitionGroup(this.id, queues);
    this.runPunctuation = (nodeName, timestampMs, punctuator) => {
      this.metricsRecorder.recordPunctuation();
      this.nodes.processorsByName.get(nodeName)!.punctuate(timestampMs, punctuator);
    };
    this.inputPartitions = queues.map((queue) => queue.partition);
  }

  /** Builds this task's stores and opens them on the task's database. */
  initializeStateStores(): void {
    this.requirePhase('created');
    const context = this.storeContext();
    this.cacheBudget = TaskCacheBudget.of(context);
    for (const name of this.subtopology.storeNames) {
      const spec = this.topology.stores.find((store) => store.name === name);
      if (spec === undefined) throw new StreamsError('ILLEGAL_STATE', `store ${name} is missing from the topology`, { coordinates: { store: name } });
      // As Kafka Streams strips caching layers when the cache budget is 0, so that every write reaches downstream
      // (a cache would swallow the delete of an absent key, which a table-table join turns into a tombstone).
      const builder = context.cacheMaxBytes === 0 ? spec.builder.withCachingDisabled() : spec.builder;
      const store = builder.build();
      store.init(context);
      this.environment.stores.set(name, store);
    }
    this.phase = 'stores-initialized';
  }

  /** Initializes the processors, parents first; they may schedule punctuations and look up stores. */
  initializeTopology(): void {
    this.requirePhase('stores-initialized');
    for (const processor of this.nodes.processors) processor.init();
    this.phase = 'running';
    this.environment.logger.info({ stores: this.subtopology.storeNames.length }, 'task running');
  }

  /** Buffers raw records of one input partition; returns the partition's buffered count (to pause/resume it). */
  addRecords(partition: TopicPartition, records: readonly RawRecord[]): number {
    return this.partitionGroup.addRecords(partition, records);
  }

  /** Processes the buffered record with the smallest timestamp across partitions; `false` if none is buffered. */
  process(): boolean {
    this.requirePhase('running');
    const record = this.partitionGroup.nextRecord();
    if (record === undefined) return false;
    this.nodes.sourcesByTopic.get(record.topic)!.processStamped(record);
    this.consumed.set(record.topic, record.offset + 1);
    this.metricsRecorder.recordProcessed();
    this.processedSinceCommit = true;
    return true;
  }

  /**
   * The broker refused a record this task produced from `input` and the production handler dropped it: the input
   * record goes to the skipped-record hook (the dead-letter topic) as a `'production'` skip. Returns whether there
   * is such a hook.
   */
  notifyRefusedOutput(input: RawRecord, refused: { readonly topic: string; readonly sink?: string | undefined }, error: unknown): boolean {
    const failure = new StreamsError('PRODUCTION_FAILED', `the broker refused an output record for topic ${refused.topic}: ${describeError(error)}`, { cause: error });
    return this.environment.notifySkipped(input, {
      kind: 'production',
      error: failure,
      taskId: this.id,
      processorNodeId: refused.sink ?? refused.topic,
      topic: input.topic,
      partition: input.partition,
      offset: input.offset,
      timestamp: input.timestamp,
      headers: input.headers,
    });
  }

  /** Fires stream-time punctuations due at the current stream time (none before the first record). */
  maybePunctuateStreamTime(): boolean {
    this.requirePhase('running');
    const streamTime = this.partitionGroup.streamTime();
    if (streamTime < 0) return false;
    return this.punctuate(this.environment.streamTimePunctuations, streamTime);
  }

  /** Fires wall-clock punctuations due at `nowMs` (defaults to the configured clock). */
  maybePunctuateSystemTime(nowMs: number = this.environment.wallClockMs()): boolean {
    this.requirePhase('running');
    return this.punctuate(this.environment.wallClockPunctuations, nowMs);
  }

  /** Commit step 1, flush: flushes every store; caching stores may forward records (and so write to sinks) here. */
  flush(): void {
    this.requirePhase('running');
    this.environment.recordContext = null;
    for (const store of this.environment.stores.values()) store.flush();
  }

  /**
   * Commit step 4, commit state (after the runtime sent the output and committed the input offsets, steps 2 and 3):
   * commits the task's SQLite transaction together with the changelog offsets the state now corresponds to.
   */
  commitState(changelogOffsets: ReadonlyMap<string, number> = new Map()): void {
    this.requirePhase('running');
    this.resources.database.commit(changelogOffsets);
    this.processedSinceCommit = false;
    this.environment.commitRequested = false;
  }

  /** Whether records were processed or punctuations ran since the last commit. */
  commitNeeded(): boolean {
    return this.processedSinceCommit;
  }

  /** Whether a processor called `context.commit()` since the last commit. */
  commitRequested(): boolean {
    return this.environment.commitRequested;
  }

  /** Next offset to commit per input partition (`topic:partition`), past processed and skipped records. */
  consumedOffsets(): ReadonlyMap<string, number> {
    const offsets = new Map<string, number>();
    for (const queue of this.partitionGroup.partitions()) {
      const next = Math.max(this.consumed.get(queue.partition.topic) ?? 0, queue.lastSkippedOffset() + 1);
      if (next > 0) offsets.set(topicPartitionKey(queue.partition.topic, queue.partition.partition), next);
    }
    return offsets;
  }

  streamTime(): number {
    return this.partitionGroup.streamTime();
  }

  /** The largest timestamp processed from one input partition (-1 before the first), committed with its offset. */
  partitionTime(partition: TopicPartition): number {
    return this.partitionGroup.partitionTime(partition);
  }

  /**
   * Restores the partition time committed with an input partition's offset, before the task processes anything, so
   * that stream time (and with it what is late) survives restarts and moves to another instance.
   */
  initializePartitionTime(partition: TopicPartition, partitionTimeMs: number): void {
    this.requirePhase('stores-initialized');
    if (this.partitionGroup.bufferedCount(partition) > 0) {
      throw new StreamsError('ILLEGAL_STATE', 'partition time must be restored before records are added', {
        coordinates: { topic: partition.topic, partition: partition.partition, taskId: this.id },
      });
    }
    this.partitionGroup.initializePartitionTime(partition, partitionTimeMs);
  }

  /** Timestamp of the record `process()` would take next, `undefined` when nothing is buffered. */
  nextRecordTimestamp(): number | undefined {
    return this.partitionGroup.nextTimestamp();
  }

  bufferedCount(partition: TopicPartition): number {
    return this.partitionGroup.bufferedCount(partition);
  }

  /** An open store of this task, for the test driver and interactive queries. */
  stateStore(name: string): StateStore | undefined {
    return this.environment.stores.get(name);
  }

  /** The names of the task's stores (its sub-topology's). */
  storeNames(): readonly string[] {
    return this.subtopology.storeNames;
  }

  metrics(): TaskMetrics {
    return this.metricsRecorder.snapshot();
  }

  /** Reads of the task's caching stores answered by the cache (`hits`) and by the stores below (`misses`). */
  cacheLookups(): { readonly hits: number; readonly misses: number } {
    return this.cacheBudget?.lookups ?? { hits: 0, misses: 0 };
  }

  /**
   * Closes processors (children first), then stores. The database belongs to whoever opened it. Everything is
   * closed even when a processor's `close()` throws, so that one bad processor leaks nothing; the first failure is
   * thrown afterwards, naming its processor.
   */
  close(): void {
    if (this.phase === 'closed') return;
    let failure: { error: unknown } | undefined;
    const attempt = (close: () => void): void => {
      try {
        close();
      } catch (error) {
        failure ??= { error };
      }
    };
    if (this.phase === 'running') for (const processor of [...this.nodes.processors].reverse()) attempt(() => this.closeProcessor(processor));
    for (const store of this.environment.stores.values()) if (store.isOpen()) attempt(() => store.close());
    this.phase = 'closed';
    this.environment.dropWarnings.flush();
    this.environment.logger.info({}, 'task closed');
    if (failure !== undefined) throw failure.error;
  }

  private closeProcessor(processor: ProcessorTaskNode): void {
    try {
      processor.close();
    } catch (error) {
      const coordinates = { taskId: this.id, processor: processor.name };
      throw new ProcessingError(`closing processor ${processor.name} failed: ${describeError(error)}`, { cause: error, coordinates });
    }
  }

  private punctuate(queue: PunctuationQueue, nowMs: number): boolean {
    const punctuated = queue.mayPunctuate(nowMs, this.runPunctuation);
    if (punctuated) this.processedSinceCommit = true;
    return punctuated;
  }

  private storeContext(): StateStoreContext {
    const environment = this.environment;
    return {
      applicationId: this.config.applicationId,
      taskId: this.id,
      database: this.resources.database,
      changelog: this.resources.changelog,
      cacheMaxBytes: this.config.cacheMaxBytes ?? DEFAULT_CACHE_MAX_BYTES,
      currentTimestampMs: () => environment.recordContext?.timestamp ?? Math.max(environment.streamTimeMs(), 0),
    };
  }

  private requirePhase(expected: TaskPhase): void {
    if (this.phase !== expected) {
      throw new StreamsError('ILLEGAL_STATE', `task ${this.id} is ${this.phase}, expected ${expected}`, { coordinates: { taskId: this.id } });
    }
  }
}
