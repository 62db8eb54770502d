import type { Windowed } from '../core/windowed.js';
import type { KeyValueIterator } from './key-value-iterator.js';
import type { StateStore } from './state-store.js';

/**
 * The reading half of a session store: what interactive queries and the test driver hand out. A session is a key's
 * window `[start, end]` (both ends inclusive, `end` = its last record's timestamp). Iterators return sessions by
 * key bytes, then end, then start (Kafka Streams' order); expired sessions are never returned. Close iterators.
 */
export interface ReadOnlySessionStore<K, V> {
  /**
   * The key's sessions that end at or after `earliestSessionEndTime` and start at or before
   * `latestSessionStartTime`: the sessions a record at `t` could merge with are
   * `findSessions(key, t - gap, t + gap)`.
   */
  findSessions(key: K, earliestSessionEndTime: number, latestSessionStartTime: number): KeyValueIterator<Windowed<K>, V>;
  /** The same sessions as `findSessions`, in reverse order. */
  backwardFindSessions(key: K, earliestSessionEndTime: number, latestSessionStartTime: number): KeyValueIterator<Windowed<K>, V>;
  /** The value of the key's session that is exactly `[sessionStart, sessionEnd]`, or `null`. */
  fetchSession(key: K, sessionStart: number, sessionEnd: number): V | null;
  /** All sessions of the key. */
  fetch(key: K): KeyValueIterator<Windowed<K>, V>;
  backwardFetch(key: K): KeyValueIterator<Windowed<K>, V>;
  /** Every session of every key (key bytes, then end, then start). */
  all(): KeyValueIterator<Windowed<K>, V>;
}

/** Receives a cached session as the cache writes it down; see `WindowFlushListener`. */
export type SessionFlushListener<K, V> = (session: Windowed<K>, newValue: V | null, oldValue: V | null, timestampMs: number) => void;

/** A typed session store, as processors get it from `context.getStateStore(name)`. */
export interface SessionStore<K, V> extends StateStore, ReadOnlySessionStore<K, V> {
  readonly retentionMs: number;
  /** For session aggregations: as `WindowStore.setFlushListener`, one call per session written down. */
  setFlushListener(listener: SessionFlushListener<K, V>, sendOldValues: boolean): boolean;
  /** Writes the session's aggregate; a `null` value removes the session. */
  put(session: Windowed<K>, value: V | null): void;
  remove(session: Windowed<K>): void;
}
