import { StateError } from '../core/errors.js';
import { CachedTimeIndex } from './cached-time-index.js';
import { byteString } from './sorted-key-index.js';
import type { StateStoreContext } from './state-store.js';
import { TaskCacheBudget } from './task-cache-budget.js';
import { WindowRetention } from './window-bytes-store.js';
import { WriteOrder, type Ordered } from './write-order.js';

/** Rough bookkeeping cost of one cached key (group object, map slot, id string) beyond its key bytes. */
const GROUP_OVERHEAD_BYTES = 96;
/** Rough bookkeeping cost of one cached window or session beyond its value bytes. */
const ENTRY_OVERHEAD_BYTES = 64;
/** Keys evicted with live entries below are remembered up to this many per MiB of budget, then forgotten at once. */
const EVICTED_KEYS_PER_MIB = 4096;

/** How the slots of one key are ordered: windows by start, sessions by end then start. */
export interface SlotOrder<S> {
  compare(a: S, b: S): number;
  /** The time retention applies to: a window's start, a session's end. */
  timeOf(slot: S): number;
}

/** A key's value in one slot, as the store below holds it. */
export interface StoredSlot<S> {
  readonly slot: S;
  readonly value: Buffer;
}

/** A dirty entry as it is written down and then reported to the flush listener. */
export interface FlushedEntry<S> {
  readonly keyBytes: Buffer;
  readonly slot: S;
  readonly value: Buffer | null;
  /** What the store below held before; read only when the listener wants old values or the entry deletes. */
  readonly oldValue: Buffer | null;
  readonly timestampMs: number;
}

/** What the cache needs from the store below it. */
export interface StoreBelow<S> {
  /** The key's live entries with a time at or after `fromTime`, in slot order. */
  loadKey(keyBytes: Buffer, fromTime: number): Array<StoredSlot<S>>;
  read(keyBytes: Buffer, slot: S): Buffer | null;
  /** Writes the entries down in one batch, in the order given. */
  write(entries: ReadonlyArray<FlushedEntry<S>>): void;
  /** The largest time written below so far. */
  observedStreamTime(): number;
}

export interface CachedEntry<S> extends Ordered {
  readonly group: KeyGroup<S>;
  readonly slot: S;
  /** `null`: deleted since the last flush (dirty entries), or known absent below (clean ones). */
  value: Buffer | null;
  dirty: boolean;
  timestampMs: number;
  sizeBytes: number;
  /** What the store below holds, when known; `undefined` when not. */
  stored: Buffer | null | undefined;
}

/** One key's cached slots; `writeStamp` places it in the eviction order. */
export interface KeyGroup<S> extends Ordered {
  readonly id: string;
  readonly keyBytes: Buffer;
  /** In slot order. */
  readonly entries: Array<CachedEntry<S>>;
  /** Whether `entries` hold every live slot of the key the store below holds, so a miss needs no read below. */
  complete: boolean;
  /** The latest time written below for this key through the cache. */
  latestStoredTime: number;
}

/** The slots of one key as cache and store below hold them together: `value` `null` = deleted or absent. */
export type KeyView<S> = ReadonlyArray<{ readonly slot: S; readonly value: Buffer | null }>;

/**
 * The record cache of a window or session store, Kafka Streams' `NamedCache` for `CachingWindowStore` and
 * `CachingSessionStore`: writes stay in memory, one entry per (key, slot), until a flush (at commit) or an eviction
 * writes the dirty ones down in one batch, in the order of their last write, and reports each to the flush
 * listener. Entries stay cached, clean, after a flush; the whole cache draws on the task's `cacheMaxBytes`.
 *
 * Entries are grouped by key, and the cache knows for which keys it holds *every* live slot below (`complete`):
 * a key the store below cannot hold (it held nothing live when the store was opened or its content has expired
 * since, and the key was not evicted while it had live entries below) starts complete, and an incomplete key is
 * loaded whole on its first read. A read of a complete key (a window lookup, a session search) then never reaches
 * SQLite. Keys are evicted whole, least recently written first; reads cache what they load only when it fits
 * the budget, so that a read never writes down.
 *
 * Retention, as in Kafka Streams' caching stores, is the store below's business: the cache takes writes to slots
 * the store has expired (they are reported on flush, and the store below drops them) and answers with what it
 * holds, expired or not. A late record can so still merge into a session the cache holds (Kafka Streams' parity
 * run shows its caching session store doing it). Expired clean entries are the first to leave when the budget is
 * exceeded: one sweep per commit drops them all, before any key is evicted.
 */
