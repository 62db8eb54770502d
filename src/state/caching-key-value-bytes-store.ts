import { StateError } from '../core/errors.js';
import { isInRange } from './bytes-range.js';
import type { BytesRange } from './bytes-range.js';
import type { ChangelogRecord } from './changelog.js';
import type { KeyValue } from './key-value.js';
import type { BytesFlushListener, KeyValueBytesStore } from './key-value-bytes-store.js';
import type { KeyValueIterator } from './key-value-iterator.js';
import { OpenIterators } from './open-iterators.js';
import { byteString } from './sorted-key-index.js';
import type { StateStoreContext } from './state-store.js';
import { TaskCacheBudget } from './task-cache-budget.js';
import { WriteOrder, type Ordered } from './write-order.js';

/** Rough bookkeeping cost of one cached entry (entry object, map slot, key string) beyond its key and value bytes. */
const ENTRY_OVERHEAD_BYTES = 64;

/** What one cached entry counts against the task's cache budget. */
export function cachedEntrySizeBytes(key: Buffer, value: Buffer | null): number {
  return key.length + (value?.length ?? 0) + ENTRY_OVERHEAD_BYTES;
}

interface CacheEntry extends Ordered {
  /** The entry's key in `entries`. */
  readonly id: string;
  readonly key: Buffer;
  /** `null`: the key was deleted since the last flush (dirty entries only). */
  value: Buffer | null;
  /** Written since the last flush; a clean entry holds what the store below holds. */
  dirty: boolean;
  /** Timestamp of the record whose processing wrote the entry; stamped on its changelog record and emission. */
  timestampMs: number;
  sizeBytes: number;
  /**
   * What the store below holds for the key, when known: a write-down reports it as the old value instead of
   * reading it back. `undefined` when unknown (a key first seen as a write).
   */
  stored: Buffer | null | undefined;
}

/**
 * Holds writes in memory between flushes, one entry per key (the latest write wins), so a key updated by many
 * records reaches the store, the changelog and downstream processors once per commit. Reads look here first.
 *
 * `flush()` writes the dirty entries down in the order their keys were last written, and keeps them as clean
 * entries, as Kafka Streams' record cache does: a key read or written again after a commit is then served from
 * memory, and the store below need not be read for the old value a flush listener reports. A read that misses
 * caches what the store below returned, if that fits the budget without evicting (so a read never writes down).
 * A write that takes the task's cache over budget evicts this store's least-recently-written entries: clean ones
 * are dropped, dirty ones written down as a flush would.
 * When a flush listener is set (KTable emission), each entry written down is reported with the value the store
 * below held before it; an entry that deletes a key the store below never held is dropped without a write or an
 * emission, as in Kafka Streams.
 */
export class CachingKeyValueBytesStore implements KeyValueBytesStore {
  private readonly entries = new Map<string, CacheEntry>();
  private readonly writeOrder = new WriteOrder<CacheEntry>();
  private readonly openIterators: OpenIterators;
  private context: StateStoreContext | null = null;
  private budget: TaskCacheBudget | null = null;
  private flushListener: BytesFlushListener | null = null;
  /** Set while an entry is written down, so the changelog record carries the entry's timestamp. */
  private writingDownTimestampMs: number | null = null;
  /** The last key buffer looked up and its map key: a processor usually writes the key it has just read. */
  private lastKey: Buffer | null = null;
  private lastId = '';

  constructor(private readonly inner: KeyValueBytesStore) {
    this.openIterators = new OpenIterators(inner.name);
  }

  get name(): string {
    return this.inner.name;
  }

  get persistent(): boolean {
    return this.inner.persistent;
  }

  init(context: StateStoreContext): void {
    this.inner.init(withCurrentTimestamp(context, () => this.writingDownTimestampMs ?? context.currentTimestampMs()));
    this.context = context;
    this.budget = TaskCacheBudget.of(context);
  }

  setFlushListener(listener: BytesFlushListener): boolean {
    this.flushListener = listener;
    return true;
  }

