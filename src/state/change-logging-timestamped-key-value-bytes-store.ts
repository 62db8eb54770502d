import { readInt64BE } from '../core/int64.js';
import type { ChangelogRecord } from './changelog.js';
import { ChangeLoggingKeyValueBytesStore } from './change-logging-key-value-bytes-store.js';
import type { ChangelogEntry } from './change-logging-key-value-bytes-store.js';
import type { StateStoreContext } from './state-store.js';
import { TIMESTAMP_BYTES, timestampedBytes } from './value-and-timestamp.js';

/**
 * Change-logging for timestamped stores, with Kafka Streams' changelog layout: the changelog record holds the plain
 * value bytes and carries the value's timestamp as its record timestamp (the store itself keeps the timestamp in
 * front of the value). Changelog topics thus read with the value serde alone, and restoration puts the record
 * timestamp back in front of the value.
 */
export class ChangeLoggingTimestampedKeyValueBytesStore extends ChangeLoggingKeyValueBytesStore {
  protected override changelogEntry(storedValue: Buffer | null, context: StateStoreContext): ChangelogEntry {
    if (storedValue === null) return { value: null, timestampMs: context.currentTimestampMs() };
    return { value: storedValue.subarray(TIMESTAMP_BYTES), timestampMs: readInt64BE(storedValue) };
  }

  override restoreBatch(records: ReadonlyArray<ChangelogRecord>): void {
    this.inner.restoreBatch(
      records.map(({ key, value, timestampMs }) => ({
        key,
        value: value === null ? null : timestampedBytes(value, timestampMs),
        timestampMs,
      })),
    );
  }
}
