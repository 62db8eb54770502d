import { StateError } from '../core/errors.js';
import { CachedKeyGroups, type SlotOrder } from './cached-key-groups.js';
import type { ChangelogRecord } from './changelog.js';
import type { KeyValue } from './key-value.js';
import type { KeyValueIterator } from './key-value-iterator.js';
import { compareByteStrings, mergedScan } from './merged-scan.js';
import { OpenIterators } from './open-iterators.js';
import type { StateStoreContext } from './state-store.js';
import type { BytesWindowFlushListener, WindowBytesStore, WindowedBytes, WindowWrite } from './window-bytes-store.js';

/** A key's windows, by start. */
const BY_START: SlotOrder<number> = { compare: (a, b) => a - b, timeOf: (start) => start };

/**
 * Kafka Streams' `CachingWindowStore`: the record cache over a (change-logging) window store. Updates of a window
 * merge in memory until the task commits (or the cache evicts the key), then reach the store below and its
 * changelog in one batch, and the flush listener (a windowed aggregation's emission) once per window, with the
 * latest value; reads see the cache over the store. See `CachedKeyGroups` for what is cached and when.
 *
 * Stores that retain duplicates are never cached (`WindowStoreBuilder` leaves the layer out), as in Kafka Streams:
 * merging their writes would lose the duplicates.
 */
export class CachingWindowBytesStore implements WindowBytesStore {
  readonly retainDuplicates = false;
  private readonly cache: CachedKeyGroups<number>;
  private readonly openIterators: OpenIterators;
  private context: StateStoreContext | null = null;

  constructor(private readonly inner: WindowBytesStore) {
    this.openIterators = new OpenIterators(inner.name);
    this.cache = new CachedKeyGroups(inner.retentionMs, inner.name, BY_START, {
      loadKey: (keyBytes, fromTime) => {
        const loaded: Array<{ slot: number; value: Buffer }> = [];
        for (const { key, value } of inner.fetchRange(keyBytes, fromTime, Number.MAX_SAFE_INTEGER, false)) loaded.push({ slot: key, value });
        return loaded;
      },
      read: (keyBytes, windowStart) => inner.fetch(keyBytes, windowStart),
      write: (entries) =>
        inner.putBatch(entries.map(({ keyBytes, slot, value, timestampMs }) => ({ keyBytes, windowStart: slot, value, timestampMs }))),
      observedStreamTime: () => inner.observedStreamTime(),
    });
  }

  get name(): string {
    return this.inner.name;
  }

  get persistent(): boolean {
    return this.inner.persistent;
  }

  get retentionMs(): number {
    return this.inner.retentionMs;
  }

  get windowSizeMs(): number {
    return this.inner.windowSizeMs;
  }

  init(context: StateStoreContext): void {
    this.inner.init(context);
    this.cache.open(context);
    this.context = context;
  }

  setFlushListener(listener: BytesWindowFlushListener, sendOldValues: boolean): boolean {
    this.cache.setListener(({ keyBytes, slot, value, oldValue, timestampMs }) => listener(keyBytes, slot, value, oldValue, timestampMs), sendOldValues);
    return true;
  }

  put(keyBytes: Buffer, value: Buffer | null, windowStart: number): void {
    this.cache.put(keyBytes, windowStart, value, this.opened().currentTimestampMs());
  }

  putBatch(writes: ReadonlyArray<WindowWrite>): void {
    for (const { keyBytes, windowStart, value, timestampMs } of writes) this.cache.put(keyBytes, windowStart, value, timestampMs);
  }

  observedStreamTime(): number {
    return this.cache.retention.observedStreamTime;
  }

  fetch(keyBytes: Buffer, windowStart: number): Buffer | null {
    this.opened();
    return this.cache.get(keyBytes, windowStart);
  }

  fetchRange(keyBytes: Buffer, timeFrom: number, timeTo: number, reverse: boolean): KeyValueIterator<number, Buffer> {
    this.opened();
    const found: Array<KeyValue<number, Buffer>> = [];
    for (const { slot, value } of this.cache.view(keyBytes)) {
      if (value !== null && slot >= timeFrom && slot <= timeTo) found.push({ key: slot, value });
    }
    if (reverse) found.reverse();
    let next = 0;
    return this.openIterators.open(() => found[next++]);
  }

  /** The cached windows in range, by start then key bytes, merged with the store's. */
  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<WindowedBytes, Buffer> {
    this.opened();
    const cached = this.cache
      .entriesBetween(timeFrom, timeTo)
      .sort((a, b) => a.slot - b.slot || compareByteStrings(a.group.id, b.group.id))
      .map(({ group, slot, value }) => ({ key: { keyBytes: group.keyBytes, windowStart: slot }, value }));
    const stored = this.inner.fetchAll(timeFrom, timeTo);
    const pull = mergedScan(cached, stored, compareWindowed);
    return this.openIterators.open(pull, () => stored.close());
  }

  all(): KeyValueIterator<WindowedBytes, Buffer> {
    return this.fetchAll(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  }

  restoreBatch(records: ReadonlyArray<ChangelogRecord>): void {
    this.inner.restoreBatch(records);
    this.cache.forgetBelow();
  }

  flush(): void {
    this.cache.flush();
    this.inner.flush();
  }

  close(): void {
    if (this.context === null) return;
    this.openIterators.closeAll();
    this.cache.close();
    this.context = null;
    this.inner.close();
  }

  isOpen(): boolean {
    return this.context !== null && this.inner.isOpen();
  }

  private opened(): StateStoreContext {
    if (this.context === null) throw new StateError('STATE_MISUSE', 'store is not open', { coordinates: { store: this.name } });
    return this.context;
  }
}

function compareWindowed(a: WindowedBytes, b: WindowedBytes): number {
  return a.windowStart - b.windowStart || Buffer.compare(a.keyBytes, b.keyBytes);
}
