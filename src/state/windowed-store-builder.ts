import { StateError } from '../core/errors.js';
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
 * What window and session store builders share: a store per task built as the typed layer over an optional
 * change-logger over the supplier's bytes store `B`. Neither kind has a caching layer yet, so every update reaches
 * the changelog and downstream (Kafka Streams' behaviour with caching off); asking for caching fails at build time
 * instead of being silently ignored.
 */
export abstract class WindowedStoreBuilder<
  S extends StateStore,
  B extends StateStore,
  P extends WindowedBytesStoreSupplier<B>,
> extends AbstractStoreBuilder<S, P> {
  /** How error messages name the kind of store: `window` or `session`. */
  protected abstract readonly storeKind: string;

  /** Compacted and deleted by time, so expired windows and sessions leave the changelog too; user configs override. */
  override get logConfig(): Readonly<{ [key: string]: string }> {
    if (!this.options.loggingEnabled) return {};
    return windowedChangelogConfig(this.supplier.retentionMs, this.options.logConfig);
  }

  build(): S {
    if (this.options.cachingEnabled) {
      throw new StateError('STATE_MISUSE', `${this.storeKind} stores do not support caching yet`, { coordinates: { store: this.name } });
    }
    const bytes = this.supplier.get();
    return this.typed(this.options.loggingEnabled ? this.changeLogging(bytes) : bytes);
  }

  protected abstract changeLogging(inner: B): B;
  protected abstract typed(inner: B): S;
}
