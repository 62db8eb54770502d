import type { Headers } from '../../core/headers.js';

/** A serialized output record; `topic` is the full name (internal topics already carry the application id). */
export interface OutgoingRecord {
  readonly topic: string;
  /** Set when the sink's partitioner chose one; otherwise the producer partitions by key. */
  readonly partition?: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Headers;
  readonly timestamp: number;
}

/**
 * Where sink nodes hand their records: the Kafka runtime sends them with the task's producer, the test driver
 * keeps them in memory.
 */
export interface RecordCollector {
  send(record: OutgoingRecord): void;
  /** Partition count of `topic`; asked only when a sink has a custom partitioner. */
  partitionCount(topic: string): number;
}
