import { StateError } from '../core/errors.js';
import type { Serde } from '../core/serde.js';
import { windowedChangelogConfig } from './changelog.js';
import { ChangeLoggingWindowBytesStore } from './change-logging-window-bytes-store.js';
import type { StoreBuilder } from './state-store.js';
import { TypedWindowStore } from './typed-window-store.js';
import type { WindowBytesStoreSupplier } from './window-bytes-store.js';
import type { WindowStore } from './window-store.js';

interface BuilderOptions {
  readonly loggingEnabled: boolean;
  readonly logConfig: Readonly<{ [key: string]: string }>;
}

/**
 * Builds a window store per task: the typed layer over an optional change-logger over the supplier's store.
 * Window stores have no caching layer yet, so every update reaches the changelog and downstream (Kafka Streams'
 * behaviour with caching off); asking for caching fails at build time instead of being silently ignored.
 */
export class WindowStoreBuilder<K, V> implements StoreBuilder<WindowStore<K, V>> {
  constructor(
    private readonly supplier: WindowBytesStoreSupplier,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
    private readonly options: BuilderOptions = { loggingEnabled: true, logConfig: {} },
    readonly cachingEnabled = false,
  ) {}

  get name(): string {
    return this.supplier.name;
  }

  get loggingEnabled(): boolean {
    return this.options.loggingEnabled;
  }

  /** Compacted and deleted by time, so expired windows leave the changelog too; user configs override. */
  get logConfig(): Readonly<{ [key: string]: string }> {
    if (!this.options.loggingEnabled) return {};
    return windowedChangelogConfig(this.supplier.retentionMs, this.options.logConfig);
  }

  withCachingEnabled(): WindowStoreBuilder<K, V> {
    return new WindowStoreBuilder(this.supplier, this.keySerde, this.valueSerde, this.options, true);
  }

  withCachingDisabled(): WindowStoreBuilder<K, V> {
    return new WindowStoreBuilder(this.supplier, this.keySerde, this.valueSerde, this.options, false);
  }

  withLoggingEnabled(config: { [key: string]: string } = {}): WindowStoreBuilder<K, V> {
    const options = { loggingEnabled: true, logConfig: { ...config } };
    return new WindowStoreBuilder(this.supplier, this.keySerde, this.valueSerde, options, this.cachingEnabled);
  }

  withLoggingDisabled(): WindowStoreBuilder<K, V> {
    const options = { loggingEnabled: false, logConfig: {} };
    return new WindowStoreBuilder(this.supplier, this.keySerde, this.valueSerde, options, this.cachingEnabled);
  }

  build(): WindowStore<K, V> {
    if (this.cachingEnabled) {
      throw new StateError('window stores do not support caching yet', { coordinates: { store: this.name } });
    }
    const bytes = this.supplier.get();
    const logged = this.options.loggingEnabled ? new ChangeLoggingWindowBytesStore(bytes) : bytes;
    return new TypedWindowStore(logged, this.keySerde, this.valueSerde);
  }
}
