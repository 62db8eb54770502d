import type { ConsumedRecord, TimestampExtractor } from './node-options.js';

/**
 * Ready-made {@link TimestampExtractor}s, for a source (`ConsumedOptions.timestampExtractor`,
 * `SourceOptions.timestampExtractor`) or for the whole application (`defaultTimestampExtractor`).
 */
export const TimestampExtractors = {
  /** Event time is the timestamp Kafka stored with the record (create or log-append time): the default. */
  recordTimestamp<K = unknown, V = unknown>(): TimestampExtractor<K, V> {
    return (record) => record.timestamp;
  },

  /**
   * Processing time: the wall clock when the record is read, as Kafka Streams' `WallclockTimestampExtractor`.
   * Windows then group records by arrival, and no record is ever late. Always the real clock, also in the test driver.
   */
  wallClockTime<K = unknown, V = unknown>(): TimestampExtractor<K, V> {
    return () => Date.now();
  },

  /**
   * Event time taken from the deserialized record, e.g. a field of a JSON value. When a record has no usable time,
   * return something invalid (`NaN`, `-1`) rather than throw: the `invalidTimestampPolicy` then decides (fail, skip
   * or fall back to partition time), whereas a thrown error always stops the task.
   */
  fromRecord<K = unknown, V = unknown>(extract: (key: K | null, value: V | null, record: ConsumedRecord<K, V>) => number): TimestampExtractor<K, V> {
    return (record) => extract(record.key, record.value, record);
  },
} as const;
