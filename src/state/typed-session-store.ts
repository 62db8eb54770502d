import { SerdeError, StateError } from '../core/errors.js';
import type { Serde } from '../core/serde.js';
import type { Window, Windowed } from '../core/windowed.js';
import { changelogTopicName, type ChangelogRecord } from './changelog.js';
import type { KeyValueIterator } from './key-value-iterator.js';
import { OpenIterators } from './open-iterators.js';
import type { SessionBytes, SessionBytesStore } from './session-bytes-store.js';
import type { ReadOnlySessionStore, SessionStore } from './session-store.js';
import type { StateStore, StateStoreContext } from './state-store.js';

/** Far enough back and ahead to cover every session: what `fetch(key)` asks `findSessions` for. */
const ALL_TIME = { earliestEnd: Number.MIN_SAFE_INTEGER, latestStart: Number.MAX_SAFE_INTEGER } as const;

/** The outermost layer of a session store: serializes keys and values for the bytes layers below. */
export class TypedSessionStore<K, V> implements SessionStore<K, V> {
  private readonly openIterators: OpenIterators;
  private topic = '';

  constructor(
    private readonly inner: SessionBytesStore,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
  ) {
    this.openIterators = new OpenIterators(inner.name);
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
    this.topic = changelogTopicName(context.applicationId, this.name);
    this.inner.init(context);
  }

  put(session: Windowed<K>, value: V | null): void {
    const valueBytes = value === null ? null : this.serde(() => this.valueSerde.serialize(this.topic, value));
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
    const inner = this.inner.all();
    return this.openIterators.open(() => {
      const entry = inner.next();
      if (entry.done === true) return undefined;
      return { key: this.sessionFrom(entry.value.key), value: this.valueFrom(entry.value.value) };
    }, () => inner.close());
  }

  restoreBatch(records: ReadonlyArray<ChangelogRecord>): void {
    this.inner.restoreBatch(records);
  }

  flush(): void {
    this.inner.flush();
  }

  close(): void {
    this.openIterators.closeAll();
    this.inner.close();
  }

  isOpen(): boolean {
    return this.inner.isOpen();
  }

  /** One key's sessions: the caller's key object is reused rather than deserialized again for each session. */
  private sessionsOf(key: K, inner: KeyValueIterator<Window, Buffer>): KeyValueIterator<Windowed<K>, V> {
    return this.openIterators.open(() => {
      const entry = inner.next();
      return entry.done === true ? undefined : { key: { key, window: entry.value.key }, value: this.valueFrom(entry.value.value) };
    }, () => inner.close());
  }

  private sessionFrom({ keyBytes, window }: SessionBytes): Windowed<K> {
    const key = this.serde(() => this.keySerde.deserialize(this.topic, keyBytes));
    if (key === null) throw new StateError('a session store key deserialized to null', { coordinates: { store: this.name } });
    return { key, window };
  }

  private keyBytes(key: K): Buffer {
    const bytes = this.serde(() => this.keySerde.serialize(this.topic, key));
    if (bytes === null) throw new StateError('session store keys must not be null', { coordinates: { store: this.name } });
    return bytes;
  }

  private valueFrom(bytes: Buffer): V {
    return this.serde(() => this.valueSerde.deserialize(this.topic, bytes)) as V;
  }

  private serde<T>(convert: () => T): T {
    try {
      return convert();
    } catch (cause) {
      if (cause instanceof SerdeError) throw cause;
      throw new SerdeError('session store serde failed', { cause, coordinates: { store: this.name } });
    }
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
