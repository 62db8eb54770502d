import { StateError } from '../core/errors.js';
import type { Window } from '../core/windowed.js';
import type { ChangelogRecord } from './changelog.js';
import type { KeyValue } from './key-value.js';
import type { KeyValueIterator } from './key-value-iterator.js';
import { OpenIterators } from './open-iterators.js';
import { restoreSessionRecords, SessionRetention } from './session-bytes-store.js';
import type { SessionBytes, SessionBytesStore, SessionWrite } from './session-bytes-store.js';
import { SessionEndQueue } from './session-end-queue.js';
import { byteString, SortedKeyIndex } from './sorted-key-index.js';
import type { StateStoreContext } from './state-store.js';

interface Session {
  readonly start: number;
  readonly end: number;
  value: Buffer;
}

interface KeySessions {
  readonly keyBytes: Buffer;
  /** Ascending by end, then start: the store's order within a key, and expired sessions come first. */
  readonly sessions: Session[];
}

/**
 * Sessions kept in process memory: each key's sessions in one sorted array (a key rarely has many live sessions),
 * the keys in byte order for `all()`, and for expiry the keys holding sessions per session end plus a queue of
 * those ends, so dropping expired sessions touches only the keys concerned. Iterators read a snapshot taken when they are opened, so a processor
 * may write while it iterates (session merging does). Not covered by the task's SQLite transaction: the runtime
 * rebuilds it from the changelog after a rollback or a restart.
 */
export class InMemorySessionBytesStore implements SessionBytesStore {
  readonly persistent = false;
  private readonly byKey = new Map<string, KeySessions>();
  private keyOrder = new SortedKeyIndex();
  private readonly keysByEnd = new Map<number, Set<string>>();
  private readonly ends = new SessionEndQueue();
  private readonly retention: SessionRetention;
  private readonly openIterators: OpenIterators;
  private open = false;

  constructor(
    readonly name: string,
    readonly retentionMs: number,
  ) {
    this.retention = new SessionRetention(retentionMs);
    this.openIterators = new OpenIterators(name);
  }

  init(_context: StateStoreContext): void {
    this.open = true;
  }

  put(keyBytes: Buffer, session: Window, value: Buffer | null): void {
    this.ensureOpen();
    if (this.retention.observe(session.end)) {
      if (value === null) this.delete(byteString(keyBytes), session);
      else this.write(keyBytes, session, value);
    }
    this.dropExpiredSessions();
  }

  /** Writes one by one: a write the batch later expires is dropped by the same pass as on a single put. */
  putBatch(writes: ReadonlyArray<SessionWrite>): void {
    for (const { keyBytes, session, value } of writes) this.put(keyBytes, session, value);
  }

  observedStreamTime(): number {
    return this.retention.observedStreamTime;
  }

  fetchSession(keyBytes: Buffer, sessionStart: number, sessionEnd: number): Buffer | null {
    this.ensureOpen();
    if (sessionEnd < this.retention.minLiveEnd) return null;
    const sessions = this.byKey.get(byteString(keyBytes))?.sessions;
    if (sessions === undefined) return null;
    const found = sessions[firstAtOrAfter(sessions, sessionEnd, sessionStart)];
    return found !== undefined && found.end === sessionEnd && found.start === sessionStart ? found.value : null;
  }

  findSessions(
    keyBytes: Buffer,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
    reverse: boolean,
  ): KeyValueIterator<Window, Buffer> {
    this.ensureOpen();
    const sessions = this.byKey.get(byteString(keyBytes))?.sessions ?? [];
    const fromEnd = Math.max(earliestSessionEndTime, this.retention.minLiveEnd);
    const found: Array<KeyValue<Window, Buffer>> = [];
    for (let i = firstAtOrAfter(sessions, fromEnd, Number.NEGATIVE_INFINITY); i < sessions.length; i++) {
      const { start, end, value } = sessions[i]!;
      if (start <= latestSessionStartTime) found.push({ key: { start, end }, value });
    }
    if (reverse) found.reverse();
    return this.iterate(found);
  }

  all(): KeyValueIterator<SessionBytes, Buffer> {
    this.ensureOpen();
    const minLiveEnd = this.retention.minLiveEnd;
    const found: Array<KeyValue<SessionBytes, Buffer>> = [];
    for (let position = this.keyOrder.seek(null, false); ; position = this.keyOrder.after(position)) {
      const id = this.keyOrder.keyAt(position);
      if (id === undefined) break;
      const { keyBytes, sessions } = this.byKey.get(id)!;
      for (const { start, end, value } of sessions) {
        if (end >= minLiveEnd) found.push({ key: { keyBytes, window: { start, end } }, value });
      }
    }
    return this.iterate(found);
  }

