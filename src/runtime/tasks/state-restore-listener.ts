import type { TopicPartition } from '../../processing/raw-record.js';

/**
 * Hears of every store partition restored from its changelog (Kafka Streams' `StateRestoreListener`), for the
 * tasks of every stream thread and for global stores: set it in the config (`stateRestoreListener`) or with
 * `KafkaStreams.setGlobalStateRestoreListener()`. Offsets are the changelog's (or, for a global store, its topic's).
 * Calls run on the main thread, between batches: keep them short. What a call throws is logged, never rethrown.
 */
export interface StateRestoreListener {
  /** Restoration of `storeName` from `partition` begins at `startingOffset` and reads up to `endingOffset` (exclusive). */
  onRestoreStart(partition: TopicPartition, storeName: string, startingOffset: number, endingOffset: number): void;
  /** A batch was applied: `numRestored` records, the last one at `batchEndOffset`. */
  onBatchRestored(partition: TopicPartition, storeName: string, batchEndOffset: number, numRestored: number): void;
  /** The store partition is current: `totalRestored` records were applied. */
  onRestoreEnd(partition: TopicPartition, storeName: string, totalRestored: number): void;
  /** Restoration stopped before the end (the client closed, the task moved away or failed); resumes where it stopped. */
  onRestoreSuspended?(partition: TopicPartition, storeName: string, totalRestored: number): void;
}
