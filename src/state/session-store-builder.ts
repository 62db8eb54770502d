import { StateError } from '../core/errors.js';
import type { Serde } from '../core/serde.js';
import { windowedChangelogConfig } from './changelog.js';
import { ChangeLoggingSessionBytesStore } from './change-logging-session-bytes-store.js';
import type { SessionBytesStoreSupplier } from './session-bytes-store.js';
import type { SessionStore } from './session-store.js';
import type { StoreBuilder } from './state-store.js';
import { TypedSessionStore } from './typed-session-store.js';


interface BuilderOptions {
  readonly loggingEnabled: boolean;
  readonly logConfig: Readonly<{ [key: string]: string }>;
}

/**
 * Builds a session store per task: the typed layer over an optional change-logger over the supplier's store.
 * Like window stores, session stores have no caching layer yet, so every update reaches the changelog and
 * downstream; asking for caching fails at build time instead of being silently ignored.
 */
export class SessionStoreBuilder<K, V> implements StoreBuilder<SessionStore<K, V>> {
  constructor(
    private readonly supplier: SessionBytesStoreSupplier,
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

  /** Compacted and deleted by time, so expired sessions leave the changelog too; user configs override. */
  get logConfig(): Readonly<{ [key: string]: string }> {
    if (!this.options.loggingEnabled) return {};
    return windowedChangelogConfig(this.supplier.retentionMs, this.options.logConfig);
  }

  withCachingEnabled(): SessionStoreBuilder<K, V> {
    return new SessionStoreBuilder(this.supplier, this.keySerde, this.valueSerde, this.options, true);
  }

  withCachingDisabled(): SessionStoreBuilder<K, V> {
    return new SessionStoreBuilder(this.supplier, this.keySerde, this.valueSerde, this.options, false);
  }

  withLoggingEnabled(config: { [key: string]: string } = {}): SessionStoreBuilder<K, V> {
    const options = { loggingEnabled: true, logConfig: { ...config } };
    return new SessionStoreBuilder(this.supplier, this.keySerde, this.valueSerde, options, this.cachingEnabled);
  }

  withLoggingDisabled(): SessionStoreBuilder<K, V> {
    const options = { loggingEnabled: false, logConfig: {} };
    return new SessionStoreBuilder(this.supplier, this.keySerde, this.valueSerde, options, this.cachingEnabled);
  }

  build(): SessionStore<K, V> {
    if (this.cachingEnabled) {
      throw new StateError('session stores do not support caching yet', { coordinates: { store: this.name } });
    }
    const bytes = this.supplier.get();
    const logged = this.options.loggingEnabled ? new ChangeLoggingSessionBytesStore(bytes) : bytes;
    return new TypedSessionStore(logged, this.keySerde, this.valueSerde);
  }
}
