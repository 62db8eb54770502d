import { TopologyError } from '../../core/errors.js';
import type { Serde } from '../../core/serde.js';
import type { StoreBuilder } from '../../state/state-store.js';
import { Stores } from '../../state/stores.js';
import type { StoreSpec } from './graph-node.js';

/**
 * Kafka Streams' `KeyValueStoreMaterializer`: the timestamped key-value store a DSL operation keeps, SQLite-backed
 * unless asked for memory, cached and change-logged unless turned off.
 */
export function materializeStore(spec: StoreSpec, storeName: string): StoreBuilder {
  const keySerde = requireSerde(spec.keySerde, 'key', storeName);
  const valueSerde = requireSerde(spec.valueSerde, 'value', storeName);
  const supplier = spec.storeType === 'in-memory' ? Stores.inMemoryKeyValueStore(storeName) : Stores.persistentKeyValueStore(storeName);
  let builder: StoreBuilder = Stores.timestampedKeyValueStoreBuilder(supplier, keySerde, valueSerde);
  builder = spec.caching ? builder.withCachingEnabled() : builder.withCachingDisabled();
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
