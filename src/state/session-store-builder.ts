import type { Serde } from '../core/serde.js';
import { DEFAULT_STORE_BUILDER_OPTIONS, type StoreBuilderOptions } from './abstract-store-builder.js';
import { CachingSessionBytesStore } from './caching-session-bytes-store.js';
import { ChangeLoggingSessionBytesStore } from './change-logging-session-bytes-store.js';
import type { SessionBytesStore, SessionBytesStoreSupplier } from './session-bytes-store.js';
import type { SessionStore } from './session-store.js';
import { TypedSessionStore } from './typed-session-store.js';
import { WindowedStoreBuilder } from './windowed-store-builder.js';

/** Builds a session store per task: the typed layer over an optional cache, over an optional change-logger, over the supplier's store. */
export class SessionStoreBuilder<K, V> extends WindowedStoreBuilder<SessionStore<K, V>, SessionBytesStore, SessionBytesStoreSupplier> {
  constructor(
    supplier: SessionBytesStoreSupplier,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
    options: StoreBuilderOptions = DEFAULT_STORE_BUILDER_OPTIONS,
  ) {
    super(supplier, options);
  }

  protected withOptions(options: StoreBuilderOptions): this {
    return new SessionStoreBuilder(this.supplier, this.keySerde, this.valueSerde, options) as this;
  }

  protected changeLogging(inner: SessionBytesStore): SessionBytesStore {
    return new ChangeLoggingSessionBytesStore(inner);
  }

  protected caching(inner: SessionBytesStore): SessionBytesStore {
    return new CachingSessionBytesStore(inner);
  }

  protected typed(inner: SessionBytesStore): SessionStore<K, V> {
    return new TypedSessionStore(inner, this.keySerde, this.valueSerde);
  }
}
