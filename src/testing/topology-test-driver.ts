import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { StreamsError } from '../core/errors.js';
import type { Headers } from '../core/headers.js';
import type { Serde } from '../core/serde.js';
import { GLOBAL_TASK_ID, GlobalStateTask } from '../processing/global-state-task.js';
import { TaskEngine } from '../processing/task-engine.js';
import type { TaskEngineConfig } from '../processing/task-engine-config.js';
import type { TaskMetrics } from '../processing/task-metrics.js';
import type { ReadOnlyKeyValueStore } from '../state/key-value-store.js';
import { readOnlyKeyValueStoreOf } from '../state/read-only-key-value-store-facade.js';
import { readOnlyWindowStoreOf } from '../state/read-only-window-store-facade.js';
import type { ReadOnlySessionStore } from '../state/session-store.js';
import { TaskDatabase } from '../state/sqlite/task-database.js';
import type { StateStore } from '../state/state-store.js';
import { readOnlySessionStoreOf } from '../state/typed-session-store.js';
import type { ReadOnlyWindowStore } from '../state/window-store.js';
import { isVersionedKeyValueStore, type VersionedKeyValueStore } from '../state/versioned-key-value-store.js';
import type { CompiledTopology, SubtopologySpec } from '../topology/compiled-topology.js';
import type { Topology } from '../topology/topology.js';
import { TestDriverOutput, type CollectingChangelogWriter, type ProducedRecord } from './test-driver-output.js';
import { TestInputTopic, type TestInputTopicOptions } from './test-input-topic.js';
import { TestOutputTopic } from './test-output-topic.js';

/**
 * The task settings of `TaskEngineConfig`, plus where the driver keeps state. Every input is committed right
 * away, so `cacheMaxBytes` only merges updates made while processing one input.
 */
export interface TopologyTestDriverConfig
  extends Pick<
    TaskEngineConfig,
    | 'defaultKeySerde'
    | 'defaultValueSerde'
    | 'deserializationExceptionHandler'
    | 'processingExceptionHandler'
    | 'cacheMaxBytes'
    | 'logger'
    | 'defaultTimestampExtractor'
    | 'invalidTimestampPolicy'
    | 'lateRecordsTopic'
    | 'outerJoinEmitIntervalMs'
  > {
  /** Prefix of internal and changelog topics; defaults to `topology-test-driver`. */
  readonly applicationId?: string;
  /** Keep task databases in files under `<stateDir>/<applicationId>/` (removed on close) instead of in memory. */
  readonly stateDir?: string;
}

interface DriverTask {
  readonly task: TaskEngine;
  readonly database: TaskDatabase;
  readonly changelog: CollectingChangelogWriter;
}

interface DriverGlobalState {
  readonly task: GlobalStateTask;
  readonly database: TaskDatabase;
}

const PARTITION = 0;

/**
 * Runs a topology without Kafka, on the real task code: one task per sub-topology, every topic with one partition
 * (0). As in Kafka Streams' driver, each piped record is processed completely before `pipeInput` returns: the
 * task processes it, fires due stream-time punctuations and commits (flushing caches, so every update is
 * visible); records written to topics that the topology reads (repartition topics) are fed back and processed
 * the same way, earliest timestamp first. Wall-clock punctuations fire only from `advanceWallClockTime`.
 *
 * Global stores are created and opened before the tasks; a record piped (or written) to a global topic updates its
 * store at once and is committed, so the next record any task processes sees it, as in Kafka Streams' driver.
 */
export class TopologyTestDriver {
  private readonly applicationId: string;
  private readonly output: TestDriverOutput;
  private readonly tasks: DriverTask[] = [];
  private readonly taskByTopic = new Map<string, DriverTask>();
  private global: DriverGlobalState | undefined;
  private readonly nextInputOffset = new Map<string, number>();
  private wallClockMs: number;
  private closed = false;

