import type { ValueAndTimestamp } from '../../state/value-and-timestamp.js';
import type { VersionedKeyValueStore } from '../../state/versioned-key-value-store.js';

/**
 * A versioned table's value as a getter hands it out: the version valid at `asOfTimestamp`, or the latest one
 * without it, with the version's own timestamp (Kafka Streams' `KTableSourceValueGetter` over a versioned store).
 */
export function versionedLookup<K, V>(store: VersionedKeyValueStore<K, V>, key: K, asOfTimestamp: number | undefined): ValueAndTimestamp<V> | null {
  const found = asOfTimestamp === undefined ? store.get(key) : store.get(key, asOfTimestamp);
  return found === null ? null : { value: found.value, timestamp: found.timestamp };
}
