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
import { InMemoryWindowBytesStore } from './in-memory-window-bytes-store.js';
import { SqliteWindowBytesStore } from './sqlite/sqlite-window-bytes-store.js';
import type { WindowBytesStoreSupplier } from './window-bytes-store.js';
import { WindowStoreBuilder } from './window-store-builder.js';
import { timestampedWindowValueSerde } from './typed-window-store.js';
import type { ValueAndTimestamp } from './value-and-timestamp.js';
import { StateError } from '../core/errors.js';
import { InMemorySessionBytesStore } from './in-memory-session-bytes-store.js';
import type { SessionBytesStoreSupplier } from './session-bytes-store.js';
import { SessionStoreBuilder } from './session-store-builder.js';
import { SqliteSessionBytesStore } from './sqlite/sqlite-session-bytes-store.js';

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

  /**
   * A window store in the task's SQLite database keeping each window `retentionMs` after stream time passes its
   * start (at least the window size; windowed aggregations need size + grace).
   */
  persistentWindowStore(name: string, retentionMs: number, windowSizeMs: number): WindowBytesStoreSupplier {
    checkWindowStoreArguments(name, retentionMs, windowSizeMs);
    return { name, retentionMs, windowSizeMs, get: () => new SqliteWindowBytesStore(name, retentionMs, windowSizeMs) };
  },

  /** Like `persistentWindowStore`, in process memory; rebuilt from its changelog whenever the task starts. */
  inMemoryWindowStore(name: string, retentionMs: number, windowSizeMs: number): WindowBytesStoreSupplier {
    checkWindowStoreArguments(name, retentionMs, windowSizeMs);
    return { name, retentionMs, windowSizeMs, get: () => new InMemoryWindowBytesStore(name, retentionMs, windowSizeMs) };
  },

  /** A typed window store over `supplier`'s bytes store; logging on, caching off. */
  windowStoreBuilder<K, V>(supplier: WindowBytesStoreSupplier, keySerde: Serde<K>, valueSerde: Serde<V>): WindowStoreBuilder<K, V> {
    return new WindowStoreBuilder(supplier, keySerde, valueSerde);
  },

  /**
   * Like `windowStoreBuilder`, with each value stored together with the timestamp of the record that wrote it
   * (what windowed aggregations keep). Read-only views of the store (test driver, `KafkaStreams.windowStore`)
   * show the plain values.
   */
  timestampedWindowStoreBuilder<K, V>(
    supplier: WindowBytesStoreSupplier,
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
  ): WindowStoreBuilder<K, ValueAndTimestamp<V>> {
    return new WindowStoreBuilder(supplier, keySerde, timestampedWindowValueSerde(valueSerde));
  },

  /**
   * A session store in the task's SQLite database keeping each session `retentionMs` after stream time passes its
   * end (session aggregations need at least the inactivity gap + grace).
   */
  persistentSessionStore(name: string, retentionMs: number): SessionBytesStoreSupplier {
    checkSessionStoreRetention(name, retentionMs);
    return { name, retentionMs, get: () => new SqliteSessionBytesStore(name, retentionMs) };
  },

  /** Like `persistentSessionStore`, in process memory; rebuilt from its changelog whenever the task starts. */
  inMemorySessionStore(name: string, retentionMs: number): SessionBytesStoreSupplier {
    checkSessionStoreRetention(name, retentionMs);
    return { name, retentionMs, get: () => new InMemorySessionBytesStore(name, retentionMs) };
  },

  /** A typed session store over `supplier`'s bytes store; logging on, caching off. */
  sessionStoreBuilder<K, V>(supplier: SessionBytesStoreSupplier, keySerde: Serde<K>, valueSerde: Serde<V>): SessionStoreBuilder<K, V> {
    return new SessionStoreBuilder(supplier, keySerde, valueSerde);
  },
} as const;

/** Kafka Streams' rules: a positive window size, and a retention no shorter than it. */
function checkWindowStoreArguments(name: string, retentionMs: number, windowSizeMs: number): void {
  const coordinates = { store: name };
  if (!Number.isSafeInteger(windowSizeMs) || windowSizeMs <= 0) {
    throw new StateError(`window size must be a positive integer of milliseconds, got ${windowSizeMs}`, { coordinates });
  }
  if (!Number.isSafeInteger(retentionMs) || retentionMs < windowSizeMs) {
    throw new StateError(`retention (${retentionMs} ms) must be an integer no less than the window size (${windowSizeMs} ms)`, {
      coordinates,
    });
  }
}

/** Kafka Streams' rule: a retention that is not negative. */
function checkSessionStoreRetention(name: string, retentionMs: number): void {
  if (!Number.isSafeInteger(retentionMs) || retentionMs < 0) {
    throw new StateError(`retention must be a non-negative integer of milliseconds, got ${retentionMs}`, {
      coordinates: { store: name },
    });
  }
}
