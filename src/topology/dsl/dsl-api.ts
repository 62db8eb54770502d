import type { FixedKeyProcessorSupplier, ProcessorSupplier } from '../../core/processor.js';
import type { Windowed } from '../../core/windowed.js';
import type { KeyValue } from '../../state/key-value.js';
import type { SessionWindows } from '../../windows/session-windows.js';
import type { SlidingWindows } from '../../windows/sliding-windows.js';
import type { TimeWindows } from '../../windows/time-windows.js';
import type { EmitStrategy } from '../../windows/windowed-aggregate-settings.js';
import type { JoinWindows } from '../../windows/join-windows.js';
import type { StreamJoiner, StreamLeftJoiner, StreamOuterJoiner } from './stream-joiners.js';
import type { TopicNameExtractor } from '../node-options.js';
import type { GlobalKTable } from './global-ktable.js';
import type { Aggregator, ForeachAction, Initializer, KeyValueMapper, Merger, Predicate, Reducer, ValueMapper } from './dsl-functions.js';
import type {
  GroupedOptions,
  JoinedOptions,
  MaterializedOptions,
  NamedOptions,
  ProducedOptions,
  RepartitionedOptions,
  VersionedTableOptions,
  StreamJoinedOptions,
  WindowedMaterializedOptions,
} from './dsl-options.js';
import type { Suppressed } from './suppress/suppressed.js';
import type { StreamTableJoiner, StreamTableLeftJoiner } from './stream-table-joiners.js';
import type { ForeignKeyExtractor, TableJoiner, TableLeftJoiner, TableOuterJoiner } from './table-joiners.js';
import type { ForeignKeyJoinOptions } from './dsl-options.js';

/**
 * A record stream (Kafka Streams' `KStream`). Handles are immutable: every operation adds a node to the builder's
 * graph and returns a new handle, typed by what the operation produces, so a mistyped chain does not compile.
 */