export class CachedKeyGroups<S> {
  readonly retention: WindowRetention;
  private readonly groups = new Map<string, KeyGroup<S>>();
  private readonly recency = new WriteOrder<KeyGroup<S>>();
  private readonly dirtyOrder = new WriteOrder<CachedEntry<S>>();
  /** Keys evicted while the store below held live entries of theirs, with the latest such time. */
  private readonly evictedUntil = new Map<string, number>();
  /** The store below may hold any key's entries up to this time (what it held when opened or restored). */
  private uncertainUpTo = Number.NEGATIVE_INFINITY;
  private budget: TaskCacheBudget | null = null;
  private cachedBytes = 0;
  private listener: ((entry: FlushedEntry<S>) => void) | null = null;
  private sendOldValues = false;
  private lastKey: Buffer | null = null;
  private lastId = '';
  private lastGroup: KeyGroup<S> | null = null;
  /** Whether `makeRoom` swept expired entries since the last flush. */
  private sweptSinceFlush = false;
  /**
   * Every entry by the time of its slot, for `entriesBetween`: built by its first call, so that caches never
   * scanned by time (every `onWindowUpdate` aggregation's) do not pay for keeping it.
   */
  private byTime: CachedTimeIndex<CachedEntry<S>> | null = null;

  constructor(
    retentionMs: number,
    private readonly storeName: string,
    private readonly order: SlotOrder<S>,
    private readonly below: StoreBelow<S>,
  ) {
    this.retention = new WindowRetention(retentionMs);
  }

  /** Called once the store below is open. */
  open(context: StateStoreContext): void {
    this.budget = TaskCacheBudget.of(context);
    this.forgetBelow();
  }

  get isOpen(): boolean {
    return this.budget !== null;
  }

  setListener(listener: (entry: FlushedEntry<S>) => void, sendOldValues: boolean): void {
    this.listener = listener;
    this.sendOldValues = sendOldValues;
  }

  /** The key's live slots, cache over store; a loaded key is cached when it fits the budget. */
  view(keyBytes: Buffer): KeyView<S> {
    const id = this.idOf(keyBytes);
    const group = this.groupOf(id);
    if (group === undefined && this.knownAbsent(id)) {
      this.budget?.recordLookup(true);
      return [];
    }
    this.budget?.recordLookup(group?.complete === true);
    if (group?.complete === true) return group.entries;
    const loaded = this.below.loadKey(keyBytes, Number.MIN_SAFE_INTEGER);
    const merged = mergeSlots(group?.entries ?? [], loaded, this.order);
    return this.adopt(group, id, keyBytes, loaded) ? this.groups.get(id)!.entries : merged;
  }

  /** The value of one slot, cache over store; `null` when absent or deleted. */
  get(keyBytes: Buffer, slot: S): Buffer | null {
    const view = this.view(keyBytes);
    const index = search(view, slot, this.order);
    return index >= 0 ? view[index]!.value : null;
  }

  /** Caches a write (`null` deletes). */
  put(keyBytes: Buffer, slot: S, value: Buffer | null, timestampMs: number): void {
    const budget = this.opened();
    this.retention.observe(this.order.timeOf(slot));
    const id = this.idOf(keyBytes);
    const group = this.groupOf(id) ?? this.addGroup(id, keyBytes, this.knownAbsent(id));
    const sizeBytes = (value?.length ?? 0) + ENTRY_OVERHEAD_BYTES;
    let index = search(group.entries, slot, this.order);
    if (index < 0) {
      index = ~index;
      const stored = group.complete ? null : undefined;
      const added: CachedEntry<S> = { group, slot, value, dirty: true, timestampMs, sizeBytes, stored, writeStamp: -1 };
      // New windows are mostly the key's latest.
      if (index === group.entries.length) group.entries.push(added);
      else group.entries.splice(index, 0, added);
      this.byTime?.add(this.order.timeOf(slot), added);
      this.grow(sizeBytes);
      this.dirtyOrder.touch(added);
    } else {
      const entry = group.entries[index]!;
      this.grow(sizeBytes - entry.sizeBytes);
      entry.value = value;
      entry.dirty = true;
      entry.timestampMs = timestampMs;
      entry.sizeBytes = sizeBytes;
      this.dirtyOrder.touch(entry);
    }
    this.recency.touch(group);
    if (budget.isExceeded) this.makeRoom(budget);
  }

