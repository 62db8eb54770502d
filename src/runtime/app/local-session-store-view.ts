import type { Windowed } from '../../core/windowed.js';
import type { KeyValueIterator } from '../../state/key-value-iterator.js';
import type { ReadOnlySessionStore } from '../../state/session-store.js';
import { concatStoreIterators } from './local-store-view.js';

/**
 * One read-only view over the same session store in every local task (each holds the keys of its partition): a
 * session is looked up in each task, and iterators run through the tasks one after another (ordered within each
 * task, not across them, as Kafka Streams' composite session store).
 */
export class LocalSessionStoreView<K, V> implements ReadOnlySessionStore<K, V> {
  constructor(
    readonly name: string,
    private readonly stores: () => ReadonlyArray<ReadOnlySessionStore<K, V>>,
  ) {}

  findSessions(key: K, earliestSessionEndTime: number, latestSessionStartTime: number): KeyValueIterator<Windowed<K>, V> {
    return this.concat((store) => store.findSessions(key, earliestSessionEndTime, latestSessionStartTime));
  }

  backwardFindSessions(key: K, earliestSessionEndTime: number, latestSessionStartTime: number): KeyValueIterator<Windowed<K>, V> {
    return this.concat((store) => store.backwardFindSessions(key, earliestSessionEndTime, latestSessionStartTime));
  }

  fetchSession(key: K, sessionStart: number, sessionEnd: number): V | null {
    for (const store of this.stores()) {
      const value = store.fetchSession(key, sessionStart, sessionEnd);
      if (value !== null) return value;
    }
    return null;
  }

  fetch(key: K): KeyValueIterator<Windowed<K>, V> {
    return this.concat((store) => store.fetch(key));
  }

  backwardFetch(key: K): KeyValueIterator<Windowed<K>, V> {
    return this.concat((store) => store.backwardFetch(key));
  }

  all(): KeyValueIterator<Windowed<K>, V> {
    return this.concat((store) => store.all());
  }

  private concat(open: (store: ReadOnlySessionStore<K, V>) => KeyValueIterator<Windowed<K>, V>): KeyValueIterator<Windowed<K>, V> {
    return concatStoreIterators(this.name, this.stores(), open);
  }
}