export interface KStream<K, V> {
  filter(predicate: Predicate<K, V>, options?: NamedOptions): KStream<K, V>;
  filterNot(predicate: Predicate<K, V>, options?: NamedOptions): KStream<K, V>;
  /** Changes keys: a later stateful operation reads through a repartition topic. */
  map<KR, VR>(mapper: KeyValueMapper<K, V, KeyValue<KR, VR>>, options?: NamedOptions): KStream<KR, VR>;
  /** `mapper(value, key)`: the key is optional, so `mapValues((v) => …)` reads naturally. */
  mapValues<VR>(mapper: ValueMapper<K, V, VR>, options?: NamedOptions): KStream<K, VR>;
  /** Changes keys: a later stateful operation reads through a repartition topic. */
  flatMap<KR, VR>(mapper: KeyValueMapper<K, V, Iterable<KeyValue<KR, VR>>>, options?: NamedOptions): KStream<KR, VR>;
  flatMapValues<VR>(mapper: ValueMapper<K, V, Iterable<VR>>, options?: NamedOptions): KStream<K, VR>;
  /** Changes keys: a later stateful operation reads through a repartition topic. */
  selectKey<KR>(mapper: KeyValueMapper<K, V, KR>, options?: NamedOptions): KStream<KR, V>;
  peek(action: ForeachAction<K, V>, options?: NamedOptions): KStream<K, V>;
  foreach(action: ForeachAction<K, V>, options?: NamedOptions): void;
  /** Interleaves both streams' records; the result needs repartitioning if either side does. */
  merge(other: KStream<K, V>, options?: NamedOptions): KStream<K, V>;
  /** Routes each record to the first matching branch (Kafka Streams' `split()`/`BranchedKStream`). */
  split(options?: NamedOptions): BranchedKStream<K, V>;
  to(topic: string | TopicNameExtractor<K, V>, options?: ProducedOptions<K, V>): void;
  /** Writes through a repartition topic now, keyed by the current keys. */
  repartition(options?: RepartitionedOptions<K, V>): KStream<K, V>;
  /** Runs a Processor API processor with access to stores added by `StreamsBuilder.addStateStore`. */
  process<KOut, VOut>(supplier: ProcessorSupplier<K, V, KOut, VOut>, ...storeNames: string[]): KStream<KOut, VOut>;
  process<KOut, VOut>(supplier: ProcessorSupplier<K, V, KOut, VOut>, options: NamedOptions, ...storeNames: string[]): KStream<KOut, VOut>;
  /** Like `process`, for a processor that keeps keys: no repartition is needed after it. */
  processValues<VOut>(supplier: FixedKeyProcessorSupplier<K, V, VOut>, ...storeNames: string[]): KStream<K, VOut>;
  processValues<VOut>(supplier: FixedKeyProcessorSupplier<K, V, VOut>, options: NamedOptions, ...storeNames: string[]): KStream<K, VOut>;
  /** The latest value per key as a table; `null` values delete. */
  toTable(options?: MaterializedOptions<K, V> & VersionedTableOptions): KTable<K, V>;
  groupByKey(options?: GroupedOptions<K, V>): KGroupedStream<K, V>;
  /**
   * Joins each record with the table's value for its key (Kafka Streams' stream-table join): `joiner(value,
   * tableValue, key)`, with the record's timestamp; records whose key has no table value give nothing, and table
   * updates never emit. A versioned table is looked up as of the record's timestamp. A stream whose keys changed
   * reads through a repartition topic first.
   */
  join<VT, VR>(table: KTable<K, VT>, joiner: StreamTableJoiner<K, V, VT, VR>, options?: JoinedOptions<K, V, VT>): KStream<K, VR>;
  /** Like `join(table)`, also emitting records the table has no value for (`tableValue` `null`), null keys included. */
  leftJoin<VT, VR>(table: KTable<K, VT>, joiner: StreamTableLeftJoiner<K, V, VT, VR>, options?: JoinedOptions<K, V, VT>): KStream<K, VR>;
  /**
   * Joins each record with the global table's value for `keySelector(key, value)` (Kafka Streams' stream–GlobalKTable
   * join): `joiner(value, globalValue, key)`, with the record's key and timestamp. No repartitioning or
   * co-partitioning: every instance holds the whole table. Records without a value, or whose selected key is null
   * or has no table value, give nothing; table updates never emit.
   */
  join<GK, GV, VR>(
    globalTable: GlobalKTable<GK, GV>,
    keySelector: KeyValueMapper<K, V, GK | null>,
    joiner: StreamTableJoiner<K, V, GV, VR>,
    options?: NamedOptions,
  ): KStream<K, VR>;
  /** Like `join(globalTable)`, also emitting records the table has no value for (`globalValue` `null`), null selected keys included. */
  leftJoin<GK, GV, VR>(
    globalTable: GlobalKTable<GK, GV>,
    keySelector: KeyValueMapper<K, V, GK | null>,
    joiner: StreamTableLeftJoiner<K, V, GV, VR>,
    options?: NamedOptions,
  ): KStream<K, VR>;
  /** Groups by a computed key, which reads through a repartition topic. */
  groupBy<KR>(selector: KeyValueMapper<K, V, KR>, options?: GroupedOptions<KR, V>): KGroupedStream<KR, V>;
  /**
   * Joins each record with the other stream's records of the same key within `windows` (both directions), one
   * result per pair, timestamped with the later of the two. A side whose keys changed reads through a repartition
   * topic first. Records without a key or a value are dropped and counted.
   */
  join<VO, VR>(other: KStream<K, VO>, joiner: StreamJoiner<K, V, VO, VR>, windows: JoinWindows, options?: StreamJoinedOptions<K, V, VO>): KStream<K, VR>;
  /**
   * Like `join`; a record of this stream that found no partner is emitted with `null` once its window closed
   * (stream time passed it by `after` + grace), with its own timestamp.
   */
  leftJoin<VO, VR>(
    other: KStream<K, VO>,
    joiner: StreamLeftJoiner<K, V, VO, VR>,
    windows: JoinWindows,
    options?: StreamJoinedOptions<K, V, VO>,
  ): KStream<K, VR>;
  /** Like `leftJoin`, for the records of both streams. */
  outerJoin<VO, VR>(
    other: KStream<K, VO>,
    joiner: StreamOuterJoiner<K, V, VO, VR>,
    windows: JoinWindows,
    options?: StreamJoinedOptions<K, V, VO>,
  ): KStream<K, VR>;
}

