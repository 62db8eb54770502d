import type { Serde } from '../../core/serde.js';
import { PullKeyValueIterator, type KeyValueIterator } from '../../state/key-value-iterator.js';
import type { ReadOnlyKeyValueStore } from '../../state/key-value-store.js';

/**
 * One read-only view over the same store in every local task (each holds the keys of its partition): a key is
 * looked up in each task, iterators run through the tasks one after another (sorted within each task, as in
 * Kafka Streams' composite store), and counts are summed.
 */
export class LocalStoreView<K, V> implements ReadOnlyKeyValueStore<K, V> {
  constructor(
    readonly name: string,
    private readonly stores: () => ReadonlyArray<ReadOnlyKeyValueStore<K, V>>,
  ) {}

  get(key: K): V | null {
    for (const store of this.stores()) {
      const value = store.get(key);
      if (value !== null) return value;
    }
    return null;
  }

  range(from?: K | null, to?: K | null): KeyValueIterator<K, V> {
    return this.concat((store) => store.range(from, to));
  }

  reverseRange(from?: K | null, to?: K | null): KeyValueIterator<K, V> {
    return this.concat((store) => store.reverseRange(from, to));
  }

  all(): KeyValueIterator<K, V> {
    return this.concat((store) => store.all());
  }

  reverseAll(): KeyValueIterator<K, V> {
    return this.concat((store) => store.reverseAll());
  }

  prefixScan<P>(prefix: P, prefixKeySerde: Serde<P>): KeyValueIterator<K, V> {
    return this.concat((store) => store.prefixScan(prefix, prefixKeySerde));
  }

  approximateNumEntries(): number {
    return this.stores().reduce((sum, store) => sum + store.approximateNumEntries(), 0);
  }

  private concat(open: (store: ReadOnlyKeyValueStore<K, V>) => KeyValueIterator<K, V>): KeyValueIterator<K, V> {
    return concatStoreIterators(this.name, this.stores(), open);
  }
}

/**
 * One iterator over `open(store)` of each store in turn, opening each only when the previous one is exhausted;
 * closing it closes the one in use. What the merged local views iterate with.
 */
export function concatStoreIterators<S, K, V>(
  name: string,
  stores: ReadonlyArray<S>,
  open: (store: S) => KeyValueIterator<K, V>,
): KeyValueIterator<K, V> {
  const pending = [...stores];
  let current: KeyValueIterator<K, V> | undefined;
  return new PullKeyValueIterator(
    name,
    () => {
      for (;;) {
        if (current === undefined) {
          const store = pending.shift();
          if (store === undefined) return undefined;
          current = open(store);
        }
        const next = current.next();
        if (!next.done) return next.value;
        current.close();
        current = undefined;
      }
    },
    () => current?.close(),
  );
}
