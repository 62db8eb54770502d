/**
 * Combines the two tables' values of a key into the joined table's value: `(thisValue, otherValue, key)` — values
 * first so `(a, b) => …` reads naturally, the key last and optional (Kafka Streams' `ValueJoiner` and
 * `ValueJoinerWithKey` in one). Returning `null` deletes the key from the result.
 */
export type TableJoiner<K, V, VO, VR> = (value: V, otherValue: VO, key: K) => VR;

/** `leftJoin`'s joiner: `otherValue` is `null` while the other table has no value for the key. */
export type TableLeftJoiner<K, V, VO, VR> = (value: V, otherValue: VO | null, key: K) => VR;

/**
 * A foreign-key join's extractor: the key of the other table's row that this row refers to, `(value, key)` —
 * value first, as joiners take it, the key last and optional (Kafka Streams' `Function<V, KO>` and, KIP-1104,
 * `BiFunction<K, V, KO>` in one). `null` means the row refers to no other row.
 */
export type ForeignKeyExtractor<K, V, KO> = (value: V, key: K) => KO | null;

/** `outerJoin`'s joiner: either value is `null` while its table has none for the key (never both). */
export type TableOuterJoiner<K, V, VO, VR> = (value: V | null, otherValue: VO | null, key: K) => VR;
