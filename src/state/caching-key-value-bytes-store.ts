import { StateError } from '../core/errors.js';
import { isInRange } from './bytes-range.js';
import type { BytesRange } from './bytes-range.js';
import type { ChangelogRecord } from './changelog.js';
import type { KeyValue } from './key-value.js';
import type { BytesFlushListener, KeyValueBytesStore } from './key-value-bytes-store.js';
import type { KeyValueIterator } from './key-value-iterator.js';
import { OpenIterators } from './open-iterators.js';
import type { StateStoreContext } from './state-store.js';
import { TaskCacheBudget } from './task-cache-budget.js';

/** Rough bookkeeping cost of one cached entry (entry object, map slot, key string) beyond its key and value bytes. */
const ENTRY_OVERHEAD_BYTES = 64;

/** What one cached entry counts against the task's cache budget. */
export function cachedEntrySizeBytes(key: Buffer, value: Buffer | null): number {
  return key.length + (value?.length ?? 0) + ENTRY_OVERHEAD_BYTES;
}

interface DirtyEntry {
  readonly key: Buffer;
  /** `null`: the key was deleted since the last flush. */
  readonly value: Buffer | null;
  /** Timestamp of the record whose processing wrote the entry; stamped on its changelog record and emission. */
  readonly timestampMs: number;
  readonly sizeBytes: number;
}

/**
 * Holds writes in memory between flushes, one entry per key (the latest write wins), so a key updated by many
 * records reaches the store, the changelog and downstream processors once per commit. Reads look here first.
 *
 * `flush()` writes the entries down in the order their keys were last written. A write that takes the task's
 * cache over budget evicts this store's least-recently-written entries, which are written down the same way.
 * When a flush listener is set (KTable emission), each entry written down is reported with the value the store
 * below held before it; an entry that deletes a key the store below never held is dropped without a write or an
 * emission, as in Kafka Streams.
 */
export class CachingKeyValueBytesStore implements KeyValueBytesStore {
  /** Map iteration order is insertion order; re-inserting on every write keeps it least- to most-recently written. */
  private readonly dirty = new Map<string, DirtyEntry>();
  private readonly openIterators: OpenIterators;
  private context: StateStoreContext | null = null;
  private budget: TaskCacheBudget | null = null;
  private flushListener: BytesFlushListener | null = null;
  /** Set while an entry is written down, so the changelog record carries the entry's timestamp. */
  private writingDownTimestampMs: number | null = null;

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
    const cached = this.dirty.get(cacheKey(key));
    return cached === undefined ? this.inner.get(key) : cached.value;
  }

  put(key: Buffer, value: Buffer | null): void {
    const { context, budget } = this.opened();
    const id = cacheKey(key);
    this.forget(id);
    const entry = { key, value, timestampMs: context.currentTimestampMs(), sizeBytes: cachedEntrySizeBytes(key, value) };
    this.dirty.set(id, entry);
    budget.add(entry.sizeBytes);
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

  /** Merges the cached entries in range (a snapshot) with the store below; a cached entry hides the stored one. */
  iterate(range: BytesRange, reverse: boolean): KeyValueIterator<Buffer, Buffer> {
    this.opened();
    const direction = reverse ? -1 : 1;
    const cached = [...this.dirty.values()]
      .filter((entry) => isInRange(entry.key, range))
      .sort((a, b) => direction * Buffer.compare(a.key, b.key));
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

  /** Restoration runs before the task processes records, while the cache is empty, so it goes straight down. */
  restoreBatch(records: ReadonlyArray<ChangelogRecord>): void {
    this.inner.restoreBatch(records);
  }

  flush(): void {
    const { budget } = this.opened();
    const entries = [...this.dirty.values()];
    for (const entry of entries) budget.add(-entry.sizeBytes);
    this.dirty.clear();
    for (const entry of entries) this.writeDown(entry);
    this.inner.flush();
  }

  /** Drops unflushed entries: the runtime flushes before a clean close, and a dirty close must not write. */
  close(): void {
    if (this.context === null) return;
    const { budget } = this.opened();
    this.openIterators.closeAll();
    for (const entry of this.dirty.values()) budget.add(-entry.sizeBytes);
    this.dirty.clear();
    this.context = null;
    this.inner.close();
  }

  isOpen(): boolean {
    return this.context !== null && this.inner.isOpen();
  }

  private evictWhileOverBudget(budget: TaskCacheBudget): void {
    while (budget.isExceeded) {
      const [id, eldest] = this.dirty.entries().next().value ?? [];
      if (id === undefined || eldest === undefined) return;
      this.forget(id);
      this.writeDown(eldest);
    }
  }

  private forget(id: string): void {
    const entry = this.dirty.get(id);
    if (entry === undefined) return;
    this.dirty.delete(id);
    this.budget?.add(-entry.sizeBytes);
  }

  private writeDown(entry: DirtyEntry): void {
    const listener = this.flushListener;
    const oldValue = listener === null ? null : this.inner.get(entry.key);
    if (listener !== null && entry.value === null && oldValue === null) return;
    this.writingDownTimestampMs = entry.timestampMs;
    try {
      this.inner.put(entry.key, entry.value);
    } finally {
      this.writingDownTimestampMs = null;
    }
    listener?.(entry.key, entry.value, oldValue, entry.timestampMs);
  }

  private opened(): { context: StateStoreContext; budget: TaskCacheBudget } {
    if (this.context === null || this.budget === null) {
      throw new StateError('store is not open', { coordinates: { store: this.name } });
    }
    return { context: this.context, budget: this.budget };
  }
}

function cacheKey(key: Buffer): string {
  return key.toString('latin1');
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
