import type { OutgoingRecord } from '../../processing/record-collector.js';
import type { TopicPartition } from '../../processing/raw-record.js';
import { topicPartitionKey } from '../../state/changelog.js';
import { DefaultPartitioner } from './default-partitioner.js';
import { KafkaError } from './kafka-error.js';
import { PartitionLog, type TransactionOutcome } from './partition-log.js';

/** Kafka's defaults for the topic settings the cluster obeys. */
const DEFAULT_DELETE_RETENTION_MS = 86_400_000;
const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

export class Topic {
  readonly partitions: PartitionLog[];

  constructor(
    readonly name: string,
    partitionCount: number,
    readonly config: Readonly<{ [key: string]: string }>,
  ) {
    this.partitions = Array.from({ length: partitionCount }, (_, p) => new PartitionLog(name, p));
  }

  get compacted(): boolean {
    return (this.config['cleanup.policy'] ?? 'delete').split(',').includes('compact');
  }

  get deleteRetentionMs(): number {
    return Number(this.config['delete.retention.ms'] ?? DEFAULT_DELETE_RETENTION_MS);
  }

  get maxMessageBytes(): number {
    return Number(this.config['max.message.bytes'] ?? DEFAULT_MAX_MESSAGE_BYTES);
  }
}

/** Called for each partition a send writes to, before its batch is appended: transactions add the partition. */
export type BatchTransaction = (log: PartitionLog) => { producerId: number; outcome: TransactionOutcome } | undefined;

/** What one send did: the last offset written per partition (`topic:partition`), and the first refusal, if any. */
export interface SendResult {
  readonly lastOffsets: Map<string, number>;
  readonly refused: KafkaError | undefined;
}

function recordBytes(record: OutgoingRecord): number {
  let size = (record.key?.length ?? 0) + (record.value?.length ?? 0);
  for (const header of record.headers) size += Buffer.byteLength(header.key) + (header.value?.length ?? 0);
  return size;
}

/**
 * The topics of a cluster and the produce path: records go to their partition (the default partitioner for those
 * without one), one batch per partition. As on a broker, each partition's batch is written or refused whole, and
 * a refusal does not undo the other partitions' batches of the same request.
 */
export class ClusterTopics {
  private readonly topics = new Map<string, Topic>();
  private readonly partitioner = new DefaultPartitioner();

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  names(): string[] {
    return [...this.topics.keys()];
  }

  all(): Topic[] {
    return [...this.topics.values()];
  }

  create(name: string, partitions: number, config: Readonly<{ [key: string]: string }>): void {
    if (!Number.isInteger(partitions) || partitions < 1) throw new KafkaError('INVALID_PARTITIONS', `topic ${name} needs at least one partition, got ${partitions}`);
    if (!this.topics.has(name)) this.topics.set(name, new Topic(name, partitions, { ...config }));
  }

  delete(name: string): void {
    if (!this.topics.delete(name)) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `topic ${name} does not exist`);
  }

  log(partition: TopicPartition): PartitionLog {
    const log = this.topics.get(partition.topic)?.partitions[partition.partition];
    if (log === undefined) throw new KafkaError('UNKNOWN_TOPIC_OR_PARTITION', `${partition.topic}-${partition.partition} does not exist`);
    return log;
  }

  /** The partitions `records` go to, in the order of their first record. */
  private partitionsOf(records: readonly OutgoingRecord[]): Map<string, { partition: TopicPartition; records: OutgoingRecord[] }> {
    const batches = new Map<string, { partition: TopicPartition; records: OutgoingRecord[] }>();
    for (const record of records) {
      const topic = this.topics.get(record.topic);
      const partition = record.partition ?? (topic === undefined ? 0 : this.partitioner.partition(record.topic, record.key, topic.partitions.length));
      const key = topicPartitionKey(record.topic, partition);
      const batch = batches.get(key) ?? { partition: { topic: record.topic, partition }, records: [] };
      batch.records.push(record);
      batches.set(key, batch);
    }
    return batches;
  }

  send(records: readonly OutgoingRecord[], now: number, transaction: BatchTransaction): SendResult {
    const lastOffsets = new Map<string, number>();
    let refused: KafkaError | undefined;
    for (const [key, batch] of this.partitionsOf(records)) {
      try {
        const log = this.log(batch.partition);
        this.validate(this.topics.get(batch.partition.topic)!, batch.records);
        lastOffsets.set(key, log.append(batch.records, now, transaction(log)));
      } catch (error) {
        if (!(error instanceof KafkaError)) throw error;
        refused ??= error;
      }
    }
    return { lastOffsets, refused };
  }

  private validate(topic: Topic, records: readonly OutgoingRecord[]): void {
    for (const record of records) {
      if (topic.compacted && record.key === null) throw new KafkaError('INVALID_RECORD', `compacted topic ${topic.name} refuses a record without a key`);
      if (recordBytes(record) > topic.maxMessageBytes) {
        throw new KafkaError('MESSAGE_TOO_LARGE', `a record of ${recordBytes(record)} bytes exceeds max.message.bytes ${topic.maxMessageBytes} of ${topic.name}`);
      }
    }
  }
}
