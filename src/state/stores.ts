import type { Serde } from '../core/serde.js';
import { ChangeLoggingKeyValueBytesStore } from './change-logging-key-value-bytes-store.js';
import { ChangeLoggingTimestampedKeyValueBytesStore } from './change-logging-timestamped-key-value-bytes-store.js';
import { InMemoryKeyValueBytesStore } from './in-memory-key-value-bytes-store.js';
import type { KeyValueBytesStoreSupplier } from './key-value-bytes-store.js';
import { KeyValueStoreBuilder } from './key-value-store-builder.js';
import type { KeyValueStore } from './key-value-store.js';
import { SqliteKeyValueBytesStore } from './sqlite/sqlite-key-value-bytes-store.js';
import { TypedTimestampedKeyValueStore } from './timestamped-key-value-store.js';
import type { TimestampedKeyValueStore } from './timestamped-key-value-store.js';
import { TypedKeyValueStore } from './typed-key-value-store.js';

/** Factories for state stores, named as in Kafka Streams. */
export const Stores = {
  /** A store in a table of the task's SQLite database, committed with the task. */
  persistentKeyValueStore(name: string): KeyValueBytesStoreSupplier {
    return { name, get: () => new SqliteKeyValueBytesStore(name) };
  },

  /** A store in process memory; rebuilt from its changelog whenever the task starts or rolls back. */
  inMemoryKeyValueStore(name: string): KeyValueBytesStoreSupplier {
    return { name, get: () => new InMemoryKeyValueBytesStore(name) };
  },

  /** A typed store over `supplier`'s bytes store; logging on and caching off unless changed on the builder. */
  keyValueStoreBuilder<K, V>(
    supplier: KeyValueBytesStoreSupplier,
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
  ): KeyValueStoreBuilder<KeyValueStore<K, V>> {
    return new KeyValueStoreBuilder(supplier, {
      changeLogging: (inner) => new ChangeLoggingKeyValueBytesStore(inner),
      typed: (inner) => new TypedKeyValueStore(inner, keySerde, valueSerde),
    });
  },

  /**
   * Like `keyValueStoreBuilder`, with each value stored together with the timestamp of the record that wrote it.
   * Its changelog holds the plain value, with that timestamp as the record timestamp, as in Kafka Streams.
   */
  timestampedKeyValueStoreBuilder<K, V>(
    supplier: KeyValueBytesStoreSupplier,
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
  ): KeyValueStoreBuilder<TimestampedKeyValueStore<K, V>> {
    return new KeyValueStoreBuilder(supplier, {
      changeLogging: (inner) => new ChangeLoggingTimestampedKeyValueBytesStore(inner),
      typed: (inner) => new TypedTimestampedKeyValueStore(inner, keySerde, valueSerde),
    });
  },
} as const;