  /** Every cached entry (clean and dirty, deletions included), for merging with a scan of the store below. */
  entries(): Array<CachedEntry<S>> {
    const entries: Array<CachedEntry<S>> = [];
    for (const group of this.groups.values()) for (const entry of group.entries) entries.push(entry);
    return entries;
  }

  /** The cached entries (as `entries()`) whose slot's time is in `[from, to]`, by time. */
  entriesBetween(from: number, to: number): Array<CachedEntry<S>> {
    if (this.byTime === null) {
      this.byTime = new CachedTimeIndex();
      for (const entry of this.entries()) this.byTime.add(this.order.timeOf(entry.slot), entry);
    }
    return this.byTime.between(from, to);
  }

  /** Writes the dirty entries down in one batch, in the order of their last write, then reports them. */
  flush(): void {
    this.opened();
    const flushed = this.writeDown(this.dirtyOrder.snapshot());
    for (const [id, time] of this.evictedUntil) if (time < this.retention.minLiveStart) this.evictedUntil.delete(id);
    this.sweptSinceFlush = false;
    this.report(flushed);
  }

  /**
   * After restoration wrote below: whatever the cache knew of the store below no longer holds. (Restoration runs
   * before processing, so nothing is dirty yet.)
   */
  forgetBelow(): void {
    this.dropAll();
    this.uncertainUpTo = this.below.observedStreamTime();
    this.retention.observe(this.uncertainUpTo);
  }

  /** Drops every entry, dirty ones too: the runtime flushes before a clean close, and a dirty close must not write. */
  close(): void {
    this.dropAll();
    this.budget = null;
  }

  private opened(): TaskCacheBudget {
    if (this.budget === null) throw new StateError('STATE_MISUSE', 'store is not open', { coordinates: { store: this.storeName } });
    return this.budget;
  }

  /** Whether the store below cannot hold a live entry of the key: see the class comment. */
  private knownAbsent(id: string): boolean {
    const minLive = this.retention.minLiveStart;
    if (this.uncertainUpTo >= minLive) return false;
    const evicted = this.evictedUntil.get(id);
    if (evicted === undefined) return true;
    if (evicted >= minLive) return false;
    this.evictedUntil.delete(id);
    return true;
  }

  private addGroup(id: string, keyBytes: Buffer, complete: boolean): KeyGroup<S> {
    const group: KeyGroup<S> = { id, keyBytes, entries: [], complete, latestStoredTime: Number.NEGATIVE_INFINITY, writeStamp: -1 };
    this.groups.set(id, group);
    this.recency.touch(group);
    this.grow(keyBytes.length + GROUP_OVERHEAD_BYTES);
    return group;
  }

  /** Caches a key loaded from below, if that fits the budget without evicting; returns whether it did. */
  private adopt(group: KeyGroup<S> | undefined, id: string, keyBytes: Buffer, loaded: Array<StoredSlot<S>>): boolean {
    const budget = this.opened();
    let cost = group === undefined ? keyBytes.length + GROUP_OVERHEAD_BYTES : 0;
    for (const { value } of loaded) cost += value.length + ENTRY_OVERHEAD_BYTES;
    if (budget.usedBytes + cost > budget.maxBytes) return false;
    const target = group ?? this.addGroup(id, keyBytes, false);
    for (const { slot, value } of loaded) {
      target.latestStoredTime = Math.max(target.latestStoredTime, this.order.timeOf(slot));
      const index = search(target.entries, slot, this.order);
      if (index >= 0) {
        target.entries[index]!.stored ??= value;
        continue;
      }
      const sizeBytes = value.length + ENTRY_OVERHEAD_BYTES;
      const entry: CachedEntry<S> = { group: target, slot, value, dirty: false, timestampMs: 0, sizeBytes, stored: value, writeStamp: -1 };
      target.entries.splice(~index, 0, entry);
      this.byTime?.add(this.order.timeOf(slot), entry);
      this.grow(sizeBytes);
    }
    target.complete = true;
    return true;
  }

