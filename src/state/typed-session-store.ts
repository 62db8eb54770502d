import type { Window, Windowed } from '../core/windowed.js';
import type { KeyValueIterator } from './key-value-iterator.js';
import type { SessionBytesStore } from './session-bytes-store.js';
import type { ReadOnlySessionStore, SessionFlushListener, SessionStore } from './session-store.js';
import type { StateStore } from './state-store.js';
import { TypedWindowedStore } from './typed-windowed-store.js';

/** Far enough back and ahead to cover every session: what `fetch(key)` asks `findSessions` for. */
const ALL_TIME = { earliestEnd: Number.MIN_SAFE_INTEGER, latestStart: Number.MAX_SAFE_INTEGER } as const;

/** The outermost layer of a session store: serializes keys and values for the bytes layers below. */
export class TypedSessionStore<K, V> extends TypedWindowedStore<K, V, SessionBytesStore> implements SessionStore<K, V> {
  protected readonly storeKind = 'session';

  setFlushListener(listener: SessionFlushListener<K, V>, sendOldValues: boolean): boolean {
    return (
      this.inner.setFlushListener?.((keyBytes, window, newValue, oldValue, timestampMs) => {
        listener({ key: this.keyFrom(keyBytes), window }, this.valueOrNull(newValue), this.valueOrNull(oldValue), timestampMs);
      }, sendOldValues) ?? false
    );
  }

  put(session: Windowed<K>, value: V | null): void {
    const valueBytes = this.valueBytes(value);
    this.inner.put(this.keyBytes(session.key), session.window, valueBytes);
  }

  remove(session: Windowed<K>): void {
    this.inner.put(this.keyBytes(session.key), session.window, null);
  }

  fetchSession(key: K, sessionStart: number, sessionEnd: number): V | null {
    const value = this.inner.fetchSession(this.keyBytes(key), sessionStart, sessionEnd);
    return value === null ? null : this.valueFrom(value);
  }

  findSessions(key: K, earliestSessionEndTime: number, latestSessionStartTime: number): KeyValueIterator<Windowed<K>, V> {
    const sessions = this.inner.findSessions(this.keyBytes(key), earliestSessionEndTime, latestSessionStartTime, false);
    return this.sessionsOf(key, sessions);
  }

  backwardFindSessions(key: K, earliestSessionEndTime: number, latestSessionStartTime: number): KeyValueIterator<Windowed<K>, V> {
    const sessions = this.inner.findSessions(this.keyBytes(key), earliestSessionEndTime, latestSessionStartTime, true);
    return this.sessionsOf(key, sessions);
  }

  fetch(key: K): KeyValueIterator<Windowed<K>, V> {
    return this.findSessions(key, ALL_TIME.earliestEnd, ALL_TIME.latestStart);
  }

  backwardFetch(key: K): KeyValueIterator<Windowed<K>, V> {
    return this.backwardFindSessions(key, ALL_TIME.earliestEnd, ALL_TIME.latestStart);
  }

  all(): KeyValueIterator<Windowed<K>, V> {
    return this.typedEntries(this.inner.all(), ({ keyBytes, window }) => ({ key: this.keyFrom(keyBytes), window }));
  }

  /** One key's sessions: the caller's key object is reused rather than deserialized again for each session. */
  private sessionsOf(key: K, inner: KeyValueIterator<Window, Buffer>): KeyValueIterator<Windowed<K>, V> {
    return this.typedEntries(inner, (window) => ({ key, window }));
  }
}

/** Whether `store` is a session store built by `Stores.sessionStoreBuilder`. */
export function isSessionStore(store: StateStore): store is SessionStore<unknown, unknown> {
  return store instanceof TypedSessionStore;
}

/** The read-only view to hand out for a store: session stores as they are, `null` for stores of other kinds. */
export function readOnlySessionStoreOf<K, V>(store: StateStore): ReadOnlySessionStore<K, V> | null {
  return isSessionStore(store) ? (store as unknown as ReadOnlySessionStore<K, V>) : null;
}