  get(key: Buffer): Buffer | null {
    const id = this.idOf(key);
    const cached = this.entries.get(id);
    this.budget?.recordLookup(cached !== undefined);
    if (cached !== undefined) return cached.value;
    const stored = this.inner.get(key);
    if (stored !== null) this.cacheRead(id, key, stored);
    return stored;
  }

  put(key: Buffer, value: Buffer | null): void {
    const context = this.context;
    const budget = this.budget;
    if (context === null || budget === null) throw this.notOpen();
    const id = this.idOf(key);
    const timestampMs = context.currentTimestampMs();
    const sizeBytes = cachedEntrySizeBytes(key, value);
    const entry = this.entries.get(id);
    if (entry === undefined) {
      const added: CacheEntry = { id, key, value, dirty: true, timestampMs, sizeBytes, stored: undefined, writeStamp: -1 };
      this.entries.set(id, added);
      this.writeOrder.touch(added);
      budget.add(sizeBytes);
    } else {
      this.writeOrder.touch(entry);
      entry.value = value;
      entry.dirty = true;
      entry.timestampMs = timestampMs;
      budget.add(sizeBytes - entry.sizeBytes);
      entry.sizeBytes = sizeBytes;
    }
    this.evictWhileOverBudget(budget);
  }

  putIfAbsent(key: Buffer, value: Buffer | null): Buffer | null {
    const previous = this.get(key);
    if (previous === null) this.put(key, value);
    return previous;
  }

  putAll(entries: ReadonlyArray<KeyValue<Buffer, Buffer | null>>): void {
    for (const { key, value } of entries) this.put(key, value);
  }

  delete(key: Buffer): Buffer | null {
    const previous = this.get(key);
    this.put(key, null);
    return previous;
  }

  /** Merges the dirty entries in range (a snapshot) with the store below; a dirty entry hides the stored one. */
  iterate(range: BytesRange, reverse: boolean): KeyValueIterator<Buffer, Buffer> {
    if (this.context === null) throw this.notOpen();
    const direction = reverse ? -1 : 1;
    const cached: Array<KeyValue<Buffer, Buffer | null>> = [];
    for (const entry of this.entries.values()) {
      if (entry.dirty && isInRange(entry.key, range)) cached.push({ key: entry.key, value: entry.value });
    }
    cached.sort((a, b) => direction * Buffer.compare(a.key, b.key));
    const stored = this.inner.iterate(range, reverse);
    let nextCached = 0;
    const pull = (): KeyValue<Buffer, Buffer> | undefined => {
      for (;;) {
        const fromCache = cached[nextCached];
        const storedKey = stored.peekNextKey();
        if (fromCache === undefined) return storedKey === undefined ? undefined : stored.next().value;
        const order = storedKey === undefined ? -1 : direction * Buffer.compare(fromCache.key, storedKey);
        if (order > 0) return stored.next().value;
        nextCached++;
        if (order === 0) stored.next();
        if (fromCache.value !== null) return { key: fromCache.key, value: fromCache.value };
      }
    };
    return this.openIterators.open(pull, () => stored.close());
  }

