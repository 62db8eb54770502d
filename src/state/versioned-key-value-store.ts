import { describeError, SerdeError, StateError } from '../core/errors.js';
import type { Serde } from '../core/serde.js';
import { changelogTopicName } from './changelog.js';
import type { StateStore, StateStoreContext } from './state-store.js';
import type { VersionedBytesRecord, VersionedBytesStore } from './versioned-bytes-store.js';
import { WrappingStore } from './wrapping-store.js';

export { PUT_RETURN_CODE_NOT_PUT, PUT_RETURN_CODE_VALID_TO_UNDEFINED } from './versioned-bytes-store.js';

/**
 * One version of a key (Kafka Streams' `VersionedRecord`): its value, the timestamp it is valid from, and the
 * timestamp it is valid until (exclusive), which the latest version has not.
 */
export interface VersionedRecord<V> {
  readonly value: V;
  readonly timestamp: number;
  readonly validTo?: number;
}

/**
 * A key-value store that keeps each key's history for `historyRetentionMs` (Kafka Streams' `VersionedKeyValueStore`):
 * versioned KTables, and stream-table joins looking the table up as of each stream record's time.
 */
export interface VersionedKeyValueStore<K, V> extends StateStore {
  readonly historyRetentionMs: number;
  /**
   * Adds a version of `key` valid from `timestampMs` (`null` = a tombstone). Returns its `validTo`,
   * `PUT_RETURN_CODE_VALID_TO_UNDEFINED` (-1) if it became the latest version, or `PUT_RETURN_CODE_NOT_PUT` if it is
   * older than the history retention (stream time observed by the store minus the retention) and was refused.
   */
  put(key: K, value: V | null, timestampMs: number): number;
  /** Puts a tombstone at `timestampMs` and returns the version that was valid at that time, if any. */
  delete(key: K, timestampMs: number): VersionedRecord<V> | null;
  /** The latest version, or `null` if there is none or it is a tombstone. */
  get(key: K): VersionedRecord<V> | null;
  /**
   * The version valid at `asOfTimestampMs` (inclusive of its own timestamp), or `null`. Older than the history
   * retention only the latest version can answer.
   */
  get(key: K, asOfTimestampMs: number): VersionedRecord<V> | null;
}

/** The typed layer of a versioned store: keys and values through the store's serdes. */
export class TypedVersionedKeyValueStore<K, V> extends WrappingStore<VersionedBytesStore> implements VersionedKeyValueStore<K, V> {
  private topic = '';

  constructor(
    inner: VersionedBytesStore,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
  ) {
    super(inner);
  }

  get historyRetentionMs(): number {
    return this.inner.historyRetentionMs;
  }

  override init(context: StateStoreContext): void {
    this.topic = changelogTopicName(context.applicationId, this.name);
    super.init(context);
  }

  put(key: K, value: V | null, timestampMs: number): number {
    return this.inner.put(this.keyBytes(key), this.valueBytes(value), timestampMs);
  }

  delete(key: K, timestampMs: number): VersionedRecord<V> | null {
    return this.record(this.inner.delete(this.keyBytes(key), timestampMs));
  }

  get(key: K, asOfTimestampMs?: number): VersionedRecord<V> | null {
    const keyBytes = this.keyBytes(key);
    return this.record(asOfTimestampMs === undefined ? this.inner.get(keyBytes) : this.inner.getAsOf(keyBytes, asOfTimestampMs));
  }

  private record(stored: VersionedBytesRecord | null): VersionedRecord<V> | null {
    if (stored === null) return null;
    let value: V | null;
    try {
      value = this.valueSerde.deserialize(this.topic, stored.value);
    } catch (cause) {
      throw this.serdeError('cannot deserialize a stored value', cause);
    }
    if (value === null) return null;
    return stored.validTo === undefined ? { value, timestamp: stored.timestamp } : { value, timestamp: stored.timestamp, validTo: stored.validTo };
  }

  private keyBytes(key: K): Buffer {
    let bytes: Buffer | null;
    try {
      bytes = this.keySerde.serialize(this.topic, key);
    } catch (cause) {
      throw this.serdeError('cannot serialize the key', cause);
    }
    if (bytes === null) throw new StateError('STATE_MISUSE', 'store keys must not be null', { coordinates: { store: this.name } });
    return bytes;
  }

  private valueBytes(value: V | null): Buffer | null {
    if (value === null) return null;
    try {
      return this.valueSerde.serialize(this.topic, value);
    } catch (cause) {
      throw this.serdeError('cannot serialize the value', cause);
    }
  }

  private serdeError(what: string, cause: unknown): SerdeError {
    return new SerdeError(`${what}: ${describeError(cause)}`, { coordinates: { store: this.name }, cause });
  }
}

export function isVersionedKeyValueStore(store: StateStore): store is VersionedKeyValueStore<unknown, unknown> {
  return store instanceof TypedVersionedKeyValueStore;
}
