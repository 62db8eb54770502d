import type { Serde } from '../core/serde.js';
import type { KeyValue } from './key-value.js';
import type { KeyValueIterator } from './key-value-iterator.js';
import type { StateStore } from './state-store.js';

/**
 * Reports an entry flushed from a store's cache: its new value (`null` = deleted), the value the store held before
 * the flush, and the timestamp of the record that last wrote the key.
 */
export type FlushListener<K, V> = (key: K, newValue: V | null, oldValue: V | null, timestampMs: number) => void;

/**
 * The reading half of a key-value store: what interactive queries and the test driver hand out.
 * Ranges follow the serialized keys' unsigned byte order, as in Kafka Streams: e.g. with `Serdes.Integer()` keys,
 * negative numbers (first byte 0x80 and above) come after the positive ones. Close the iterators you open.
 */
export interface ReadOnlyKeyValueStore<K, V> {
  get(key: K): V | null;
  /** Entries from `from` to `to`, both inclusive, ascending; `null`/`undefined` leaves that end open. Empty when from > to. */
  range(from?: K | null, to?: K | null): KeyValueIterator<K, V>;
  /** The same entries as `range(from, to)`, descending. */
  reverseRange(from?: K | null, to?: K | null): KeyValueIterator<K, V>;
  all(): KeyValueIterator<K, V>;
  reverseAll(): KeyValueIterator<K, V>;
  /** Entries whose serialized key starts with `prefix` serialized by `prefixKeySerde`, ascending. */
  prefixScan<P>(prefix: P, prefixKeySerde: Serde<P>): KeyValueIterator<K, V>;
  /** A cheap estimate: writes still held in a cache may not be counted. */
  approximateNumEntries(): number;
}

/** A typed key-value store, as processors get it from `context.getStateStore(name)`. A `null` value deletes. */
export interface KeyValueStore<K, V> extends StateStore, ReadOnlyKeyValueStore<K, V> {
  put(key: K, value: V | null): void;
  /** Writes only when the key has no value; returns the value it had (`null` when the write happened). */
  putIfAbsent(key: K, value: V | null): V | null;
  putAll(entries: ReadonlyArray<KeyValue<K, V | null>>): void;
  /** Removes the key; returns the value it had. */
  delete(key: K): V | null;
  /**
   * For KTable processors: with caching enabled, registers `listener` to receive every entry as the cache flushes
   * or evicts it, in the order the keys were last written, and returns `true` — the processor then must not
   * forward updates itself. Without caching it returns `false`, and the processor forwards each update itself.
   */
  setFlushListener(listener: FlushListener<K, V>): boolean;
}
