import type { Headers } from '../core/headers.js';
import type { RawRecord } from './raw-record.js';

/** A serialized output record; `topic` is the full name (internal topics already carry the application id). */
export interface OutgoingRecord {
  readonly topic: string;
  /** Set when the sink's partitioner chose one; otherwise the producer partitions by key. */
  readonly partition?: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Headers;
  readonly timestamp: number;
  /**
   * Not sent: the input record being processed when a sink produced this record, so that a record the broker
   * refuses can be traced to its input and that input dead-lettered. Absent for records produced outside record
   * processing (punctuations, cache flushes at commit), changelog records and dead-letter or late copies. Output a
   * cache evicts during processing is attributed to the record being processed, as its record metadata is.
   */
  readonly input?: RawRecord | undefined;
  /** Not sent: the sink node that produced this record. */
  readonly sink?: string | undefined;
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