  constructor(topology: Topology, private readonly config: TopologyTestDriverConfig = {}, initialWallClockMs: number = Date.now()) {
    this.applicationId = config.applicationId ?? 'topology-test-driver';
    this.wallClockMs = initialWallClockMs;
    this.output = new TestDriverOutput(this.applicationId);
    const compiled = topology.build();
    const taskConfig: TaskEngineConfig = { ...config, applicationId: this.applicationId, clock: () => this.wallClockMs };
    try {
      this.global = this.createGlobalState(compiled, taskConfig);
      for (const subtopology of compiled.subtopologies) {
        const driverTask = this.createTask(subtopology, compiled, taskConfig);
        this.tasks.push(driverTask);
        for (const { topic } of driverTask.task.inputPartitions) this.taskByTopic.set(topic, driverTask);
      }
      for (const { task } of this.tasks) task.initializeStateStores();
      for (const { task } of this.tasks) task.initializeTopology();
    } catch (error) {
      this.close();
      throw error;
    }
  }

  /** A topic to pipe records into; `options` set the clock stamping records piped without a timestamp. */
  createInputTopic<K, V>(name: string, keySerde: Serde<K>, valueSerde: Serde<V>, options: TestInputTopicOptions = {}): TestInputTopic<K, V> {
    const pipe = (key: Buffer | null, value: Buffer | null, timestamp: number, headers: Headers): void => this.pipeRecord(name, key, value, timestamp, headers);
    return new TestInputTopic(name, keySerde, valueSerde, pipe, { startTimestampMs: this.wallClockMs, ...options });
  }

  /** A topic to read what the topology produced (sink topics, repartition and changelog topics alike). */
  createOutputTopic<K, V>(name: string, keySerde: Serde<K>, valueSerde: Serde<V>): TestOutputTopic<K, V> {
    return new TestOutputTopic(name, keySerde, valueSerde, this.output);
  }

  /** A key-value store, read-only; timestamped DSL stores show plain values. `null` if absent or another kind. */
  getKeyValueStore<K, V>(name: string): ReadOnlyKeyValueStore<K, V> | null {
    const store = this.getStateStore(name);
    return store === null ? null : readOnlyKeyValueStoreOf<K, V>(store);
  }

  /** A window store, read-only; windowed aggregations' stores show plain values. `null` if absent or another kind. */
  getWindowStore<K, V>(name: string): ReadOnlyWindowStore<K, V> | null {
    const store = this.getStateStore(name);
    return store === null ? null : readOnlyWindowStoreOf<K, V>(store);
  }

  /** A session store, read-only. `null` if absent or another kind. */
  getSessionStore<K, V>(name: string): ReadOnlySessionStore<K, V> | null {
    const store = this.getStateStore(name);
    return store === null ? null : readOnlySessionStoreOf<K, V>(store);
  }

  /** A versioned key-value store (e.g. a versioned table's), writable as in Kafka Streams' driver. `null` if absent or another kind. */
  getVersionedKeyValueStore<K, V>(name: string): VersionedKeyValueStore<K, V> | null {
    const store = this.getStateStore(name);
    return store !== null && isVersionedKeyValueStore(store) ? (store as VersionedKeyValueStore<K, V>) : null;
  }

  /** The store instance itself (of the task that owns it, or a global store), or `null` if there is none. */
  getStateStore<S extends StateStore = StateStore>(name: string): S | null {
    for (const { task } of this.tasks) {
      const store = task.stateStore(name);
      if (store !== undefined) return store as S;
    }
    return (this.global?.task.stateStore(name) as S | undefined) ?? null;
  }

  /** Moves the mocked wall clock forward, fires due wall-clock punctuations and processes what they produced. */
  advanceWallClockTime(ms: number): void {
    this.requireOpen();
    if (!(ms >= 0)) throw new StreamsError('ILLEGAL_STATE', `cannot advance the wall clock by ${ms} ms`);
    this.wallClockMs += ms;
    for (const driverTask of this.tasks) {
      driverTask.task.maybePunctuateSystemTime(this.wallClockMs);
      this.commit(driverTask);
    }
    this.completeAllProcessableWork();
  }

  /** Every topic the topology produced to so far, including repartition and changelog topics. */
  producedTopicNames(): Set<string> {
    return this.output.topicNames();
  }