/** Kafka Streams' `Branched`: the branch's name suffix and an optional chain applied to the branch stream. */
export interface BranchOptions<K, V> {
  /** The branch is then `<split name><name>` in the returned map (and the topology); by default its position. */
  readonly name?: string;
  /** Transforms the branch; return a stream to have it in the returned map, or nothing to leave it out. */
  readonly withChain?: (branch: KStream<K, V>) => KStream<K, V> | void;
}

/** Kafka Streams' `BranchedKStream`: add branches in order, then finish with or without a default branch. */
export interface BranchedKStream<K, V> {
  branch(predicate: Predicate<K, V>, options?: BranchOptions<K, V>): BranchedKStream<K, V>;
  /** Adds a branch for the records no predicate matched; returns the branches by name. */
  defaultBranch(options?: BranchOptions<K, V>): Map<string, KStream<K, V>>;
  /** Records no predicate matched are dropped; returns the branches by name. */
  noDefaultBranch(): Map<string, KStream<K, V>>;
}

/** A stream grouped by key, ready to aggregate (Kafka Streams' `KGroupedStream`). */
export interface KGroupedStream<K, V> {
  count(options?: MaterializedOptions<K, number>): KTable<K, number>;
  reduce(reducer: Reducer<V>, options?: MaterializedOptions<K, V>): KTable<K, V>;
  aggregate<VA>(initializer: Initializer<VA>, aggregator: Aggregator<K, V, VA>, options?: MaterializedOptions<K, VA>): KTable<K, VA>;
  /** Aggregates per key and time window (tumbling or hopping `TimeWindows`, or `SlidingWindows`). */
  windowedBy(windows: TimeWindows | SlidingWindows): TimeWindowedKStream<K, V>;
  /** Aggregates per key and session (`SessionWindows`). */
  windowedBy(windows: SessionWindows): SessionWindowedKStream<K, V>;
  /**
   * Starts a cogroup: this and other grouped streams of the same key type (`cogroup(other, aggregator)`), each
   * folded by its own aggregator into one aggregate per key, kept in one store.
   */
  cogroup<VA>(aggregator: Aggregator<K, V, VA>): CogroupedKStream<K, VA>;
}

/**
 * Grouped streams aggregated together into one table (Kafka Streams' `CogroupedKStream`): each input record is
 * folded into its key's aggregate by its own stream's aggregator. Inputs whose keys changed upstream read through
 * a repartition topic each; all inputs must be co-partitioned.
 */
export interface CogroupedKStream<K, VA> {
  /**
   * Adds a grouped stream and its aggregator, and returns this same cogrouped stream, as Kafka Streams does (so
   * a `windowedBy` taken before also sees it). Adding a stream again replaces its aggregator.
   */
  cogroup<V>(groupedStream: KGroupedStream<K, V>, aggregator: Aggregator<K, V, VA>): CogroupedKStream<K, VA>;
  /** One aggregate per key over all inputs; `name` names the processors `<name>-cogroup-agg-<i>`, `<name>-cogroup-merge`. */
  aggregate(initializer: Initializer<VA>, options?: MaterializedOptions<K, VA>): KTable<K, VA>;
  windowedBy(windows: TimeWindows | SlidingWindows): TimeWindowedCogroupedKStream<K, VA>;
  windowedBy(windows: SessionWindows): SessionWindowedCogroupedKStream<K, VA>;
}

