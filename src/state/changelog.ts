/**
 * The state layer's only view of Kafka. Change-logging stores hand every write here; the runtime turns it into a
 * record on `<applicationId>-<store>-changelog` (same partition as the task) inside the task's transaction.
 * The test driver collects them in memory.
 */
export interface ChangelogWriter {
  send(storeName: string, key: Buffer, value: Buffer | null, timestampMs: number): void;
}

/** Replays changelog records into a store's bytes layer during restoration. */
export interface RestoreTarget {
  restoreBatch(records: ReadonlyArray<{ key: Buffer; value: Buffer | null }>): void;
}
