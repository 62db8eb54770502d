import type { Serde } from '../core/serde.js';
import { DEFAULT_STORE_BUILDER_OPTIONS, type StoreBuilderOptions } from './abstract-store-builder.js';
import { CachingWindowBytesStore } from './caching-window-bytes-store.js';
import { ChangeLoggingWindowBytesStore } from './change-logging-window-bytes-store.js';
import { TypedWindowStore } from './typed-window-store.js';
import type { WindowBytesStore, WindowBytesStoreSupplier } from './window-bytes-store.js';
import type { WindowStore } from './window-store.js';
import { WindowedStoreBuilder } from './windowed-store-builder.js';

/**
 * Builds a window store per task: the typed layer over an optional cache, over an optional change-logger, over
 * the supplier's store. A store that retains duplicates (stream-stream joins) is never cached, as in Kafka
 * Streams, which turns caching off for it with a warning: a cache would merge the duplicates.
 */
export class WindowStoreBuilder<K, V> extends WindowedStoreBuilder<WindowStore<K, V>, WindowBytesStore, WindowBytesStoreSupplier> {
  constructor(
    supplier: WindowBytesStoreSupplier,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
    options: StoreBuilderOptions = DEFAULT_STORE_BUILDER_OPTIONS,
  ) {
    super(supplier, options);
  }

  protected withOptions(options: StoreBuilderOptions): this {
    return new WindowStoreBuilder(this.supplier, this.keySerde, this.valueSerde, options) as this;
  }

  protected changeLogging(inner: WindowBytesStore): WindowBytesStore {
    return new ChangeLoggingWindowBytesStore(inner);
  }

  protected caching(inner: WindowBytesStore): WindowBytesStore {
    return this.supplier.retainDuplicates === true ? inner : new CachingWindowBytesStore(inner);
  }

  protected typed(inner: WindowBytesStore): WindowStore<K, V> {
    return new TypedWindowStore(inner, this.keySerde, this.valueSerde);
  }
}
