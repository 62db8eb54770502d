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
import { InMemoryVersionedBytesStore } from './in-memory-versioned-bytes-store.js';
import { SqliteVersionedBytesStore } from './sqlite/sqlite-versioned-bytes-store.js';
import { defaultVersionedSegmentIntervalMs } from './versioned-bytes-store.js';
import type { VersionedBytesStoreSupplier } from './versioned-bytes-store.js';
import { VersionedKeyValueStoreBuilder } from './versioned-key-value-store-builder.js';

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
   * start (at least the window size; windowed aggregations need size + grace). With `retainDuplicates` (Kafka
   * Streams' flag, what stream-stream joins use) every put adds an entry and `null` puts are ignored; the window
   * size may then be 0.
   */
  persistentWindowStore(name: string, retentionMs: number, windowSizeMs: number, retainDuplicates = false): WindowBytesStoreSupplier {
    checkWindowStoreArguments(name, retentionMs, windowSizeMs, retainDuplicates);
    return { name, retentionMs, windowSizeMs, retainDuplicates, get: () => new SqliteWindowBytesStore(name, retentionMs, windowSizeMs, retainDuplicates) };
  },

  /** Like `persistentWindowStore`, in process memory; rebuilt from its changelog whenever the task starts. */
  inMemoryWindowStore(name: string, retentionMs: number, windowSizeMs: number, retainDuplicates = false): WindowBytesStoreSupplier {
    checkWindowStoreArguments(name, retentionMs, windowSizeMs, retainDuplicates);
    return { name, retentionMs, windowSizeMs, retainDuplicates, get: () => new InMemoryWindowBytesStore(name, retentionMs, windowSizeMs, retainDuplicates) };
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

  /**
   * A versioned key-value store in the task's SQLite database, keeping each key's older versions for
   * `historyRetentionMs` of observed stream time (which is also how late a put may come).
   */
  persistentVersionedKeyValueStore(name: string, historyRetentionMs: number, segmentIntervalMs?: number): VersionedBytesStoreSupplier {
    const segment = versionedSegmentInterval(name, historyRetentionMs, segmentIntervalMs);
    return { name, historyRetentionMs, segmentIntervalMs: segment, get: () => new SqliteVersionedBytesStore(name, historyRetentionMs, segment) };
  },

  /** Like `persistentVersionedKeyValueStore`, in process memory; rebuilt from its changelog whenever the task starts. */
  inMemoryVersionedKeyValueStore(name: string, historyRetentionMs: number, segmentIntervalMs?: number): VersionedBytesStoreSupplier {
    const segment = versionedSegmentInterval(name, historyRetentionMs, segmentIntervalMs);
    return { name, historyRetentionMs, segmentIntervalMs: segment, get: () => new InMemoryVersionedBytesStore(name, historyRetentionMs, segment) };
  },

  /** A typed versioned store over `supplier`'s bytes store; logging on, no caching. */
  versionedKeyValueStoreBuilder<K, V>(supplier: VersionedBytesStoreSupplier, keySerde: Serde<K>, valueSerde: Serde<V>): VersionedKeyValueStoreBuilder<K, V> {
    return new VersionedKeyValueStoreBuilder(supplier, keySerde, valueSerde);
  },
} as const;

/** Kafka Streams' rules: a non-negative history retention and a positive segment interval (defaulted from it). */
function versionedSegmentInterval(name: string, historyRetentionMs: number, segmentIntervalMs: number | undefined): number {
  const coordinates = { store: name };
  if (!Number.isSafeInteger(historyRetentionMs) || historyRetentionMs < 0) {
    throw new StateError('STATE_MISUSE', `history retention must be a non-negative integer of milliseconds, got ${historyRetentionMs}`, { coordinates });
  }
  const segment = segmentIntervalMs ?? defaultVersionedSegmentIntervalMs(historyRetentionMs);
  if (!Number.isSafeInteger(segment) || segment <= 0) {
    throw new StateError('STATE_MISUSE', `segment interval must be a positive integer of milliseconds, got ${segment}`, { coordinates });
  }
  return segment;
}

/**
 * A positive window size (join stores, which retain duplicates, may have 0: a join of equal timestamps only), and
 * a retention no shorter than it.
 */
function checkWindowStoreArguments(name: string, retentionMs: number, windowSizeMs: number, retainDuplicates: boolean): void {
  const coordinates = { store: name };
  const minimumSize = retainDuplicates ? 0 : 1;
  if (!Number.isSafeInteger(windowSizeMs) || windowSizeMs < minimumSize) {
    const expected = retainDuplicates ? 'a non-negative' : 'a positive';
    throw new StateError('STATE_MISUSE', `window size must be ${expected} integer of milliseconds, got ${windowSizeMs}`, { coordinates });
  }
  if (!Number.isSafeInteger(retentionMs) || retentionMs < windowSizeMs) {
    throw new StateError('STATE_MISUSE', `retention (${retentionMs} ms) must be an integer no less than the window size (${windowSizeMs} ms)`, {
      coordinates,
    });
  }
}

/** Kafka Streams' rule: a retention that is not negative. */
function checkSessionStoreRetention(name: string, retentionMs: number): void {
  if (!Number.isSafeInteger(retentionMs) || retentionMs < 0) {
    throw new StateError('STATE_MISUSE', `retention must be a non-negative integer of milliseconds, got ${retentionMs}`, {
      coordinates: { store: name },
    });
  }
}