/** A cogroup cut into time windows (Kafka Streams' `TimeWindowedCogroupedKStream`); see {@link TimeWindowedKStream}. */
export interface TimeWindowedCogroupedKStream<K, VA> {
  aggregate(initializer: Initializer<VA>, options?: WindowedMaterializedOptions<K, VA>): KTable<Windowed<K>, VA>;
  /**
   * As {@link TimeWindowedKStream.emitStrategy}; Kafka Streams' cogroups only emit on update. Under `'onWindowClose'`
   * the inputs of a task share one stream time, so a window closes once for all of them.
   */
  emitStrategy(strategy: EmitStrategy): TimeWindowedCogroupedKStream<K, VA>;
}

/** A cogroup cut into sessions (Kafka Streams' `SessionWindowedCogroupedKStream`); see {@link SessionWindowedKStream}. */
export interface SessionWindowedCogroupedKStream<K, VA> {
  aggregate(initializer: Initializer<VA>, merger: Merger<K, VA>, options?: WindowedMaterializedOptions<K, VA>): KTable<Windowed<K>, VA>;
  /** See {@link TimeWindowedCogroupedKStream.emitStrategy}. */
  emitStrategy(strategy: EmitStrategy): SessionWindowedCogroupedKStream<K, VA>;
}

/**
 * A grouped stream cut into time windows (Kafka Streams' `TimeWindowedKStream`). Each aggregation yields a table
 * keyed by `Windowed<K>`; a record is added to every window containing its timestamp unless the window has closed
 * (stream time ≥ window end + grace), in which case it is dropped and counted as late.
 */
export interface TimeWindowedKStream<K, V> {
  count(options?: WindowedMaterializedOptions<K, number>): KTable<Windowed<K>, number>;
  reduce(reducer: Reducer<V>, options?: WindowedMaterializedOptions<K, V>): KTable<Windowed<K>, V>;
  aggregate<VA>(initializer: Initializer<VA>, aggregator: Aggregator<K, V, VA>, options?: WindowedMaterializedOptions<K, VA>): KTable<Windowed<K>, VA>;
  /**
   * `'onWindowUpdate'` (the default) emits every change of a window; `'onWindowClose'` emits each window once, with
   * its final value, when it closes — like `suppress(untilWindowCloses)` without a separate buffer.
   */
  emitStrategy(strategy: EmitStrategy): TimeWindowedKStream<K, V>;
}

/** A grouped stream cut into sessions (Kafka Streams' `SessionWindowedKStream`); see {@link TimeWindowedKStream}. */
export interface SessionWindowedKStream<K, V> {
  count(options?: WindowedMaterializedOptions<K, number>): KTable<Windowed<K>, number>;
  reduce(reducer: Reducer<V>, options?: WindowedMaterializedOptions<K, V>): KTable<Windowed<K>, V>;
  /** `merger` combines two sessions' aggregates when a record bridges them into one session. */
  aggregate<VA>(
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
    merger: Merger<K, VA>,
    options?: WindowedMaterializedOptions<K, VA>,
  ): KTable<Windowed<K>, VA>;
  emitStrategy(strategy: EmitStrategy): SessionWindowedKStream<K, V>;
}

/**
 * A changelog stream: the latest value per key (Kafka Streams' `KTable`). Its nodes pass each other changes
 * (new value, and the old one where needed), so a re-grouping can retract what it added before.
 */
