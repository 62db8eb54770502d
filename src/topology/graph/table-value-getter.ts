import type { ProcessorContext } from '../../core/processor.js';
import type { ValueAndTimestamp } from '../../state/value-and-timestamp.js';

/**
 * Kafka Streams' `KTableValueGetter`: reads a KTable's current value for a key from inside a processor, which is
 * how joins look up the other side. A table that keeps no store of its own computes the value from its parent's
 * getter (a filtered table filters the parent's value, a mapped one maps it).
 */
export interface TableValueGetter<K, V> {
  /** Opens the stores it reads; call from the processor's `init`. */
  init(context: ProcessorContext<unknown, unknown>): void;
  /**
   * The table's value for `key`, or `null`. On a versioned table, `asOfTimestamp` asks for the value that was
   * current at that time; other tables ignore it and give the latest value.
   */
  get(key: K, asOfTimestamp?: number): ValueAndTimestamp<V> | null;
  /** Whether the table is backed by a versioned store, so `get(key, asOfTimestamp)` honours the timestamp. */
  isVersioned(): boolean;
}

/** Makes one getter per processor instance and says which stores those getters read. */
export interface TableValueGetterSupplier<K, V> {
  /** The stores a getter reads; the compiler connects them to every processor that uses this supplier. */
  readonly storeNames: readonly string[];
  get(): TableValueGetter<K, V>;
}

/**
 * How a KTable node without a store of its own derives its getter from its parents' getters (one per parent, in
 * parent order). Nodes without a view can only be looked up when they keep a store.
 */
export type TableView = (parents: readonly TableValueGetterSupplier<unknown, unknown>[]) => TableValueGetterSupplier<unknown, unknown>;
