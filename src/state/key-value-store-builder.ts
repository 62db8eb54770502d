import { AbstractStoreBuilder, DEFAULT_STORE_BUILDER_OPTIONS, type StoreBuilderOptions } from './abstract-store-builder.js';
import { CachingKeyValueBytesStore } from './caching-key-value-bytes-store.js';
import type { KeyValueBytesStore, KeyValueBytesStoreSupplier } from './key-value-bytes-store.js';
import type { StateStore } from './state-store.js';

/** How a store kind wraps the bytes store: its change-logging layer and its typed layer. */
export interface KeyValueStoreLayers<S extends StateStore> {
  readonly changeLogging: (inner: KeyValueBytesStore) => KeyValueBytesStore;
  readonly typed: (inner: KeyValueBytesStore) => S;
}

/**
 * Builds a key-value store per task from a bytes-store supplier: the typed layer over an optional cache, over an
 * optional change-logger, over the supplier's store.
 */
export class KeyValueStoreBuilder<S extends StateStore> extends AbstractStoreBuilder<S, KeyValueBytesStoreSupplier> {
  constructor(
    supplier: KeyValueBytesStoreSupplier,
    private readonly layers: KeyValueStoreLayers<S>,
    options: StoreBuilderOptions = DEFAULT_STORE_BUILDER_OPTIONS,
  ) {
    super(supplier, options);
  }

  build(): S {
    let store: KeyValueBytesStore = this.supplier.get();
    if (this.options.loggingEnabled) store = this.layers.changeLogging(store);
    if (this.options.cachingEnabled) store = new CachingKeyValueBytesStore(store);
    return this.layers.typed(store);
  }

  protected withOptions(options: StoreBuilderOptions): this {
    return new KeyValueStoreBuilder(this.supplier, this.layers, options) as this;
  }
}
