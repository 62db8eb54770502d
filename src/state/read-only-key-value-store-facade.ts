import type { Serde } from '../core/serde.js';
import { PullKeyValueIterator } from './key-value-iterator.js';
import type { KeyValueIterator } from './key-value-iterator.js';
import type { ReadOnlyKeyValueStore } from './key-value-store.js';
import type { StateStore } from './state-store.js';
import { isKeyValueStore, isTimestampedKeyValueStore } from './timestamped-key-value-store.js';
import type { TimestampedKeyValueStore } from './timestamped-key-value-store.js';

/**
 * A read-only view of a timestamped store that shows plain values, as a user querying a KTable expects:
 * what the test driver's `getKeyValueStore(name)` and interactive queries return for DSL stores.
 */
export class ReadOnlyKeyValueStoreFacade<K, V> implements ReadOnlyKeyValueStore<K, V> {
  constructor(private readonly store: TimestampedKeyValueStore<K, V>) {}

  get name(): string {
    return this.store.name;
  }

  get(key: K): V | null {
    return this.store.get(key)?.value ?? null;
  }

  range(from?: K | null, to?: K | null): KeyValueIterator<K, V> {
    return this.unwrap(this.store.range(from, to));
  }

  reverseRange(from?: K | null, to?: K | null): KeyValueIterator<K, V> {
    return this.unwrap(this.store.reverseRange(from, to));
  }

  all(): KeyValueIterator<K, V> {
    return this.unwrap(this.store.all());
  }

  reverseAll(): KeyValueIterator<K, V> {
    return this.unwrap(this.store.reverseAll());
  }

  prefixScan<P>(prefix: P, prefixKeySerde: Serde<P>): KeyValueIterator<K, V> {
    return this.unwrap(this.store.prefixScan(prefix, prefixKeySerde));
  }

  approximateNumEntries(): number {
    return this.store.approximateNumEntries();
  }

  /** Not tracked here: the store tracks `iterator`, and this view fails with it once the store closes it. */
  private unwrap(iterator: KeyValueIterator<K, { readonly value: V }>): KeyValueIterator<K, V> {
    return new PullKeyValueIterator(
      this.store.name,
      () => {
        const next = iterator.next();
        return next.done ? undefined : { key: next.value.key, value: next.value.value.value };
      },
      () => iterator.close(),
    );
  }
}

/**
 * The read-only view to hand out for a store: timestamped stores through the facade, plain key-value stores as
 * they are, and `null` for stores of other kinds.
 */
export function readOnlyKeyValueStoreOf<K, V>(store: StateStore): ReadOnlyKeyValueStore<K, V> | null {
  if (isTimestampedKeyValueStore(store)) return new ReadOnlyKeyValueStoreFacade(store as TimestampedKeyValueStore<K, V>);
  if (isKeyValueStore(store)) return store as unknown as ReadOnlyKeyValueStore<K, V>;
  return null;
}
