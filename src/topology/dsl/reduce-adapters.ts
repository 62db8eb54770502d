import type { Aggregator, Initializer, Reducer } from './dsl-functions.js';

/**
 * Windowed `reduce` runs on the aggregate processors, as in Kafka Streams: the aggregate starts as `null` and the
 * first value replaces it (a first `null` value leaves it `null`, which deletes the window, as in Kafka Streams).
 */
export function reduceInitializer<V>(): Initializer<V> {
  return () => null as V;
}

export function reduceAggregator<K, V>(reducer: Reducer<V>): Aggregator<K, V, V> {
  return (_key, value, aggregate) => (aggregate === null ? value : reducer(aggregate, value));
}
