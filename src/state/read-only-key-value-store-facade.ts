import type { Serde } from '../core/serde.js';
import type { KeyValueIterator } from './key-value-iterator.js';
import type { ReadOnlyKeyValueStore } from './key-value-store.js';
import type { StateStore } from './state-store.js';
import { isKeyValueStore, isTimestampedKeyValueStore } from './timestamped-key-value-store.js';
import type { TimestampedKeyValueStore } from './timestamped-key-value-store.js';
import { withPlainValues } from './value-and-timestamp.js';

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
    return withPlainValues(this.store.name, this.store.range(from, to));
  }

  reverseRange(from?: K | null, to?: K | null): KeyValueIterator<K, V> {
    return withPlainValues(this.store.name, this.store.reverseRange(from, to));
  }

  all(): KeyValueIterator<K, V> {
    return withPlainValues(this.store.name, this.store.all());
  }

  reverseAll(): KeyValueIterator<K, V> {
    return withPlainValues(this.store.name, this.store.reverseAll());
  }

  prefixScan<P>(prefix: P, prefixKeySerde: Serde<P>): KeyValueIterator<K, V> {
    return withPlainValues(this.store.name, this.store.prefixScan(prefix, prefixKeySerde));
  }

  approximateNumEntries(): number {
    return this.store.approximateNumEntries();
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
