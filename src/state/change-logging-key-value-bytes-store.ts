import type { BytesRange } from './bytes-range.js';
import type { ChangelogWriter } from './changelog.js';
import type { KeyValue } from './key-value.js';
import type { KeyValueBytesStore } from './key-value-bytes-store.js';
import type { KeyValueIterator } from './key-value-iterator.js';
import type { StateStoreContext } from './state-store.js';
import { WrappingStore } from './wrapping-store.js';

/** What one write sends to the changelog. */
export interface ChangelogEntry {
  readonly value: Buffer | null;
  readonly timestampMs: number;
}

/**
 * Mirrors every write that reaches it to the task's changelog (`context.changelog`), stamped with the timestamp of
 * the record being processed; a delete becomes a tombstone. Sits below the cache, so only flushed writes are logged.
 * Restoration bypasses it: replaying the changelog must not write the changelog again.
 */
export class ChangeLoggingKeyValueBytesStore extends WrappingStore<KeyValueBytesStore> implements KeyValueBytesStore {
  private context: StateStoreContext | null = null;
  private changelog: ChangelogWriter | null = null;

  override init(context: StateStoreContext): void {
    super.init(context);
    this.context = context;
    this.changelog = context.changelog;
  }

  get(key: Buffer): Buffer | null {
    return this.inner.get(key);
  }

  put(key: Buffer, value: Buffer | null): void {
    this.inner.put(key, value);
    this.log(key, value);
  }

  putIfAbsent(key: Buffer, value: Buffer | null): Buffer | null {
    const previous = this.inner.putIfAbsent(key, value);
    if (previous === null) this.log(key, value);
    return previous;
  }

  putAll(entries: ReadonlyArray<KeyValue<Buffer, Buffer | null>>): void {
    this.inner.putAll(entries);
    for (const { key, value } of entries) this.log(key, value);
  }

  /** Logs a tombstone even for an absent key, as Kafka Streams does: the changelog may hold the key still. */
  delete(key: Buffer): Buffer | null {
    const previous = this.inner.delete(key);
    this.log(key, null);
    return previous;
  }

  iterate(range: BytesRange, reverse: boolean): KeyValueIterator<Buffer, Buffer> {
    return this.inner.iterate(range, reverse);
  }

  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }

  /** The changelog value and timestamp for a stored value: as stored, stamped with the current record's time. */
  protected changelogEntry(storedValue: Buffer | null, context: StateStoreContext): ChangelogEntry {
    return { value: storedValue, timestampMs: context.currentTimestampMs() };
  }

  private log(key: Buffer, storedValue: Buffer | null): void {
    if (this.changelog === null || this.context === null) return;
    const { value, timestampMs } = this.changelogEntry(storedValue, this.context);
    this.changelog.send(this.name, key, value, timestampMs);
  }
}
