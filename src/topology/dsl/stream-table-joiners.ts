/**
 * `KStream.join(table, joiner)`: `joiner(streamValue, tableValue, key)` (Kafka Streams' `ValueJoinerWithKey` with the
 * key last, so `(value, tableValue) => …` reads naturally). Called only when the table has a value for the key.
 */
export type StreamTableJoiner<K, V, VT, VR> = (streamValue: V, tableValue: VT, key: K) => VR;

/** `KStream.leftJoin(table, joiner)`: like `StreamTableJoiner`, with `tableValue` `null` when the table has none. */
export type StreamTableLeftJoiner<K, V, VT, VR> = (streamValue: V, tableValue: VT | null, key: K) => VR;
