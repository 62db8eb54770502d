import { CachingKeyValueBytesStore } from './caching-key-value-bytes-store.js';
import type { KeyValueBytesStore, KeyValueBytesStoreSupplier } from './key-value-bytes-store.js';
import type { StateStore, StoreBuilder } from './state-store.js';

/** How a store kind wraps the bytes store: its change-logging layer and its typed layer. */
export interface KeyValueStoreLayers<S extends StateStore> {
  readonly changeLogging: (inner: KeyValueBytesStore) => KeyValueBytesStore;
  readonly typed: (inner: KeyValueBytesStore) => S;
}

interface BuilderOptions {
  readonly cachingEnabled: boolean;
  readonly loggingEnabled: boolean;
  readonly logConfig: Readonly<{ [key: string]: string }>;
}

/** Kafka Streams' defaults for the Processor API: changelog on, cache off (the DSL turns caching on itself). */
const DEFAULT_OPTIONS: BuilderOptions = { cachingEnabled: false, loggingEnabled: true, logConfig: {} };

/**
 * Builds a key-value store per task from a bytes-store supplier: the typed layer over an optional cache, over an
 * optional change-logger, over the supplier's store. Immutable: every `with…` returns a new builder, so a builder
 * held by a topology cannot change under it.
 */
export class KeyValueStoreBuilder<S extends StateStore> implements StoreBuilder<S> {
  constructor(
    private readonly supplier: KeyValueBytesStoreSupplier,
    private readonly layers: KeyValueStoreLayers<S>,
    private readonly options: BuilderOptions = DEFAULT_OPTIONS,
  ) {}

  get name(): string {
    return this.supplier.name;
  }

  get cachingEnabled(): boolean {
    return this.options.cachingEnabled;
  }

  get loggingEnabled(): boolean {
    return this.options.loggingEnabled;
  }

  get logConfig(): Readonly<{ [key: string]: string }> {
    return this.options.logConfig;
  }

  withCachingEnabled(): KeyValueStoreBuilder<S> {
    return this.with({ cachingEnabled: true });
  }

  withCachingDisabled(): KeyValueStoreBuilder<S> {
    return this.with({ cachingEnabled: false });
  }

  /** `config`: extra topic configs for the changelog topic. */
  withLoggingEnabled(config: { [key: string]: string } = {}): KeyValueStoreBuilder<S> {
    return this.with({ loggingEnabled: true, logConfig: { ...config } });
  }

  withLoggingDisabled(): KeyValueStoreBuilder<S> {
    return this.with({ loggingEnabled: false, logConfig: {} });
  }

  /** A fresh store, with its own fresh bytes store, for one task. */
  build(): S {
    let store: KeyValueBytesStore = this.supplier.get();
    if (this.options.loggingEnabled) store = this.layers.changeLogging(store);
    if (this.options.cachingEnabled) store = new CachingKeyValueBytesStore(store);
    return this.layers.typed(store);
  }

  private with(changes: Partial<BuilderOptions>): KeyValueStoreBuilder<S> {
    return new KeyValueStoreBuilder(this.supplier, this.layers, { ...this.options, ...changes });
  }
}
