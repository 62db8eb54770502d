import { Headers } from '../../core/headers.js';
import { changelogTopicName, topicPartitionKey, type ChangelogRecord, type ChangelogWriter } from '../../state/changelog.js';
import { TaskDatabase } from '../../state/sqlite/task-database.js';
import type { StateStore } from '../../state/state-store.js';
import type { CompiledTopology, SubtopologySpec } from '../../topology/compiled-topology.js';
import type { WrittenOffsets } from '../client/kafka-client.js';
import { StateMachine } from '../state-machine.js';
import type { RawRecord, TopicPartition } from '../../processing/raw-record.js';
import type { OutgoingRecord, RecordCollector } from '../../processing/record-collector.js';
import { TaskEngine } from '../../processing/task-engine.js';
import type { TaskEngineConfig } from '../../processing/task-engine-config.js';
import type { TaskLogger } from '../../processing/task-logger.js';
import { decodePartitionTime } from './partition-time-metadata.js';
import { TASK_STATE_TRANSITIONS, type TaskState } from './task-state.js';

/** One changelog partition a task writes and restores from. */
export interface ChangelogPartition extends TopicPartition {
  readonly store: string;
  /** SQLite-backed: restoration starts at the offset stored with the state. In-memory: always from the start. */
  readonly persistent: boolean;
}

export interface ActiveTaskOptions {
  readonly subtopology: SubtopologySpec;
  readonly topology: CompiledTopology;
  readonly partition: number;
  readonly databasePath: string;
  readonly taskConfig: TaskEngineConfig;
  readonly logger: TaskLogger;
  /** Partition counts of sink topics, for sinks with a custom partitioner. */
  readonly partitionCount: (topic: string) => number;
  /** Turns a skipped input record into its dead-letter copy; `undefined` when no dead-letter topic is set. */
  readonly deadLetter: ((record: RawRecord, context: Parameters<NonNullable<TaskEngineConfig['onSkippedRecord']>>[1]) => OutgoingRecord) | undefined;
  /** The global stores (read-only views), which every processor may read. */
  readonly globalStores?: ReadonlyMap<string, StateStore> | undefined;
}

/**
 * A `TaskEngine` as the Kafka runtime runs it: its SQLite database, its state, the output (sink, changelog and
 * dead-letter records, in the order they were produced) buffered until the next commit. (Under exactly-once its
 * producer and transaction are the committer's, in a `TaskTransaction`.)
 */
export class ActiveTask {
  readonly id: string;
  readonly engine: TaskEngine;
  readonly database: TaskDatabase;
  readonly changelogPartitions: readonly ChangelogPartition[];
  readonly logger: TaskLogger;
  private readonly lifecycle: StateMachine<TaskState>;
  private output: OutgoingRecord[] = [];
  private writtenChangelogOffsets = new Map<string, number>();
  private restored = 0;
  private skippedRestoring = 0;
  private droppedOutput = 0;
  private committedInput: ReadonlyMap<string, number> = new Map();

  constructor(options: ActiveTaskOptions) {
    const { subtopology, partition } = options;
    this.id = `${subtopology.id}_${partition}`;
    this.logger = options.logger.child({ taskId: this.id });
    this.lifecycle = new StateMachine(`task ${this.id}`, TASK_STATE_TRANSITIONS, 'created', (next, previous) =>
      this.logger.debug({ from: previous, to: next }, 'task state changed'),
    );
    // A stateless task keeps no file: the assignor takes a task file on disk as state worth returning to.
    this.database =
      subtopology.storeNames.length === 0 ? TaskDatabase.open(':memory:') : TaskDatabase.open(options.databasePath, { applicationId: options.taskConfig.applicationId, taskId: this.id });
    try {
      const collector: RecordCollector = { send: (record) => this.output.push(record), partitionCount: options.partitionCount };
      const deadLetter = options.deadLetter;
      const config: TaskEngineConfig = {
        ...options.taskConfig,
        ...(deadLetter === undefined ? {} : { onSkippedRecord: (record, context) => this.output.push(deadLetter(record, context)) }),
      };
      const changelog = this.changelogWriter(options.taskConfig.applicationId, partition);
      const resources = { database: this.database, changelog, recordCollector: collector, ...(options.globalStores === undefined ? {} : { globalStores: options.globalStores }) };
      this.engine = new TaskEngine(subtopology, options.topology, partition, config, resources);
      this.engine.initializeStateStores();
      this.changelogPartitions = subtopology.storeNames
        .filter((name) => options.topology.stores.find((s) => s.name === name)?.builder.loggingEnabled === true)
        .map((store) => ({
          store,
          topic: changelogTopicName(options.taskConfig.applicationId, store),
          partition,
          persistent: this.engine.stateStore(store)?.persistent === true,
        }));
    } catch (error) {
      this.database.close();
      throw error;
    }
  }

  get state(): TaskState {
    return this.lifecycle.state;
  }

