import type { Windowed } from '../core/windowed.js';
import type { KeyValueIterator } from './key-value-iterator.js';
import type { StateStore } from './state-store.js';
import { TypedWindowStore } from './typed-window-store.js';
import type { TimestampedWindowStore } from './typed-window-store.js';
import { withPlainValues } from './value-and-timestamp.js';
import type { ReadOnlyWindowStore, WindowStore } from './window-store.js';

/**
 * A read-only view of a timestamped window store that shows plain values, as a user querying a windowed KTable
 * expects: what the test driver's `getWindowStore(name)` and interactive queries return for windowed aggregations.
 */
export class ReadOnlyWindowStoreFacade<K, V> implements ReadOnlyWindowStore<K, V> {
  constructor(private readonly store: TimestampedWindowStore<K, V>) {}

  get name(): string {
    return this.store.name;
  }

  fetch(key: K, windowStart: number): V | null;
  fetch(key: K, timeFrom: number, timeTo: number): KeyValueIterator<number, V>;
  fetch(key: K, timeFrom: number, timeTo?: number): V | null | KeyValueIterator<number, V> {
    if (timeTo === undefined) return this.store.fetch(key, timeFrom)?.value ?? null;
    return withPlainValues(this.store.name, this.store.fetch(key, timeFrom, timeTo));
  }

  backwardFetch(key: K, timeFrom: number, timeTo: number): KeyValueIterator<number, V> {
    return withPlainValues(this.store.name, this.store.backwardFetch(key, timeFrom, timeTo));
  }

  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V> {
    return withPlainValues(this.store.name, this.store.fetchAll(timeFrom, timeTo));
  }

  all(): KeyValueIterator<Windowed<K>, V> {
    return withPlainValues(this.store.name, this.store.all());
  }
}

/** Whether `store` is a window store built by `Stores` (plain or timestamped). */
export function isWindowStore(store: StateStore): store is WindowStore<unknown, unknown> {
  return store instanceof TypedWindowStore;
}

/** Whether `store` is a window store built by `Stores.timestampedWindowStoreBuilder`. */
export function isTimestampedWindowStore(store: StateStore): store is TimestampedWindowStore<unknown, unknown> {
  return store instanceof TypedWindowStore && store.timestampedValues;
}

/**
 * The read-only view to hand out for a store: timestamped window stores through the facade, plain window stores
 * as they are, and `null` for stores of other kinds.
 */
export function readOnlyWindowStoreOf<K, V>(store: StateStore): ReadOnlyWindowStore<K, V> | null {
  if (isTimestampedWindowStore(store)) return new ReadOnlyWindowStoreFacade(store as TimestampedWindowStore<K, V>);
  if (isWindowStore(store)) return store as unknown as ReadOnlyWindowStore<K, V>;
  return null;
}
