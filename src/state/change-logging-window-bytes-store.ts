import { timeWindowedKeyBytes } from '../core/windowed.js';
import type { KeyValueIterator } from './key-value-iterator.js';
import type { StateStoreContext } from './state-store.js';
import { DUPLICATE_SEQUENCE_BYTES } from './window-bytes-store.js';
import type { WindowBytesStore, WindowedBytes, WindowWrite } from './window-bytes-store.js';
import { WrappingStore } from './wrapping-store.js';

/**
 * Mirrors every window write to the task's changelog, keyed by the time-windowed key bytes (key + 8-byte window
 * start) and stamped with the current record's timestamp. Expiry is not logged: the changelog topic deletes old
 * records by its own retention (`cleanup.policy=compact,delete`, set by the store builder).
 *
 * A store that retains duplicates logs each put under its own key, suffixed by a sequence number counted here (as
 * Kafka Streams' `ChangeLoggingWindowBytesStore` does), and logs nothing for the `null` puts it ignores.
 */
export class ChangeLoggingWindowBytesStore extends WrappingStore<WindowBytesStore> implements WindowBytesStore {
  private context: StateStoreContext | null = null;
  private sequence = 0;

  get retentionMs(): number {
    return this.inner.retentionMs;
  }

  get windowSizeMs(): number {
    return this.inner.windowSizeMs;
  }

  get retainDuplicates(): boolean {
    return this.inner.retainDuplicates === true;
  }

  override init(context: StateStoreContext): void {
    super.init(context);
    this.context = context;
  }

  put(keyBytes: Buffer, value: Buffer | null, windowStart: number): void {
    this.inner.put(keyBytes, value, windowStart);
    const changelog = this.context?.changelog;
    if (changelog === null || changelog === undefined || this.context === null) return;
    let key = timeWindowedKeyBytes(keyBytes, windowStart);
    if (this.retainDuplicates) {
      if (value === null) return;
      const sequence = Buffer.alloc(DUPLICATE_SEQUENCE_BYTES);
      sequence.writeInt32BE(this.sequence);
      this.sequence = (this.sequence + 1) | 0;
      key = Buffer.concat([key, sequence]);
    }
    changelog.send(this.name, key, value, this.context.currentTimestampMs());
  }

  /**
   * Hands the batch down, then logs each write with its own timestamp, in the batch's order. A write the batch
   * expired is not logged (Kafka Streams logs it): the store did not keep it, and replaying it would expire it again.
   * With a commit interval longer than the retention (tumbling windows), most of a cache's writes are such.
   */
  putBatch(writes: ReadonlyArray<WindowWrite>): void {
    if (this.retainDuplicates) {
      for (const { keyBytes, value, windowStart } of writes) this.put(keyBytes, value, windowStart);
      return;
    }
    this.inner.putBatch(writes);
    const changelog = this.context?.changelog;
    if (changelog === null || changelog === undefined) return;
    const minLiveStart = this.inner.observedStreamTime() - this.inner.retentionMs + 1;
    for (const { keyBytes, value, windowStart, timestampMs } of writes) {
      if (windowStart >= minLiveStart) changelog.send(this.name, timeWindowedKeyBytes(keyBytes, windowStart), value, timestampMs);
    }
  }

  observedStreamTime(): number {
    return this.inner.observedStreamTime();
  }

  fetch(keyBytes: Buffer, windowStart: number): Buffer | null {
    return this.inner.fetch(keyBytes, windowStart);
  }

  fetchRange(keyBytes: Buffer, timeFrom: number, timeTo: number, reverse: boolean): KeyValueIterator<number, Buffer> {
    return this.inner.fetchRange(keyBytes, timeFrom, timeTo, reverse);
  }

  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<WindowedBytes, Buffer> {
    return this.inner.fetchAll(timeFrom, timeTo);
  }

  all(): KeyValueIterator<WindowedBytes, Buffer> {
    return this.inner.all();
  }
}