  moveTo(state: TaskState): void {
    this.lifecycle.moveTo(state);
  }

  get inputPartitions(): readonly TopicPartition[] {
    return this.engine.inputPartitions;
  }

  get restoredRecords(): number {
    return this.restored;
  }

  /** Changelog records without a key met while restoring: no store can hold them, so they are skipped. */
  get skippedRestoredRecords(): number {
    return this.skippedRestoring;
  }

  /** Output records the broker refused and the production handler dropped. */
  get productionErrors(): number {
    return this.droppedOutput;
  }

  countProductionError(): void {
    this.droppedOutput++;
  }

  /**
   * Replays changelog records into their stores and makes them durable with the position reached (past skipped
   * records too). Returns how many records went into a store.
   */
  applyRestored(records: readonly RawRecord[]): number {
    const byTopic = new Map<string, RawRecord[]>();
    for (const record of records) {
      const batch = byTopic.get(record.topic);
      if (batch === undefined) byTopic.set(record.topic, [record]);
      else batch.push(record);
    }
    const positions = new Map<string, number>();
    let applied = 0;
    for (const [topic, batch] of byTopic) {
      const changelog = this.changelogPartitions.find((c) => c.topic === topic)!;
      const restorable: ChangelogRecord[] = [];
      for (const r of batch) {
        if (r.key !== null) restorable.push({ key: r.key, value: r.value, timestampMs: r.timestamp });
        else this.skipKeyless(r);
      }
      if (restorable.length > 0) this.engine.stateStore(changelog.store)!.restoreBatch?.(restorable);
      positions.set(topicPartitionKey(topic, changelog.partition), batch[batch.length - 1]!.offset + 1);
      applied += restorable.length;
    }
    this.database.commit(positions);
    this.restored += applied;
    return applied;
  }

  /** Restores the partition time committed with an input offset (see `committableOffsets`), before processing starts. */
  restorePartitionTime(partition: TopicPartition, committedMetadata: string | null): void {
    const partitionTimeMs = decodePartitionTime(committedMetadata);
    if (partitionTimeMs !== undefined) this.engine.initializePartitionTime(partition, partitionTimeMs);
    else if (committedMetadata !== null && committedMetadata.length > 0) {
      this.logger.warn({ topic: partition.topic, partition: partition.partition }, 'committed offset metadata holds no partition time we can read; stream time starts afresh');
    }
  }

  /** Whether there is anything to commit: processed or skipped input, buffered output, or a processor's request. */
  commitNeeded(): boolean {
    if (this.engine.commitNeeded() || this.engine.commitRequested() || this.output.length > 0) return true;
    return [...this.engine.consumedOffsets()].some(([key, offset]) => this.committedInput.get(key) !== offset);
  }

  /** Records the input offsets just committed to Kafka. */
  markInputCommitted(offsets: ReadonlyMap<string, number>): void {
    this.committedInput = offsets;
  }

  /** Output buffered since the last commit (or early send), in production order. */
  bufferedOutputCount(): number {
    return this.output.length;
  }

  /** Takes the buffered output, to send it. */
  drainOutput(): OutgoingRecord[] {
    const drained = this.output;
    this.output = [];
    return drained;
  }

  /** Remembers where this task's changelog records landed, for the next `commitState`. */
  noteWritten(written: WrittenOffsets): void {
    for (const changelog of this.changelogPartitions) {
      const key = topicPartitionKey(changelog.topic, changelog.partition);
      const offset = written.get(key);
      if (offset !== undefined) this.writtenChangelogOffsets.set(key, Math.max(offset, this.writtenChangelogOffsets.get(key) ?? -1));
    }
  }

  /** Commit step 4: stores the state with the changelog positions after everything written since the last one. */
  commitState(): void {
    const next = new Map([...this.writtenChangelogOffsets].map(([key, offset]) => [key, offset + 1]));
    this.engine.commitState(next);
    this.writtenChangelogOffsets = new Map();
  }

  /** Drops uncommitted work: buffered output, written offsets, SQLite writes since the last commit. */
  discardUncommitted(): void {
    this.output = [];
    this.writtenChangelogOffsets = new Map();
    this.database.rollback();
  }

  /** Closes the processors, stores and database (uncommitted SQLite writes are rolled back). */
  close(): void {
    if (this.state !== 'closed') this.moveTo('closed');
    try {
      this.engine.close();
    } finally {
      this.database.close();
    }
  }

  private skipKeyless(record: RawRecord): void {
    this.skippedRestoring++;
    this.logger.warn({ topic: record.topic, partition: record.partition, offset: record.offset }, 'skipping changelog record without a key');
  }

  private changelogWriter(applicationId: string, partition: number): ChangelogWriter {
    return {
      send: (storeName, key, value, timestampMs) =>
        this.output.push({ topic: changelogTopicName(applicationId, storeName), partition, key, value, headers: Headers.EMPTY, timestamp: timestampMs }),
    };
  }
}