  restoreBatch(records: ReadonlyArray<ChangelogRecord>): void {
    restoreSessionRecords(this, records);
  }

  flush(): void {
    // Nothing is buffered: writes land in the maps at once.
  }

  close(): void {
    this.openIterators.closeAll();
    this.byKey.clear();
    this.keyOrder = new SortedKeyIndex();
    this.keysByEnd.clear();
    this.ends.clear();
    this.open = false;
  }

  isOpen(): boolean {
    return this.open;
  }

  private write(keyBytes: Buffer, session: Window, value: Buffer): void {
    const id = byteString(keyBytes);
    let entry = this.byKey.get(id);
    if (entry === undefined) {
      entry = { keyBytes: Buffer.from(keyBytes), sessions: [] };
      this.byKey.set(id, entry);
      this.keyOrder.insert(id);
    }
    const { sessions } = entry;
    const index = firstAtOrAfter(sessions, session.end, session.start);
    const existing = sessions[index];
    if (existing !== undefined && existing.end === session.end && existing.start === session.start) {
      existing.value = value;
      return;
    }
    sessions.splice(index, 0, { start: session.start, end: session.end, value });
    this.indexEnd(id, session.end);
  }

  private delete(id: string, session: Window): void {
    const entry = this.byKey.get(id);
    if (entry === undefined) return;
    const { sessions } = entry;
    const index = firstAtOrAfter(sessions, session.end, session.start);
    const existing = sessions[index];
    if (existing === undefined || existing.end !== session.end || existing.start !== session.start) return;
    sessions.splice(index, 1);
    // A key left without sessions stays, indexed under this end: merging removes a key's sessions and writes the
    // merged one right after, so forgetting the key now would only re-add it; expiry forgets it if it stays empty.
    if (sessions.length === 0) return;
    const keyStillEndsThere = sessions[index - 1]?.end === session.end || sessions[index]?.end === session.end;
    if (!keyStillEndsThere) this.unindexEnd(id, session.end);
  }

  private indexEnd(id: string, end: number): void {
    let keys = this.keysByEnd.get(end);
    if (keys === undefined) {
      keys = new Set();
      this.keysByEnd.set(end, keys);
      this.ends.push(end);
    }
    keys.add(id);
  }

  /** Leaves `end` queued even when no key ends there any more: expiry finds nothing there and moves on. */
  private unindexEnd(id: string, end: number): void {
    const keys = this.keysByEnd.get(end);
    if (keys === undefined) return;
    keys.delete(id);
    if (keys.size === 0) this.keysByEnd.delete(end);
  }

  private forgetKey(id: string): void {
    this.byKey.delete(id);
    this.keyOrder.remove(id);
  }

  private dropExpiredSessions(): void {
    const minLiveEnd = this.retention.minLiveEnd;
    for (let end = this.ends.popBefore(minLiveEnd); end !== undefined; end = this.ends.popBefore(minLiveEnd)) {
      for (const id of this.keysByEnd.get(end) ?? []) this.dropExpiredSessionsOf(id, minLiveEnd);
      this.keysByEnd.delete(end);
    }
  }

  private dropExpiredSessionsOf(id: string, minLiveEnd: number): void {
    const entry = this.byKey.get(id);
    if (entry === undefined) return;
    const { sessions } = entry;
    sessions.splice(0, firstAtOrAfter(sessions, minLiveEnd, Number.NEGATIVE_INFINITY));
    if (sessions.length === 0) this.forgetKey(id);
  }

  private iterate<K>(entries: Array<KeyValue<K, Buffer>>): KeyValueIterator<K, Buffer> {
    let next = 0;
    return this.openIterators.open(() => entries[next++]);
  }

  private ensureOpen(): void {
    if (!this.open) throw new StateError('STATE_MISUSE', 'store is not open', { coordinates: { store: this.name } });
  }
}

/** Index of the first session at or after `(end, start)` in a key's sessions (binary search). */
function firstAtOrAfter(sessions: readonly Session[], end: number, start: number): number {
  let low = 0;
  let high = sessions.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const session = sessions[middle]!;
    if (session.end < end || (session.end === end && session.start < start)) low = middle + 1;
    else high = middle;
  }
  return low;
}
