import { StateError } from '../core/errors.js';
import type { ChangelogRecord } from './changelog.js';
import type { KeyValue } from './key-value.js';
import type { KeyValueIterator } from './key-value-iterator.js';
import { OpenIterators } from './open-iterators.js';
import { byteString } from './sorted-key-index.js';
import type { StateStoreContext } from './state-store.js';
import { restoreDuplicateWindowRecords, restoreWindowRecords, WindowRetention } from './window-bytes-store.js';
import type { WindowBytesStore, WindowedBytes, WindowWrite } from './window-bytes-store.js';

/** A key's values in one window: one, or every one put when the store retains duplicates, in put order. */
interface Entry {
  readonly key: Buffer;
  values: Buffer[];
}

/**
 * Windows kept in process memory: one map of keys per window start, plus the starts in ascending order so expiry
 * drops whole windows from the front. Iterators read a snapshot taken when they are opened. Not covered by the
 * task's SQLite transaction: the runtime rebuilds it from the changelog after a rollback or a restart.
 */
export class InMemoryWindowBytesStore implements WindowBytesStore {
  readonly persistent = false;
  private readonly windows = new Map<number, Map<string, Entry>>();
  private readonly starts: number[] = [];
  private readonly retention: WindowRetention;
  private readonly openIterators: OpenIterators;
  private open = false;

  constructor(
    readonly name: string,
    readonly retentionMs: number,
    readonly windowSizeMs: number,
    readonly retainDuplicates = false,
  ) {
    this.retention = new WindowRetention(retentionMs);
    this.openIterators = new OpenIterators(name);
  }

  init(_context: StateStoreContext): void {
    this.open = true;
  }

  put(keyBytes: Buffer, value: Buffer | null, windowStart: number): void {
    this.ensureOpen();
    if (this.retention.observe(windowStart)) this.write(keyBytes, value, windowStart);
    this.dropExpiredWindows();
  }

  /** Writes one by one: a write the batch later expires is dropped by the same pass as on a single put. */
  putBatch(writes: ReadonlyArray<WindowWrite>): void {
    for (const { keyBytes, value, windowStart } of writes) this.put(keyBytes, value, windowStart);
  }

  observedStreamTime(): number {
    return this.retention.observedStreamTime;
  }

  fetch(keyBytes: Buffer, windowStart: number): Buffer | null {
    this.ensureOpen();
    if (windowStart < this.retention.minLiveStart) return null;
    return this.windows.get(windowStart)?.get(byteString(keyBytes))?.values[0] ?? null;
  }

  fetchRange(keyBytes: Buffer, timeFrom: number, timeTo: number, reverse: boolean): KeyValueIterator<number, Buffer> {
    this.ensureOpen();
    const id = byteString(keyBytes);
    const found: Array<KeyValue<number, Buffer>> = [];
    for (const start of this.startsBetween(timeFrom, timeTo)) {
      const entry = this.windows.get(start)?.get(id);
      if (entry !== undefined) for (const value of entry.values) found.push({ key: start, value });
    }
    if (reverse) found.reverse();
    return this.iterate(found);
  }

  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<WindowedBytes, Buffer> {
    this.ensureOpen();
    const found: Array<KeyValue<WindowedBytes, Buffer>> = [];
    for (const start of this.startsBetween(timeFrom, timeTo)) {
      const entries = [...(this.windows.get(start) ?? new Map<string, Entry>())].sort(([a], [b]) => (a < b ? -1 : 1));
      for (const [, { key, values }] of entries) for (const value of values) found.push({ key: { keyBytes: key, windowStart: start }, value });
    }
    return this.iterate(found);
  }

  all(): KeyValueIterator<WindowedBytes, Buffer> {
    return this.fetchAll(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  }

  restoreBatch(records: ReadonlyArray<ChangelogRecord>): void {
    if (this.retainDuplicates) restoreDuplicateWindowRecords(this, records);
    else restoreWindowRecords(this, records);
  }

  flush(): void {
    // Nothing is buffered: writes land in the maps at once.
  }

  close(): void {
    this.openIterators.closeAll();
    this.windows.clear();
    this.starts.length = 0;
    this.open = false;
  }

  isOpen(): boolean {
    return this.open;
  }

  private write(keyBytes: Buffer, value: Buffer | null, windowStart: number): void {
    const id = byteString(keyBytes);
    let window = this.windows.get(windowStart);
    if (value === null) {
      if (!this.retainDuplicates) window?.delete(id);
      return;
    }
    if (window === undefined) {
      window = new Map();
      this.windows.set(windowStart, window);
      this.starts.splice(this.insertionPoint(windowStart), 0, windowStart);
    }
    const entry = window.get(id);
    if (entry !== undefined && this.retainDuplicates) entry.values.push(value);
    else window.set(id, { key: Buffer.from(keyBytes), values: [value] });
  }

  private dropExpiredWindows(): void {
    const minLiveStart = this.retention.minLiveStart;
    const expired = this.insertionPoint(minLiveStart);
    for (const start of this.starts.splice(0, expired)) this.windows.delete(start);
  }

  /** The live window starts within `[timeFrom, timeTo]`, ascending. */
  private startsBetween(timeFrom: number, timeTo: number): number[] {
    const from = Math.max(timeFrom, this.retention.minLiveStart);
    return this.starts.slice(this.insertionPoint(from), this.insertionPoint(timeTo + 1));
  }

  /** Index of the first start ≥ `time` (binary search). */
  private insertionPoint(time: number): number {
    let low = 0;
    let high = this.starts.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.starts[middle]! < time) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private iterate<K>(entries: Array<KeyValue<K, Buffer>>): KeyValueIterator<K, Buffer> {
    let next = 0;
    return this.openIterators.open(() => entries[next++]);
  }

  private ensureOpen(): void {
    if (!this.open) throw new StateError('STATE_MISUSE', 'store is not open', { coordinates: { store: this.name } });
  }
}
