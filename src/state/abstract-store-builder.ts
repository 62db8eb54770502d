import type { StateStore, StoreBuilder } from './state-store.js';

export interface StoreBuilderOptions {
  readonly cachingEnabled: boolean;
  readonly loggingEnabled: boolean;
  /** Extra topic configs for the changelog topic, as the user gave them. */
  readonly logConfig: Readonly<{ [key: string]: string }>;
}

/** Kafka Streams' defaults for the Processor API: changelog on, cache off (the DSL turns caching on itself). */
export const DEFAULT_STORE_BUILDER_OPTIONS: StoreBuilderOptions = { cachingEnabled: false, loggingEnabled: true, logConfig: {} };

/**
 * What every store builder shares: the supplier `P` of the bytes store it builds on, and the caching and logging
 * options. Immutable: every `with…` returns a new builder of the same class, so a builder held by a topology cannot
 * change under it.
 */
export abstract class AbstractStoreBuilder<S extends StateStore, P extends { readonly name: string }> implements StoreBuilder<S> {
  constructor(
    protected readonly supplier: P,
    protected readonly options: StoreBuilderOptions,
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

  withCachingEnabled(): this {
    return this.withOptions({ ...this.options, cachingEnabled: true });
  }

  withCachingDisabled(): this {
    return this.withOptions({ ...this.options, cachingEnabled: false });
  }

  /** `config`: extra topic configs for the changelog topic. */
  withLoggingEnabled(config: { [key: string]: string } = {}): this {
    return this.withOptions({ ...this.options, loggingEnabled: true, logConfig: { ...config } });
  }

  withLoggingDisabled(): this {
    return this.withOptions({ ...this.options, loggingEnabled: false, logConfig: {} });
  }

  /** A fresh store, with its own fresh bytes store, for one task. */
  abstract build(): S;

  /** A builder of this class over the same supplier (and serdes), with `options`. */
  protected abstract withOptions(options: StoreBuilderOptions): this;
}
