import { TopologyError } from '../../core/errors.js';
import type { Serde } from '../../core/serde.js';
import type { StoreBuilder } from '../../state/state-store.js';
import { Stores } from '../../state/stores.js';
import { emitWatermarkStoreBuilder } from '../../windows/emit-watermark-store.js';
import type { StoreSpec, StoreWindowing, VersionedStoreSpec } from './graph-node.js';

/**
 * The stores a DSL operation keeps, SQLite-backed unless asked for memory, change-logged unless turned off: a
 * timestamped key-value store (Kafka Streams' `KeyValueStoreMaterializer`) or, for a windowed aggregation, its
 * window or session store plus the emitted-windows watermark under `onWindowClose`; cached unless turned off.
 */
export function materializeStores(spec: StoreSpec, storeName: string): StoreBuilder[] {
  const keySerde = requireSerde(spec.keySerde, 'key', storeName);
  const valueSerde = requireSerde(spec.valueSerde, 'value', storeName);
  if (spec.windowing !== undefined) return windowedStores(spec, spec.windowing, storeName, keySerde, valueSerde);
  if (spec.versioned !== undefined) return [withLogging(versionedStore(spec, spec.versioned, storeName, keySerde, valueSerde), spec)];
  const supplier = spec.storeType === 'in-memory' ? Stores.inMemoryKeyValueStore(storeName) : Stores.persistentKeyValueStore(storeName);
  const builder: StoreBuilder = Stores.timestampedKeyValueStoreBuilder(supplier, keySerde, valueSerde);
  return [withLogging(spec.caching ? builder.withCachingEnabled() : builder.withCachingDisabled(), spec)];
}

function windowedStores(
  spec: StoreSpec,
  windowing: StoreWindowing,
  storeName: string,
  keySerde: Serde<unknown>,
  valueSerde: Serde<unknown>,
): StoreBuilder[] {
  const inMemory = spec.storeType === 'in-memory';
  let store: StoreBuilder;
  if (windowing.kind === 'window') {
    const { retentionMs, windowSizeMs } = windowing;
    const supplier = inMemory
      ? Stores.inMemoryWindowStore(storeName, retentionMs, windowSizeMs)
      : Stores.persistentWindowStore(storeName, retentionMs, windowSizeMs);
    store = Stores.timestampedWindowStoreBuilder(supplier, keySerde, valueSerde);
  } else {
    const supplier = inMemory ? Stores.inMemorySessionStore(storeName, windowing.retentionMs) : Stores.persistentSessionStore(storeName, windowing.retentionMs);
    store = Stores.sessionStoreBuilder(supplier, keySerde, valueSerde);
  }
  const stores = [withLogging(spec.caching ? store.withCachingEnabled() : store.withCachingDisabled(), spec)];
  if (windowing.emitOnClose) stores.push(emitWatermarkStoreBuilder(storeName, !inMemory, spec.logging !== false));
  return stores;
}

/** A versioned table's store; versioned stores have no cache, whatever `caching` says. */
function versionedStore(
  spec: StoreSpec,
  versioned: VersionedStoreSpec,
  storeName: string,
  keySerde: Serde<unknown>,
  valueSerde: Serde<unknown>,
): StoreBuilder {
  const { historyRetentionMs, segmentIntervalMs } = versioned;
  const supplier =
    spec.storeType === 'in-memory'
      ? Stores.inMemoryVersionedKeyValueStore(storeName, historyRetentionMs, segmentIntervalMs)
      : Stores.persistentVersionedKeyValueStore(storeName, historyRetentionMs, segmentIntervalMs);
  return Stores.versionedKeyValueStoreBuilder(supplier, keySerde, valueSerde);
}

function withLogging(builder: StoreBuilder, spec: StoreSpec): StoreBuilder {
  if (spec.logging === false) return builder.withLoggingDisabled();
  return builder.withLoggingEnabled(spec.logging === true ? {} : { ...spec.logging });
}

/**
 * Stores serialize what they keep, and unlike sources and sinks they cannot fall back to the application's default
 * serdes (only the runtime knows those), so a store whose serde the DSL could not infer is refused at build.
 */
export function requireSerde(serde: Serde<unknown> | undefined, part: 'key' | 'value', storeName: string): Serde<unknown> {
  if (serde !== undefined) return serde;
  throw new TopologyError(
    `State store ${storeName} needs a ${part} serde that the DSL cannot infer (the ${part} type changed upstream, or ` +
      `is an aggregate's own): pass ${part}Serde in the options of the stateful operation or of its grouping`,
    { coordinates: { store: storeName } },
  );
}
