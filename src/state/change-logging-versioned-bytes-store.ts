import type { ChangelogWriter } from './changelog.js';
import type { StateStoreContext } from './state-store.js';
import type { VersionedBytesRecord, VersionedBytesStore } from './versioned-bytes-store.js';
import { WrappingStore } from './wrapping-store.js';

/**
 * Change-logging for versioned stores (Kafka Streams' `ChangeLoggingVersionedKeyValueBytesStore`): every put and
 * delete goes to the changelog as `(key, value, timestamp = the version's timestamp)`, a delete as a tombstone, and
 * restoration replays them as puts. Like Kafka Streams it logs a write even when the store refused it as expired:
 * replaying it applies the same rule and refuses it again.
 */
export class ChangeLoggingVersionedBytesStore extends WrappingStore<VersionedBytesStore> implements VersionedBytesStore {
  private changelog: ChangelogWriter | null = null;

  get historyRetentionMs(): number {
    return this.inner.historyRetentionMs;
  }

  override init(context: StateStoreContext): void {
    super.init(context);
    this.changelog = context.changelog;
  }

  put(key: Buffer, value: Buffer | null, timestampMs: number): number {
    const validTo = this.inner.put(key, value, timestampMs);
    this.changelog?.send(this.name, key, value, timestampMs);
    return validTo;
  }

  delete(key: Buffer, timestampMs: number): VersionedBytesRecord | null {
    const existing = this.inner.delete(key, timestampMs);
    this.changelog?.send(this.name, key, null, timestampMs);
    return existing;
  }

  get(key: Buffer): VersionedBytesRecord | null {
    return this.inner.get(key);
  }

  getAsOf(key: Buffer, asOfTimestampMs: number): VersionedBytesRecord | null {
    return this.inner.getAsOf(key, asOfTimestampMs);
  }
}
