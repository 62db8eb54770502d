import type { Serde } from '../core/serde.js';
import type { KeyValueBytesStore } from './key-value-bytes-store.js';
import type { KeyValueStore } from './key-value-store.js';
import type { StateStore } from './state-store.js';
import { TypedKeyValueStore } from './typed-key-value-store.js';
import { valueAndTimestampSerde } from './value-and-timestamp.js';
import type { ValueAndTimestamp } from './value-and-timestamp.js';

/** A key-value store whose values carry the timestamp of the record that wrote them (KTables, aggregations). */
export type TimestampedKeyValueStore<K, V> = KeyValueStore<K, ValueAndTimestamp<V>>;

/** The typed layer of a timestamped store: values are stored as an 8-byte timestamp followed by the value bytes. */
export class TypedTimestampedKeyValueStore<K, V> extends TypedKeyValueStore<K, ValueAndTimestamp<V>> {
  constructor(inner: KeyValueBytesStore, keySerde: Serde<K>, valueSerde: Serde<V>) {
    super(inner, keySerde, valueAndTimestampSerde(valueSerde));
  }
}

export function isTimestampedKeyValueStore(store: StateStore): store is TimestampedKeyValueStore<unknown, unknown> {
  return store instanceof TypedTimestampedKeyValueStore;
}

/** Whether `store` is a key-value store (plain or timestamped) built by `Stores`. */
export function isKeyValueStore(store: StateStore): store is KeyValueStore<unknown, unknown> {
  return store instanceof TypedKeyValueStore;
}
