/**
 * A table replicated in full on every instance (Kafka Streams' `GlobalKTable`): each instance reads every partition
 * of its topic into a global store before its tasks start, and keeps reading while they run. Streams join it by a
 * key they compute (`KStream.join(globalTable, keySelector, joiner)`), without repartitioning or co-partitioning.
 */
export interface GlobalKTable<K, V> {
  /** The store's name when the user named it, otherwise `undefined` (the store still exists, by its generated name). */
  readonly queryableStoreName: string | undefined;
  /** Never set: carries the key and value types, so that a join infers them. */
  readonly __globalTableTypes?: { readonly key: K; readonly value: V };
}
