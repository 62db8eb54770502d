import { AbstractStoreBuilder } from './abstract-store-builder.js';
import { windowedChangelogConfig } from './changelog.js';
import type { StateStore } from './state-store.js';

/** What window and session store builders need from their bytes-store supplier. */
export interface WindowedBytesStoreSupplier<B extends StateStore> {
  readonly name: string;
  readonly retentionMs: number;
  get(): B;
}

/**
 * What window and session store builders share: a store per task built as the typed layer over an optional cache
 * (Kafka Streams' `CachingWindowStore` / `CachingSessionStore`), over an optional change-logger, over the
 * supplier's bytes store `B`.
 */
export abstract class WindowedStoreBuilder<
  S extends StateStore,
  B extends StateStore,
  P extends WindowedBytesStoreSupplier<B>,
> extends AbstractStoreBuilder<S, P> {
  /** Compacted and deleted by time, so expired windows and sessions leave the changelog too; user configs override. */
  override get logConfig(): Readonly<{ [key: string]: string }> {
    if (!this.options.loggingEnabled) return {};
    return windowedChangelogConfig(this.supplier.retentionMs, this.options.logConfig);
  }

  build(): S {
    let store = this.supplier.get();
    if (this.options.loggingEnabled) store = this.changeLogging(store);
    if (this.options.cachingEnabled) store = this.caching(store);
    return this.typed(store);
  }

  protected abstract changeLogging(inner: B): B;
  /** The cache over `inner`, or `inner` itself where this kind of store is not cached. */
  protected abstract caching(inner: B): B;
  protected abstract typed(inner: B): S;
}