export interface KTable<K, V> {
  /** The store's name when the user named it (the table is then queryable), otherwise `undefined`. */
  readonly queryableStoreName: string | undefined;
  filter(predicate: Predicate<K, V>, options?: NamedOptions): KTable<K, V>;
  filterNot(predicate: Predicate<K, V>, options?: NamedOptions): KTable<K, V>;
  /** `mapper(value, key)`, as `KStream.mapValues`. */
  mapValues<VR>(mapper: ValueMapper<K, V, VR>, options?: NamedOptions): KTable<K, VR>;
  /** Every change as a record: the new value, or `null` when the key was deleted. */
  toStream(options?: NamedOptions): KStream<K, V>;
  /**
   * Re-groups by a computed key and value; aggregations then add new values and subtract replaced ones. A `null`
   * pair (or one with a null key or value) leaves the row out of every group.
   */
  groupBy<KR, VR>(selector: KeyValueMapper<K, V, KeyValue<KR, VR> | null>, options?: GroupedOptions<KR, VR>): KGroupedTable<KR, VR>;
  /**
   * Holds back updates: `Suppressed.untilWindowCloses(…)` (windowed tables only) emits one final result per window
   * when it closes; `Suppressed.untilTimeLimit(…)` emits a key's latest value at most once per time limit. The
   * buffer is change-logged, so it survives restarts.
   */
  suppress(suppressed: Suppressed): KTable<K, V>;
  /**
   * Joins each row with the other table's row whose key `foreignKey(value, key)` names (Kafka Streams' foreign-key
   * join, KIP-213): a row has a result while its foreign key has a row, `joiner(value, otherValue, key)`, and an
   * update on either side updates it — a changed foreign key moves the row to its new partner, a deleted partner
   * deletes the result. The result is keyed like this table. Both tables may have different partition counts: the
   * join talks through two internal topics (subscription and response), and drops answers that a newer update of
   * the row made stale. The tables need known key and value serdes.
   */
  join<KO, VO, VR>(
    other: KTable<KO, VO>,
    foreignKey: ForeignKeyExtractor<K, V, KO>,
    joiner: TableJoiner<K, V, VO, VR>,
    options?: ForeignKeyJoinOptions<K, KO, VR>,
  ): KTable<K, VR>;
  /**
   * Joins with another table on the key (Kafka Streams' `KTable.join(KTable)`): a key has a result while both
   * tables have a value for it, at the later of their timestamps, and an update on either side updates it. Both
   * tables keep a store (the join looks each side up when the other changes). Options beyond `name` materialize
   * the result in its own store (`Materialized`), which caches and can be queried by `storeName`.
   */
  join<VO, VR>(other: KTable<K, VO>, joiner: TableJoiner<K, V, VO, VR>, options?: MaterializedOptions<K, VR>): KTable<K, VR>;
  /** As the foreign-key `join`, but every row has a result, `otherValue` `null` without a partner (or foreign key). */
  leftJoin<KO, VO, VR>(
    other: KTable<KO, VO>,
    foreignKey: ForeignKeyExtractor<K, V, KO>,
    joiner: TableLeftJoiner<K, V, VO, VR>,
    options?: ForeignKeyJoinOptions<K, KO, VR>,
  ): KTable<K, VR>;
  /** As `join`, but every key of this table has a result, `otherValue` `null` while the other table has none. */
  leftJoin<VO, VR>(other: KTable<K, VO>, joiner: TableLeftJoiner<K, V, VO, VR>, options?: MaterializedOptions<K, VR>): KTable<K, VR>;
  /** As `join`, but every key of either table has a result, the missing side's value `null`. */
  outerJoin<VO, VR>(other: KTable<K, VO>, joiner: TableOuterJoiner<K, V, VO, VR>, options?: MaterializedOptions<K, VR>): KTable<K, VR>;
}

/** A re-grouped table, ready to aggregate with adders and subtractors (Kafka Streams' `KGroupedTable`). */
export interface KGroupedTable<K, V> {
  count(options?: MaterializedOptions<K, number>): KTable<K, number>;
  reduce(adder: Reducer<V>, subtractor: Reducer<V>, options?: MaterializedOptions<K, V>): KTable<K, V>;
  aggregate<VA>(
    initializer: Initializer<VA>,
    adder: Aggregator<K, V, VA>,
    subtractor: Aggregator<K, V, VA>,
    options?: MaterializedOptions<K, VA>,
  ): KTable<K, VA>;
}
