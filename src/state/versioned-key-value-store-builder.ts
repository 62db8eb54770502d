import type { Serde } from '../core/serde.js';
import { AbstractStoreBuilder, DEFAULT_STORE_BUILDER_OPTIONS, type StoreBuilderOptions } from './abstract-store-builder.js';
import { ChangeLoggingVersionedBytesStore } from './change-logging-versioned-bytes-store.js';
import { StateError } from '../core/errors.js';
import type { VersionedBytesStore, VersionedBytesStoreSupplier } from './versioned-bytes-store.js';
import { TypedVersionedKeyValueStore } from './versioned-key-value-store.js';
import type { VersionedKeyValueStore } from './versioned-key-value-store.js';

const ONE_DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Builds a versioned store per task: the typed layer over an optional change-logger over the supplier's store.
 * Versioned stores have no cache (as in Kafka Streams), so asking for one fails at build.
 */
export class VersionedKeyValueStoreBuilder<K, V> extends AbstractStoreBuilder<VersionedKeyValueStore<K, V>, VersionedBytesStoreSupplier> {
  constructor(
    supplier: VersionedBytesStoreSupplier,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
    options: StoreBuilderOptions = DEFAULT_STORE_BUILDER_OPTIONS,
  ) {
    super(supplier, options);
  }

  /**
   * Compacted, with old versions kept at least as long as the history (Kafka Streams' `VersionedChangelogTopicConfig`:
   * `min.compaction.lag.ms` = history retention + one day); user configs override.
   */
  override get logConfig(): Readonly<{ [key: string]: string }> {
    if (!this.options.loggingEnabled) return {};
    const lagMs = this.supplier.historyRetentionMs + ONE_DAY_MS;
    return { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': String(lagMs), ...this.options.logConfig };
  }

  build(): VersionedKeyValueStore<K, V> {
    if (this.options.cachingEnabled) {
      throw new StateError('STATE_MISUSE', 'versioned stores do not support caching', { coordinates: { store: this.name } });
    }
    let store: VersionedBytesStore = this.supplier.get();
    if (this.options.loggingEnabled) store = new ChangeLoggingVersionedBytesStore(store);
    return new TypedVersionedKeyValueStore(store, this.keySerde, this.valueSerde);
  }

  protected withOptions(options: StoreBuilderOptions): this {
    return new VersionedKeyValueStoreBuilder(this.supplier, this.keySerde, this.valueSerde, options) as this;
  }
}
