import type { Headers } from '../core/headers.js';

/** One input partition of a task. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** A record as consumed from Kafka, before the source node deserializes it. */
export interface RawRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Headers;
}
