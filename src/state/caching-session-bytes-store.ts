import { StateError } from '../core/errors.js';
import type { Window } from '../core/windowed.js';
import { CachedKeyGroups, type SlotOrder } from './cached-key-groups.js';
import type { ChangelogRecord } from './changelog.js';
import type { KeyValue } from './key-value.js';
import type { KeyValueIterator } from './key-value-iterator.js';
import { compareByteStrings, mergedScan } from './merged-scan.js';
import { OpenIterators } from './open-iterators.js';
import type { BytesSessionFlushListener, SessionBytes, SessionBytesStore, SessionWrite } from './session-bytes-store.js';
import type { StateStoreContext } from './state-store.js';

/** A key's sessions, by end then start (the store's order); retention applies to ends. */
const BY_END_THEN_START: SlotOrder<Window> = { compare: (a, b) => a.end - b.end || a.start - b.start, timeOf: (session) => session.end };

/**
 * Kafka Streams' `CachingSessionStore`: the record cache over a (change-logging) session store. A key's session
 * updates, removals included, merge in memory until the task commits (or the cache evicts the key), then reach
 * the store below and its changelog in one batch and the flush listener once per session; a session merged away
 * and written again within one commit is reported once, with its latest value. Session searches see the cache
 * over the store; a key the cache holds completely is searched without SQLite (see `CachedKeyGroups`).
 */
export class CachingSessionBytesStore implements SessionBytesStore {
  private readonly cache: CachedKeyGroups<Window>;
  private readonly openIterators: OpenIterators;
  private context: StateStoreContext | null = null;

  constructor(private readonly inner: SessionBytesStore) {
    this.openIterators = new OpenIterators(inner.name);
    this.cache = new CachedKeyGroups(inner.retentionMs, inner.name, BY_END_THEN_START, {
      loadKey: (keyBytes, fromTime) => {
        const loaded: Array<{ slot: Window; value: Buffer }> = [];
        for (const { key, value } of inner.findSessions(keyBytes, fromTime, Number.MAX_SAFE_INTEGER, false)) loaded.push({ slot: key, value });
        return loaded;
      },
      read: (keyBytes, session) => inner.fetchSession(keyBytes, session.start, session.end),
      write: (entries) => inner.putBatch(entries.map(({ keyBytes, slot, value, timestampMs }) => ({ keyBytes, session: slot, value, timestampMs }))),
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

  init(context: StateStoreContext): void {
    this.inner.init(context);
    this.cache.open(context);
    this.context = context;
  }

  setFlushListener(listener: BytesSessionFlushListener, sendOldValues: boolean): boolean {
    this.cache.setListener(({ keyBytes, slot, value, oldValue, timestampMs }) => listener(keyBytes, slot, value, oldValue, timestampMs), sendOldValues);
    return true;
  }

  put(keyBytes: Buffer, session: Window, value: Buffer | null): void {
    this.cache.put(keyBytes, { start: session.start, end: session.end }, value, this.opened().currentTimestampMs());
  }

  putBatch(writes: ReadonlyArray<SessionWrite>): void {
    for (const { keyBytes, session, value, timestampMs } of writes) this.cache.put(keyBytes, { start: session.start, end: session.end }, value, timestampMs);
  }

  observedStreamTime(): number {
    return this.cache.retention.observedStreamTime;
  }

  fetchSession(keyBytes: Buffer, sessionStart: number, sessionEnd: number): Buffer | null {
    this.opened();
    return this.cache.get(keyBytes, { start: sessionStart, end: sessionEnd });
  }

  findSessions(
    keyBytes: Buffer,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
    reverse: boolean,
  ): KeyValueIterator<Window, Buffer> {
    this.opened();
    const found: Array<KeyValue<Window, Buffer>> = [];
    for (const { slot, value } of this.cache.view(keyBytes)) {
      if (value !== null && slot.end >= earliestSessionEndTime && slot.start <= latestSessionStartTime) found.push({ key: slot, value });
    }
    if (reverse) found.reverse();
    let next = 0;
    return this.openIterators.open(() => found[next++]);
  }

  /** The cached sessions by key bytes, end, start, merged with the store's. */
  all(): KeyValueIterator<SessionBytes, Buffer> {
    this.opened();
    const cached = this.cache
      .entries()
      .sort((a, b) => compareByteStrings(a.group.id, b.group.id) || BY_END_THEN_START.compare(a.slot, b.slot))
      .map(({ group, slot, value }) => ({ key: { keyBytes: group.keyBytes, window: slot }, value }));
    const stored = this.inner.all();
    const pull = mergedScan(cached, stored, compareSessions);
    return this.openIterators.open(pull, () => stored.close());
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

function compareSessions(a: SessionBytes, b: SessionBytes): number {
  return Buffer.compare(a.keyBytes, b.keyBytes) || BY_END_THEN_START.compare(a.window, b.window);
}
