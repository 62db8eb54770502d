import type { Serde } from '../../core/serde.js';
import { ChangeLoggingKeyValueBytesStore } from '../change-logging-key-value-bytes-store.js';
import type { KeyValueBytesStore, KeyValueBytesStoreSupplier } from '../key-value-bytes-store.js';
import type { StoreBuilder } from '../state-store.js';
import { Stores } from '../stores.js';
import { SuppressionBuffer } from './suppression-buffer.js';

/** `false` turns the buffer's changelog off; otherwise the extra changelog topic configs. */
export type BufferLogging = false | Readonly<{ [key: string]: string }>;

/**
 * Builds a `SuppressionBuffer` per task. Immutable: every `with…` returns a new builder.
 *
 * Caching does not apply (the buffer already holds updates back), so `withCachingEnabled()` changes nothing, as
 * in Kafka Streams' buffer builder.
 */
export class SuppressionBufferStoreBuilder<K, V> implements StoreBuilder<SuppressionBuffer<K, V>> {
  readonly cachingEnabled = false;

  constructor(
    private readonly supplier: KeyValueBytesStoreSupplier,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
    private readonly logging: BufferLogging,
  ) {}

  get name(): string {
    return this.supplier.name;
  }

  get loggingEnabled(): boolean {
    return this.logging !== false;
  }

  get logConfig(): Readonly<{ [key: string]: string }> {
    return this.logging === false ? {} : this.logging;
  }

  withCachingEnabled(): SuppressionBufferStoreBuilder<K, V> {
    return this;
  }

  withCachingDisabled(): SuppressionBufferStoreBuilder<K, V> {
    return this;
  }

  withLoggingEnabled(config: { [key: string]: string } = {}): SuppressionBufferStoreBuilder<K, V> {
    return new SuppressionBufferStoreBuilder(this.supplier, this.keySerde, this.valueSerde, Object.freeze({ ...config }));
  }

  withLoggingDisabled(): SuppressionBufferStoreBuilder<K, V> {
    return new SuppressionBufferStoreBuilder(this.supplier, this.keySerde, this.valueSerde, false);
  }

  build(): SuppressionBuffer<K, V> {
    let store: KeyValueBytesStore = this.supplier.get();
    if (this.logging !== false) store = new ChangeLoggingKeyValueBytesStore(store);
    return new SuppressionBuffer(store, this.keySerde, this.valueSerde);
  }
}

/**
 * The buffer store of a suppress processor. `keySerde` is the table's key serde (a windowed one after a windowed
 * aggregation), `valueSerde` its value serde. `persistent` keeps the entries in the task's SQLite database (Kafka
 * Streams keeps them in memory; either way the changelog restores them); `logging` is `true`/`false`, or the extra
 * changelog topic configs (`BufferConfig.logging` fits as it is).
 */
export function suppressionBufferStoreBuilder<K, V>(
  storeName: string,
  keySerde: Serde<K>,
  valueSerde: Serde<V>,
  options: { persistent: boolean; logging: boolean | { readonly [key: string]: string } },
): SuppressionBufferStoreBuilder<K, V> {
  const supplier = options.persistent ? Stores.persistentKeyValueStore(storeName) : Stores.inMemoryKeyValueStore(storeName);
  const logging: BufferLogging = options.logging === true ? Object.freeze({}) : options.logging === false ? false : Object.freeze({ ...options.logging });
  return new SuppressionBufferStoreBuilder(supplier, keySerde, valueSerde, logging);
}
