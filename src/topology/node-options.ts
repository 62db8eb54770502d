import type { Headers } from '../core/headers.js';
import type { Serde } from '../core/serde.js';

/** A record as read from a topic, after deserialization, handed to a {@link TimestampExtractor}. */
export interface ConsumedRecord<K = unknown, V = unknown> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** The timestamp Kafka stored with the record (create or log-append time). */
  readonly timestamp: number;
  readonly key: K | null;
  readonly value: V | null;
  readonly headers: Headers;
}

/**
 * Chooses the event time of an input record (see `TimestampExtractors` for ready-made ones). `partitionTime` is the
 * largest timestamp processed so far on the record's partition (-1 before the first), so an extractor can fall back
 * to it for records without a usable time. A result that is not a non-negative integer (negative, `NaN`, fractional,
 * not a number at all) is never used as it is: the runtime's `invalidTimestampPolicy` fails the task, skips the
 * record or uses the partition time instead.
 */
export type TimestampExtractor<K = unknown, V = unknown> = (record: ConsumedRecord<K, V>, partitionTime: number) => number;

/** Where the record being written came from: the input record's coordinates, absent inside punctuations. */
export interface RecordContext {
  readonly topic: string | null;
  readonly partition: number | null;
  readonly offset: number | null;
  readonly timestamp: number;
  readonly headers: Headers;
}

/** Picks the output topic of each record written by a dynamic sink. */
export type TopicNameExtractor<K = unknown, V = unknown> = (key: K, value: V, recordContext: RecordContext) => string;

/**
 * Picks the partition of an output record; `undefined` falls back to the default (murmur2 of the key bytes,
 * as the Kafka producer does).
 */
export type StreamPartitioner<K = unknown, V = unknown> = (topic: string, key: K, value: V, numPartitions: number) => number | undefined;

export interface SourceOptions<K = unknown, V = unknown> {
  /** Falls back to the runtime's `defaultKeySerde`. */
  readonly keySerde?: Serde<K>;
  /** Falls back to the runtime's `defaultValueSerde`. */
  readonly valueSerde?: Serde<V>;
  /** Falls back to the runtime's `defaultTimestampExtractor`, then to the record's own Kafka timestamp. */
  readonly timestampExtractor?: TimestampExtractor<K, V>;
  /**
   * The topics are repartition topics of this application, given by their short name
   * (`KSTREAM-AGGREGATE-0000000003-repartition`); the runtime prefixes them with `<applicationId>-`.
   */
  readonly internal?: boolean;
}

export interface SinkOptions<K = unknown, V = unknown> {
  /** Falls back to the runtime's `defaultKeySerde`. */
  readonly keySerde?: Serde<K>;
  /** Falls back to the runtime's `defaultValueSerde`. */
  readonly valueSerde?: Serde<V>;
  readonly partitioner?: StreamPartitioner<K, V>;
  /** The topic is a repartition topic of this application, given by its short name (see {@link SourceOptions}). */
  readonly internal?: boolean;
  /** Partition count of the internal topic; unset lets the runtime match the upstream source topics. */
  readonly partitions?: number;
}
