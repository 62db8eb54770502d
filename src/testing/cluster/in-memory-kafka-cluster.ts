import { Headers } from '../../core/headers.js';
import type { RawRecord, TopicPartition } from '../../processing/raw-record.js';
import { SystemClock, type ClusterClock } from './cluster-clock.js';
import type { ClusterBackend } from './cluster-backend.js';
import { ClusterFaults, type ClusterOperation } from './cluster-faults.js';
import { ClusterTopics } from './cluster-topics.js';
import { ConsumerGroup } from './consumer-group.js';
import { InMemoryKafkaClient } from './in-memory-kafka-client.js';
import type { Isolation } from './partition-log.js';
import { TransactionCoordinator } from './transaction-coordinator.js';

export interface InMemoryKafkaClusterOptions {
  /** Defaults to wall-clock time; a `ManualClock` makes session and transaction timeouts a test's choice. */
  readonly clock?: ClusterClock;
}

/**
 * A record to write with `produce`; without a partition the default partitioner picks one (murmur2 of the key),
 * without a timestamp it gets the cluster clock's time.
 */
export interface ProducedRecord {
  readonly key?: Buffer | string | null;
  readonly value?: Buffer | string | null;
  readonly partition?: number;
  readonly timestamp?: number;
  readonly headers?: Headers;
}

const bytes = (value: Buffer | string | null | undefined): Buffer | null => (value == null ? null : Buffer.isBuffer(value) ? value : Buffer.from(value));

/**
 * A Kafka cluster in memory, for tests: topics with partitions and offsets, transactions with markers and
 * read_committed, consumer groups running the project's assignor, and the runtime's client port on top
 * (`client()`), so that several `KafkaStreams` instances can run against it in one process. Every client
 * operation goes through `faults`; time comes from `clock`. See docs/runtime.md, "The in-memory cluster".
 */
export class InMemoryKafkaCluster implements ClusterBackend {
  readonly clock: ClusterClock;
  readonly faults = new ClusterFaults();
  /** The port classes' view of topics and transactions; tests use the methods below. */
  readonly topics = new ClusterTopics();
  readonly transactions: TransactionCoordinator;
  private readonly groups = new Map<string, ConsumerGroup>();
  private readonly listeners = new Set<() => void>();
  private clientCount = 0;
  private memberCount = 0;

  constructor(options: InMemoryKafkaClusterOptions = {}) {
    this.clock = options.clock ?? new SystemClock();
    this.transactions = new TransactionCoordinator(this.clock, () => this.changed());
  }

  /**
   * A client of the port for one `KafkaStreams` instance (or a test); `name` identifies it to fault rules and
   * `crash`. `groupFencedTransactions: false` makes it a client without KIP-447, as kafkajs (see `InMemoryKafkaClient`).
   */
  client(options: { name?: string; groupFencedTransactions?: boolean } = {}): InMemoryKafkaClient {
    return new InMemoryKafkaClient(this, options.name ?? `client-${++this.clientCount}`, options.groupFencedTransactions ?? true);
  }

  /** The client stops as a killed process does (see `ClusterFaults.crash`). */
  crash(client: InMemoryKafkaClient | string): void {
    this.faults.crash(typeof client === 'string' ? client : client.name);
  }

  createTopic(name: string, partitions = 1, config: Readonly<{ [key: string]: string }> = {}): void {
    this.topics.create(name, partitions, config);
    this.changed();
  }

  /** Deletes the topic and, as Kafka's group coordinator does, every group's committed offsets of it. */
  deleteTopic(name: string): void {
    this.topics.delete(name);
    for (const group of this.groups.values()) group.forgetTopic(name);
    this.changed();
  }

  /** Writes records outside any transaction, as a plain producer would; returns their offsets. */
  produce(topic: string, records: readonly ProducedRecord[]): number[] {
    const offsets: number[] = [];
    try {
      for (const r of records) {
        const record = { topic, key: bytes(r.key), value: bytes(r.value), headers: r.headers ?? Headers.EMPTY, timestamp: r.timestamp ?? this.clock.now() };
        const { lastOffsets, refused } = this.topics.send([r.partition === undefined ? record : { ...record, partition: r.partition }], this.clock.now(), () => undefined);
        if (refused !== undefined) throw refused;
        offsets.push([...lastOffsets.values()][0]!);
      }
    } finally {
      this.changed();
    }
    return offsets;
  }

  /** Every record of `topic`, partition by partition in offset order, as a consumer of `isolation` reads them now. */
  records(topic: string, isolation: Isolation = 'read_committed'): RawRecord[] {
    const found = this.topics.get(topic);
    if (found === undefined) throw new Error(`topic ${topic} does not exist`);
    return found.partitions.flatMap((log) => log.read(log.logStartOffset(), isolation, Number.MAX_SAFE_INTEGER).records);
  }

  /** Log start, high watermark and last stable offset of one partition. */
  offsets(partition: TopicPartition): { logStart: number; highWatermark: number; lastStable: number } {
    const log = this.topics.log(partition);
    return { logStart: log.logStartOffset(), highWatermark: log.highWatermark(), lastStable: log.lastStableOffset() };
  }

  /** Runs the log cleaner now over every compacted topic (or the one named). */
  compact(topic?: string): void {
    for (const t of this.topics.all()) {
      if (t.compacted && (topic === undefined || t.name === topic)) for (const log of t.partitions) log.compact(this.clock.now(), t.deleteRetentionMs);
    }
    this.changed();
  }

  /** Moves a partition's log start (as retention or `deleteRecords` would). */
  deleteRecordsBefore(partition: TopicPartition, offset: number): void {
    this.topics.log(partition).truncateBefore(offset);
    this.changed();
  }

  /** A group's coordinator state, created empty on first use (as `OffsetCommit` or `TxnOffsetCommit` do). */
  group(groupId: string): ConsumerGroup {
    let group = this.groups.get(groupId);
    if (group === undefined) {
      group = new ConsumerGroup(groupId, this.clock, (topic) => this.topics.get(topic)?.partitions.length);
      this.groups.set(groupId, group);
    }
    return group;
  }

  hasGroup(groupId: string): boolean {
    return this.groups.has(groupId);
  }

  /** For the port classes (`ClusterBackend`). */
  operate<T>(operation: ClusterOperation, apply: () => T): Promise<T> {
    return this.faults.run(operation, apply);
  }

  /** A member id as Kafka makes them: the client's name and a unique suffix. */
  newMemberId(client: string): string {
    return `${client}-member-${++this.memberCount}`;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
