import type { BytesRange } from './bytes-range.js';
import type { ChangelogRecord } from './changelog.js';
import type { KeyValue } from './key-value.js';
import type { KeyValueIterator } from './key-value-iterator.js';
import type { StateStore } from './state-store.js';

/** Receives a cached entry as it is flushed: new value, the value the store below held before, and its timestamp. */
export type BytesFlushListener = (key: Buffer, newValue: Buffer | null, oldValue: Buffer | null, timestampMs: number) => void;

/**
 * The untyped layers of a key-value store (caching, change-logging and the stores that hold bytes). Keys and values
 * are serialized; entries are ordered by the keys' unsigned byte order. A `null` value deletes the key.
 */
export interface KeyValueBytesStore extends StateStore {
  get(key: Buffer): Buffer | null;
  put(key: Buffer, value: Buffer | null): void;
  /** Writes only when the key holds nothing; returns what it held. */
  putIfAbsent(key: Buffer, value: Buffer | null): Buffer | null;
  putAll(entries: ReadonlyArray<KeyValue<Buffer, Buffer | null>>): void;
  /** Removes the key; returns what it held. */
  delete(key: Buffer): Buffer | null;
  /** The entries within `range`, ascending by key, or descending when `reverse`. */
  iterate(range: BytesRange, reverse: boolean): KeyValueIterator<Buffer, Buffer>;
  approximateNumEntries(): number;
  restoreBatch(records: ReadonlyArray<ChangelogRecord>): void;
  /** Implemented by the caching layer (returns `true`); other layers pass it down or lack it. */
  setFlushListener?(listener: BytesFlushListener): boolean;
}

/** Makes a fresh bytes store per task: `Stores.persistentKeyValueStore(name)` or `Stores.inMemoryKeyValueStore(name)`. */
export interface KeyValueBytesStoreSupplier {
  readonly name: string;
  get(): KeyValueBytesStore;
}