  /**
   * Over budget: drops every expired clean entry (once per commit, as a sweep that frees little would otherwise
   * run on every write), then evicts the least recently written keys while still over.
   */
  private makeRoom(budget: TaskCacheBudget): void {
    if (!this.sweptSinceFlush) {
      this.sweptSinceFlush = true;
      for (const group of this.groups.values()) this.pruneExpired(group);
    }
    while (budget.isExceeded) {
      const eldest = this.recency.oldest();
      if (eldest === undefined) return;
      this.evict(eldest);
    }
  }

  /** Drops the group's expired clean entries, which sort first. */
  private pruneExpired(group: KeyGroup<S>): void {
    const minLive = this.retention.minLiveStart;
    const { entries } = group;
    let expired = 0;
    for (let entry = entries[0]; entry !== undefined && !entry.dirty && this.order.timeOf(entry.slot) < minLive; entry = entries[++expired]) {
      this.byTime?.remove(this.order.timeOf(entry.slot), entry);
      this.grow(-entry.sizeBytes);
    }
    if (expired === 0) return;
    // In place: `splice` and `shift` would allocate or trim the array's backing store on every record.
    entries.copyWithin(0, expired);
    entries.length -= expired;
  }

  /** Writes the group's dirty entries down and drops the key, remembering it if the store below now holds it. */
  private evict(group: KeyGroup<S>): void {
    const dirty = group.entries.filter((entry) => entry.dirty).sort((a, b) => a.writeStamp - b.writeStamp);
    const flushed = this.writeDown(dirty);
    this.groups.delete(group.id);
    this.recency.remove(group);
    if (this.lastGroup === group) this.lastGroup = null;
    let bytes = group.keyBytes.length + GROUP_OVERHEAD_BYTES;
    for (const entry of group.entries) {
      bytes += entry.sizeBytes;
      this.byTime?.remove(this.order.timeOf(entry.slot), entry);
    }
    this.grow(-bytes);
    if (!group.complete || group.latestStoredTime >= this.retention.minLiveStart) this.rememberEvicted(group);
    this.report(flushed);
  }

  private rememberEvicted(group: KeyGroup<S>): void {
    const latest = group.complete ? group.latestStoredTime : this.retention.observedStreamTime;
    this.evictedUntil.set(group.id, Math.max(latest, this.evictedUntil.get(group.id) ?? Number.NEGATIVE_INFINITY));
    // Too many to remember: treat every key as possibly below until the current content expires.
    const limit = Math.max(1, Math.floor((this.opened().maxBytes / 1_048_576) * EVICTED_KEYS_PER_MIB));
    if (this.evictedUntil.size > limit) {
      for (const time of this.evictedUntil.values()) this.uncertainUpTo = Math.max(this.uncertainUpTo, time);
      this.evictedUntil.clear();
    }
  }

  /**
   * Writes `entries` (dirty, oldest write first) down in one batch and marks them clean; returns what to report.
   * A deletion of what the store below never held is neither written nor reported, as in Kafka Streams.
   */
  private writeDown(entries: ReadonlyArray<CachedEntry<S>>): Array<FlushedEntry<S>> {
    const listener = this.listener;
    const writes: Array<FlushedEntry<S>> = [];
    const written: Array<CachedEntry<S>> = [];
    // The old value is what the store below would return as the entries reach it one by one, as in Kafka Streams:
    // nothing for a slot its stream time (moved by the entries written before) has expired.
    let streamTimeBelow = this.below.observedStreamTime();
    const retentionMs = this.retention.retentionMs;
    for (const entry of entries) {
      const { group, slot, value, stored } = entry;
      const time = this.order.timeOf(slot);
      const needsOld = value === null || (listener !== null && this.sendOldValues);
      const expiredBelow = time <= streamTimeBelow - retentionMs;
      const oldValue = !needsOld || expiredBelow ? null : stored !== undefined ? stored : this.below.read(group.keyBytes, slot);
      if (value === null && oldValue === null) this.markClean(entry);
      else {
        writes.push({ keyBytes: group.keyBytes, slot, value, oldValue, timestampMs: entry.timestampMs });
        written.push(entry);
        if (time > streamTimeBelow) streamTimeBelow = time;
      }
    }
    if (writes.length > 0) this.below.write(writes);
    for (const entry of written) this.markClean(entry);
    return listener === null ? [] : writes;
  }

