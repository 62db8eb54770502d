import { StreamsError } from '../core/errors.js';
import { topicPartitionKey } from '../state/changelog.js';
import type { TaskDatabase } from '../state/sqlite/task-database.js';
import type { StateStore } from '../state/state-store.js';
import type { CompiledTopology } from '../topology/compiled-topology.js';
import { instantiateTaskNodes } from './instantiate-task-nodes.js';
import type { ProcessorTaskNode } from './processor-task-node.js';
import type { SourceTaskNode } from './source-task-node.js';
import type { RawRecord } from './raw-record.js';
import type { RecordCollector } from './record-collector.js';
import { readOnlyGlobalStore } from './read-only-global-store.js';
import { DEFAULT_CACHE_MAX_BYTES, type TaskEngineConfig } from './task-engine-config.js';
import { TaskEnvironment } from './task-environment.js';
import { silentLogger } from './task-logger.js';
import { TaskMetricsRecorder, type TaskMetrics } from './task-metrics.js';

/** The id global state goes by in logs, errors and metrics. */
export const GLOBAL_TASK_ID = 'global';

/** Global store processors have no sinks; a `forward` reaches no node, so nothing ever gets here. */
const NO_OUTPUT: RecordCollector = {
  send: () => {
    throw new StreamsError('ILLEGAL_STATE', 'global store processors cannot write to topics');
  },
  partitionCount: () => 1,
};

/**
 * The processing half of every global store of a topology (Kafka Streams' `GlobalStateUpdateTask`): each record of a
 * global topic runs through that topic's source (deserialization and timestamp policies) and its store processor
 * (for a `GlobalKTable`, the table-source processor: null keys dropped, tombstones deleting). Records are applied in
 * the order given, partition by partition, not in timestamp order: a global table holds the latest record per key
 * by offset. `commit()` commits every store's writes together with the next offset per topic partition, in one
 * transaction of the global database. No Kafka here: the runtime's updater and the test driver feed it.
 */
export class GlobalStateTask {
  private readonly environment: TaskEnvironment;
  private readonly sources = new Map<string, SourceTaskNode>();
  private readonly processors: ProcessorTaskNode[] = [];
  private readonly metricsRecorder = new TaskMetricsRecorder();
  private readonly applied = new Map<string, number>();
  private readonly partitionTimes = new Map<string, number>();
  private readonly views = new Map<string, StateStore>();
  private initialized = false;

  constructor(
    private readonly topology: CompiledTopology,
    private readonly config: TaskEngineConfig,
    private readonly database: TaskDatabase,
  ) {
    this.environment = new TaskEnvironment({
      applicationId: config.applicationId,
      taskId: GLOBAL_TASK_ID,
      clock: config.clock ?? Date.now,
      streamTime: () => -1,
      recordCollector: NO_OUTPUT,
      processingExceptionHandler: config.processingExceptionHandler ?? 'fail',
      metrics: this.metricsRecorder,
      logger: (config.logger ?? silentLogger).child({ taskId: GLOBAL_TASK_ID }),
    });
    for (const spec of topology.globalStores) {
      const nodes = instantiateTaskNodes(spec, this.environment, config);
      for (const [topic, source] of nodes.sourcesByTopic) this.sources.set(topic, source);
      this.processors.push(...nodes.processors);
    }
  }

  /** The global topics, one per global store. */
  get topics(): string[] {
    return this.topology.globalStores.map((spec) => spec.topic);
  }

  /** Builds the stores on the global database, then initializes their processors. */
  initialize(): void {
    if (this.initialized) throw new StreamsError('ILLEGAL_STATE', 'the global state task is initialized already');
    const cacheMaxBytes = this.config.cacheMaxBytes ?? DEFAULT_CACHE_MAX_BYTES;
    const context = {
      applicationId: this.config.applicationId,
      taskId: GLOBAL_TASK_ID,
      database: this.database,
      changelog: null,
      cacheMaxBytes,
      currentTimestampMs: () => this.environment.recordContext?.timestamp ?? 0,
    };
    for (const spec of this.topology.globalStores) {
      const store = this.topology.stores.find((candidate) => candidate.name === spec.storeName)!.builder.build();
      store.init(context);
      this.environment.stores.set(spec.storeName, store);
      this.views.set(spec.storeName, readOnlyGlobalStore(store));
    }
    for (const processor of this.processors) processor.init();
    this.initialized = true;
    this.environment.logger.info({ stores: this.views.size }, 'global stores open');
  }

  /** The global stores as tasks read them, by name: read-only. */
  readOnlyStores(): ReadonlyMap<string, StateStore> {
    return this.views;
  }

  /** A global store itself, for interactive queries and the test driver. */
  stateStore(name: string): StateStore | undefined {
    return this.environment.stores.get(name);
  }

  /**
   * Positions committed with the stores (next offset per `topicPartitionKey`), plus those of records applied since:
   * where reading must resume.
   */
  positions(): Map<string, number> {
    return new Map([...this.database.changelogOffsets(), ...this.applied]);
  }

  /** Applies records of global topics, in the order given. */
  update(records: readonly RawRecord[]): void {
    for (const raw of records) {
      const source = this.sources.get(raw.topic);
      if (source === undefined) throw new StreamsError('ILLEGAL_STATE', `topic ${raw.topic} feeds no global store`, { coordinates: { topic: raw.topic } });
      const key = topicPartitionKey(raw.topic, raw.partition);
      const partitionTime = this.partitionTimes.get(key) ?? -1;
      const stamped = source.decode(raw, partitionTime);
      if (stamped !== null) {
        source.processStamped(stamped);
        this.metricsRecorder.recordProcessed();
        if (stamped.timestamp > partitionTime) this.partitionTimes.set(key, stamped.timestamp);
      }
      this.applied.set(key, raw.offset + 1);
    }
  }

  /** Whether records were applied since the last commit. */
  commitNeeded(): boolean {
    return this.applied.size > 0;
  }

  /** Flushes the stores and commits their writes with the positions reached, in one SQLite transaction. */
  commit(): void {
    for (const store of this.environment.stores.values()) store.flush();
    this.database.commit(this.applied);
    this.applied.clear();
  }

  metrics(): TaskMetrics {
    return this.metricsRecorder.snapshot();
  }

  /** Closes processors, then stores, without committing. The database belongs to whoever opened it. */
  close(): void {
    if (this.initialized) for (const processor of [...this.processors].reverse()) processor.close();
    this.initialized = false;
    for (const store of this.environment.stores.values()) if (store.isOpen()) store.close();
    this.environment.stores.clear();
    this.environment.dropWarnings.flush();
  }
}