  /** Counters per task id (e.g. `0_0`; `global` for the global stores), such as records dropped by the exception handlers. */
  metrics(): Map<string, TaskMetrics> {
    const metrics = new Map(this.tasks.map(({ task }): [string, TaskMetrics] => [task.id, task.metrics()]));
    if (this.global !== undefined) metrics.set(GLOBAL_TASK_ID, this.global.task.metrics());
    return metrics;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const { task, database } of this.tasks) {
      task.close();
      database.close();
    }
    this.global?.task.close();
    this.global?.database.close();
    if (this.config.stateDir !== undefined) rmSync(join(this.config.stateDir, this.applicationId), { recursive: true, force: true });
  }

  private pipeRecord(topic: string, key: Buffer | null, value: Buffer | null, timestamp: number, headers: Headers): void {
    this.requireOpen();
    if (!this.taskByTopic.has(topic) && !this.readsGlobally(topic)) {
      throw new StreamsError('MISSING_SOURCE_TOPIC', `Unknown topic: ${topic} is not read by the topology`);
    }
    this.enqueue({ topic, key, value, timestamp, headers });
    this.completeAllProcessableWork();
  }

  private completeAllProcessableWork(): void {
    this.feedBack(this.output.drain());
    for (let next = this.nextTask(); next !== undefined; next = this.nextTask()) {
      next.task.process();
      next.task.maybePunctuateStreamTime();
      this.commit(next);
      this.feedBack(this.output.drain());
    }
  }

  /** The task holding the earliest buffered record; ties go to the lower sub-topology. */
  private nextTask(): DriverTask | undefined {
    let best: { driverTask: DriverTask; timestamp: number } | undefined;
    for (const driverTask of this.tasks) {
      const timestamp = driverTask.task.nextRecordTimestamp();
      if (timestamp !== undefined && (best === undefined || timestamp < best.timestamp)) best = { driverTask, timestamp };
    }
    return best?.driverTask;
  }

  private commit({ task, changelog }: DriverTask): void {
    task.flush();
    task.commitState(changelog.nextOffsets());
  }

  private feedBack(produced: readonly ProducedRecord[]): void {
    for (const record of produced) if (this.taskByTopic.has(record.topic) || this.readsGlobally(record.topic)) this.enqueue(record);
  }

  /** Buffers a record for the task reading its topic, or applies and commits it at once to the global store reading it. */
  private enqueue(record: ProducedRecord): void {
    const offset = this.nextInputOffset.get(record.topic) ?? 0;
    this.nextInputOffset.set(record.topic, offset + 1);
    const raw = { ...record, partition: PARTITION, offset };
    if (this.readsGlobally(record.topic)) {
      this.global!.task.update([raw]);
      this.global!.task.commit();
      return;
    }
    this.taskByTopic.get(record.topic)!.task.addRecords({ topic: record.topic, partition: PARTITION }, [raw]);
  }

  private readsGlobally(topic: string): boolean {
    return this.global?.task.topics.includes(topic) === true;
  }

  private createGlobalState(compiled: CompiledTopology, taskConfig: TaskEngineConfig): DriverGlobalState | undefined {
    if (compiled.globalStores.length === 0) return undefined;
    const database = TaskDatabase.open(this.databasePath(GLOBAL_TASK_ID));
    const task = new GlobalStateTask(compiled, taskConfig, database);
    try {
      task.initialize();
      return { task, database };
    } catch (error) {
      task.close();
      database.close();
      throw error;
    }
  }

  private createTask(subtopology: SubtopologySpec, compiled: CompiledTopology, taskConfig: TaskEngineConfig): DriverTask {
    const database = TaskDatabase.open(this.databasePath(`${subtopology.id}_${PARTITION}`));
    try {
      const changelog = this.output.changelogWriter();
      const globalStores = this.global?.task.readOnlyStores();
      const task = new TaskEngine(subtopology, compiled, PARTITION, taskConfig, { database, changelog, recordCollector: this.output.recordCollector, globalStores });
      return { task, database, changelog };
    } catch (error) {
      database.close();
      throw error;
    }
  }

  private databasePath(taskId: string): string {
    return this.config.stateDir === undefined ? ':memory:' : join(this.config.stateDir, this.applicationId, taskId, 'task.sqlite');
  }

  private requireOpen(): void {
    if (this.closed) throw new StreamsError('ILLEGAL_STATE', 'the test driver is closed');
  }
}
