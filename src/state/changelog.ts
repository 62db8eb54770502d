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

/**
 * A store's changelog topic, `<applicationId>-<store>-changelog`; it is also the topic name the store's serdes
 * see. Internal topic names are a compatibility surface: renaming this topic silently loses every task's state.
 */
export function changelogTopicName(applicationId: string, storeName: string): string {
  return `${applicationId}-${storeName}-changelog`;
}

/**
 * `topic:partition`, e.g. `app-counts-changelog:3`: the key of per-partition maps — the changelog offsets a task
 * database stores, and the runtime's buffered counts and consumed offsets.
 */
export function topicPartitionKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

/**
 * Kafka Streams' `windowstore.changelog.additional.retention.ms` default (one day), which it applies to window and
 * session stores alike: their changelogs are compacted and deleted by time, keeping entries this much longer than
 * the store does. User configs override.
 */
export function windowedChangelogConfig(storeRetentionMs: number, userConfig: Readonly<{ [key: string]: string }>): { [key: string]: string } {
  const retentionMs = storeRetentionMs + 24 * 60 * 60 * 1000;
  return { 'cleanup.policy': 'compact,delete', 'retention.ms': String(retentionMs), ...userConfig };
}