  private report(flushed: ReadonlyArray<FlushedEntry<S>>): void {
    const listener = this.listener;
    if (listener !== null) for (const entry of flushed) listener(entry);
  }

  /** A written entry now matches the store below; a deletion leaves the cache. */
  private markClean(entry: CachedEntry<S>): void {
    entry.dirty = false;
    entry.stored = entry.value;
    this.dirtyOrder.remove(entry);
    const { group } = entry;
    const time = this.order.timeOf(entry.slot);
    if (time > group.latestStoredTime) group.latestStoredTime = time;
    if (entry.value !== null || this.groups.get(group.id) !== group) return;
    const index = group.entries.indexOf(entry);
    if (index >= 0) {
      group.entries.splice(index, 1);
      this.byTime?.remove(time, entry);
      this.grow(-entry.sizeBytes);
    }
  }

  private grow(bytes: number): void {
    this.cachedBytes += bytes;
    this.budget?.add(bytes);
  }

  private dropAll(): void {
    this.budget?.add(-this.cachedBytes);
    this.cachedBytes = 0;
    this.groups.clear();
    this.byTime = null;
    this.recency.clear();
    this.dirtyOrder.clear();
    this.evictedUntil.clear();
    this.lastKey = null;
    this.lastGroup = null;
  }

  /** The key's group; a processor writes the key it has just read, so the last one found is tried first. */
  private groupOf(id: string): KeyGroup<S> | undefined {
    const last = this.lastGroup;
    if (last !== null && last.id === id) return last;
    const group = this.groups.get(id);
    if (group !== undefined) this.lastGroup = group;
    return group;
  }

  /** The map key of a key buffer, reusing the last one when the same buffer comes again unchanged. */
  private idOf(keyBytes: Buffer): string {
    if (keyBytes === this.lastKey && holdsBytes(this.lastId, keyBytes)) return this.lastId;
    const id = byteString(keyBytes);
    this.lastKey = keyBytes;
    this.lastId = id;
    return id;
  }
}

/** Index of `slot` in `sorted`, or `~insertionPoint` when absent (binary search). */
function search<S>(sorted: ReadonlyArray<{ readonly slot: S }>, slot: S, order: SlotOrder<S>): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const comparison = order.compare(sorted[middle]!.slot, slot);
    if (comparison < 0) low = middle + 1;
    else if (comparison > 0) high = middle - 1;
    else return middle;
  }
  return ~low;
}

/** Both in slot order; a cached entry hides the stored one of the same slot. */
function mergeSlots<S>(cached: ReadonlyArray<CachedEntry<S>>, stored: ReadonlyArray<StoredSlot<S>>, order: SlotOrder<S>): KeyView<S> {
  if (cached.length === 0) return stored;
  const merged: Array<{ slot: S; value: Buffer | null }> = [];
  let c = 0;
  let s = 0;
  while (c < cached.length || s < stored.length) {
    const comparison = c === cached.length ? 1 : s === stored.length ? -1 : order.compare(cached[c]!.slot, stored[s]!.slot);
    if (comparison <= 0) merged.push(cached[c++]!);
    else merged.push(stored[s]!);
    if (comparison >= 0) s++;
  }
  return merged;
}

/** Whether `id` (a byte string) spells exactly the bytes of `key`. */
function holdsBytes(id: string, key: Buffer): boolean {
  if (id.length !== key.length) return false;
  for (let i = 0; i < id.length; i++) if (id.charCodeAt(i) !== key[i]) return false;
  return true;
}
