/**
 * Combines the values of two records of the same key that a stream-stream join paired: `(value, otherValue, key)`
 * — values first so `(a, b) => …` reads naturally, the key last and optional (Kafka Streams' `ValueJoiner` and
 * `ValueJoinerWithKey` in one).
 */
export type StreamJoiner<K, V, VO, VR> = (value: V, otherValue: VO, key: K) => VR;

/**
 * `leftJoin`'s joiner: `otherValue` is `null` for a record that found no partner within its window once the
 * window closed (and `key` is `null` for a record without a key, which is emitted at once).
 */
export type StreamLeftJoiner<K, V, VO, VR> = (value: V, otherValue: VO | null, key: K) => VR;

/** `outerJoin`'s joiner: the value of the side without a partner is `null` (never both). */
export type StreamOuterJoiner<K, V, VO, VR> = (value: V | null, otherValue: VO | null, key: K) => VR;
