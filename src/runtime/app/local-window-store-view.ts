import type { Windowed } from '../../core/windowed.js';
import type { KeyValueIterator } from '../../state/key-value-iterator.js';
import type { ReadOnlyWindowStore } from '../../state/window-store.js';
import { concatStoreIterators } from './local-store-view.js';

/**
 * One read-only view over the same window store in every local task (each holds the keys of its partition): a
 * key's window is looked up in each task, and iterators run through the tasks one after another (ordered within
 * each task, not across them, as Kafka Streams' composite window store).
 */
export class LocalWindowStoreView<K, V> implements ReadOnlyWindowStore<K, V> {
  constructor(
    readonly name: string,
    private readonly stores: () => ReadonlyArray<ReadOnlyWindowStore<K, V>>,
  ) {}

  fetch(key: K, windowStart: number): V | null;
  fetch(key: K, timeFrom: number, timeTo: number): KeyValueIterator<number, V>;
  fetch(key: K, timeFrom: number, timeTo?: number): V | null | KeyValueIterator<number, V> {
    if (timeTo !== undefined) return concatStoreIterators(this.name, this.stores(), (store) => store.fetch(key, timeFrom, timeTo));
    for (const store of this.stores()) {
      const value = store.fetch(key, timeFrom);
      if (value !== null) return value;
    }
    return null;
  }

  backwardFetch(key: K, timeFrom: number, timeTo: number): KeyValueIterator<number, V> {
    return concatStoreIterators(this.name, this.stores(), (store) => store.backwardFetch(key, timeFrom, timeTo));
  }

  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V> {
    return concatStoreIterators(this.name, this.stores(), (store) => store.fetchAll(timeFrom, timeTo));
  }

  all(): KeyValueIterator<Windowed<K>, V> {
    return concatStoreIterators(this.name, this.stores(), (store) => store.all());
  }
}