  /** The store below's count: entries still in the cache are not included, hence "approximate". */
  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }

  /**
   * Restoration runs before the task processes records, so it goes straight down; cached knowledge of the
   * restored keys is dropped, since the store below now holds something else.
   */
  restoreBatch(records: ReadonlyArray<ChangelogRecord>): void {
    if (this.entries.size > 0) for (const { key } of records) this.forgetStored(key);
    this.inner.restoreBatch(records);
  }

  /**
   * Writes the dirty entries down; they stay cached as clean entries, except deletions, which leave the cache.
   * Each entry turns clean only once it is written: a write-down that throws leaves it and the later ones dirty
   * for the next flush, and a flush listener reading this store sees the written entries below and the rest here.
   */
  flush(): void {
    if (this.context === null || this.budget === null) throw this.notOpen();
    for (const entry of this.writeOrder.snapshot()) {
      // An entry evicted by an earlier entry's listener was written down then, and is clean.
      if (entry.dirty) this.writeDown(entry);
    }
    this.inner.flush();
  }

  /** Drops unflushed entries: the runtime flushes before a clean close, and a dirty close must not write. */
  close(): void {
    if (this.context === null) return;
    this.openIterators.closeAll();
    let cachedBytes = 0;
    for (const entry of this.entries.values()) cachedBytes += entry.sizeBytes;
    this.budget?.add(-cachedBytes);
    this.entries.clear();
    this.writeOrder.clear();
    this.lastKey = null;
    this.context = null;
    this.inner.close();
  }

  isOpen(): boolean {
    return this.context !== null && this.inner.isOpen();
  }

  /** The map key of a key buffer, reusing the last one when the same buffer, with the same bytes, comes again. */
  private idOf(key: Buffer): string {
    if (key === this.lastKey && holdsBytes(this.lastId, key)) return this.lastId;
    const id = byteString(key);
    this.lastKey = key;
    this.lastId = id;
    return id;
  }

  private cacheRead(id: string, key: Buffer, value: Buffer): void {
    const budget = this.budget;
    const sizeBytes = cachedEntrySizeBytes(key, value);
    if (budget === null || budget.usedBytes + sizeBytes > budget.maxBytes) return;
    const entry: CacheEntry = { id, key, value, dirty: false, timestampMs: 0, sizeBytes, stored: value, writeStamp: -1 };
    this.entries.set(id, entry);
    this.writeOrder.touch(entry);
    budget.add(sizeBytes);
  }

  private forgetStored(key: Buffer): void {
    const entry = this.entries.get(this.idOf(key));
    if (entry === undefined) return;
    if (entry.dirty) entry.stored = undefined;
    else this.drop(entry);
  }

  private drop(entry: CacheEntry): void {
    this.entries.delete(entry.id);
    this.writeOrder.remove(entry);
    this.budget?.add(-entry.sizeBytes);
  }

  private evictWhileOverBudget(budget: TaskCacheBudget): void {
    while (budget.isExceeded) {
      const eldest = this.writeOrder.oldest();
      if (eldest === undefined) return;
      this.drop(eldest);
      if (eldest.dirty) this.writeDown(eldest);
    }
  }

  /**
   * Writes a dirty entry to the store below and marks it clean (a deletion leaves the cache), then reports it to
   * the flush listener, with the values as written even if the listener writes the key again.
   */
  private writeDown(entry: CacheEntry): void {
    const { key, value, timestampMs } = entry;
    const listener = this.flushListener;
    const oldValue = listener === null ? null : entry.stored !== undefined ? entry.stored : this.inner.get(key);
    const deletesNothing = listener !== null && value === null && oldValue === null;
    if (!deletesNothing) {
      this.writingDownTimestampMs = timestampMs;
      try {
        this.inner.put(key, value);
      } finally {
        this.writingDownTimestampMs = null;
      }
    }
    this.markClean(entry);
    if (!deletesNothing) listener?.(key, value, oldValue, timestampMs);
  }

  private markClean(entry: CacheEntry): void {
    entry.dirty = false;
    if (entry.value !== null) entry.stored = entry.value;
    else if (this.entries.get(entry.id) === entry) this.drop(entry);
  }

  private notOpen(): StateError {
    return new StateError('STATE_MISUSE', 'store is not open', { coordinates: { store: this.name } });
  }
}

/** Whether `id` (a byte string) spells exactly the bytes of `key`. */
function holdsBytes(id: string, key: Buffer): boolean {
  if (id.length !== key.length) return false;
  for (let i = 0; i < id.length; i++) if (id.charCodeAt(i) !== key[i]) return false;
  return true;
}

/** The context the layers below see: the same task, with the timestamp of the entry being written down. */
function withCurrentTimestamp(context: StateStoreContext, currentTimestampMs: () => number): StateStoreContext {
  return {
    applicationId: context.applicationId,
    taskId: context.taskId,
    database: context.database,
    changelog: context.changelog,
    cacheMaxBytes: context.cacheMaxBytes,
    currentTimestampMs,
  };
}
