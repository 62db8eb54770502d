/** Kafka Streams' `Predicate`: decides whether a record passes. */
export type Predicate<K, V> = (key: K, value: V) => boolean;

/** Kafka Streams' `KeyValueMapper`: computes one result (a new key, a new pair, …) from a record. */
export type KeyValueMapper<K, V, R> = (key: K, value: V) => R;

/**
 * Computes a new value. The value comes first so the common case reads `mapValues((v) => …)`; the record's key is
 * the optional second argument (Kafka Streams' `ValueMapperWithKey` takes them the other way round).
 */
export type ValueMapper<K, V, VR> = (value: V, key: K) => VR;

/** Kafka Streams' `ForeachAction`: a side effect per record. */
export type ForeachAction<K, V> = (key: K, value: V) => void;

/** Creates the starting aggregate of a key the first time it is seen. */
export type Initializer<VA> = () => VA;

/** Folds a value into the aggregate of its key, and returns the new aggregate. */
export type Aggregator<K, V, VA> = (key: K, value: V, aggregate: VA) => VA;

/** Combines the current aggregate with a value of the same type. */
export type Reducer<V> = (aggregate: V, value: V) => V;


/** Kafka Streams' `Merger`: combines the aggregates of two sessions a record bridged into one. */
export type Merger<K, VA> = (key: K, aggregate1: VA, aggregate2: VA) => VA;
