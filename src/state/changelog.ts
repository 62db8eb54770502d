/**
 * The state layer's only view of Kafka. Change-logging stores hand every write here; the runtime turns it into a
 * record on `<applicationId>-<store>-changelog` (same partition as the task) inside the task's transaction.
 * The test driver collects them in memory.
 */
export interface ChangelogWriter {
  send(storeName: string, key: Buffer, value: Buffer | null, timestampMs: number): void;
}

/** A changelog record as restoration replays it: key, value (`null` = tombstone) and the record's timestamp. */
export interface ChangelogRecord {
  readonly key: Buffer;
  readonly value: Buffer | null;
  /** Timestamped stores rebuild each value's timestamp from it, as their changelog holds the plain value. */
  readonly timestampMs: number;
}

/** Replays changelog records into a store's bytes layer during restoration. */
export interface RestoreTarget {
  restoreBatch(records: ReadonlyArray<ChangelogRecord>): void;
}
