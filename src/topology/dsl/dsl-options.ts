import type { Serde } from '../../core/serde.js';
import type { StoreType } from '../graph/graph-node.js';
import type { StreamPartitioner, TimestampExtractor } from '../node-options.js';

export type { StoreType };

/**
 * Kafka Streams' `Named`: the operation's processor name instead of a generated one. Generated names shift when
 * the topology changes; name the stateful parts of a long-lived application.
 */
export interface NamedOptions {
  readonly name?: string;
}

/** Kafka Streams' `Consumed`: how a source reads its topics (`name` names the source node). */
export interface ConsumedOptions<K, V> extends NamedOptions {
  /** Falls back to the application's `defaultKeySerde`. */
  readonly keySerde?: Serde<K>;
  /** Falls back to the application's `defaultValueSerde`. */
  readonly valueSerde?: Serde<V>;
  readonly timestampExtractor?: TimestampExtractor<K, V>;
}

/** How a DSL operation keeps its state (the store part of Kafka Streams' `Materialized`). */
export interface StoreOptions {
  /**
   * Names the store, which makes it queryable and names its changelog `<applicationId>-<storeName>-changelog`.
   * Without it the store gets a generated name.
   */
  readonly storeName?: string;
  /** `'persistent'` (SQLite, the default) or `'in-memory'` (rebuilt from the changelog when a task starts). */
  readonly storeType?: StoreType;
  /** On by default, as in Kafka Streams: updates of a key are merged until the next commit. */
  readonly caching?: boolean;
  /** On by default; an object turns it on with extra changelog topic configs. */
  readonly logging?: boolean | { readonly [config: string]: string };
}

/** Kafka Streams' `Materialized` plus `Named`, for stateful operations. */
export interface MaterializedOptions<K, V> extends NamedOptions, StoreOptions {
  readonly keySerde?: Serde<K>;
  readonly valueSerde?: Serde<V>;
}

/**
 * `builder.globalTable()`: how the topic is read (`name` names the source `<name>-source` and the processor) and
 * how the global store is kept. The store is never change-logged (the topic is its changelog) nor cached.
 */
export interface GlobalTableOptions<K, V> extends ConsumedOptions<K, V> {
  /** Names the store, which makes it the table's `queryableStoreName`; it is generated otherwise (and readable by that name). */
  readonly storeName?: string;
  /** `'persistent'` (SQLite, the default) or `'in-memory'` (read again from the topic at every start). */
  readonly storeType?: StoreType;
}

/** `builder.table()`: how the topic is read (`name` names the table's nodes) and how the table is kept. */
export interface TableOptions<K, V> extends ConsumedOptions<K, V>, StoreOptions, VersionedTableOptions {}

/**
 * A versioned table's store (Kafka Streams' `Materialized.as(Stores.persistentVersionedKeyValueStore(…))`): it keeps
 * each key's older versions for `historyRetentionMs` of stream time, so a stream-table join can look the table up as
 * of each stream record's time, and an update older than the key's latest version does not replace it (KIP-914).
 * Needs `storeName`; versioned stores are never cached.
 */
export interface VersionedOptions {
  readonly historyRetentionMs: number;
  /** How much history expires at once; by default Kafka Streams' choice for the retention. */
  readonly segmentIntervalMs?: number;
}

/**
 * Kafka Streams' `Joined` plus `Named`, for `KStream.join/leftJoin(KTable)`. `keySerde` and `valueSerde` (the
 * stream's) serialize the stream's repartition topic and grace buffer; `otherValueSerde` (the table's) is accepted
 * for symmetry with Kafka Streams and unused there too. `name` names the join processor and the repartition topic.
 */
export interface JoinedOptions<K, V, VT> extends NamedOptions {
  readonly keySerde?: Serde<K>;
  readonly valueSerde?: Serde<V>;
  readonly otherValueSerde?: Serde<VT>;
  /**
   * KIP-923: hold stream records this long (in the `<name>-Buffer` store) and join them in timestamp order against
   * the table as of their own time, so table updates that arrive late still count. Needs a versioned table whose
   * history retention is at least this long.
   */
  readonly gracePeriodMs?: number;
}

/**
 * Kafka Streams' `TableJoined` plus `Materialized`, for the foreign-key join `KTable.join/leftJoin(other, foreignKey,
 * joiner, options)`. `name` names its topics, processors and stores (`<name>-subscription-registration-topic`, …,
 * `<name>-result`). As in Kafka Streams, the result keeps a store only when `storeName` is given (or when a later
 * operation needs one); the other store options then apply to it.
 */
export interface ForeignKeyJoinOptions<K, KO, VR> extends MaterializedOptions<K, VR> {
  /**
   * How this table's input topic is partitioned, when not by the default partitioner (KIP-775): answers go back to
   * the partition it picks for the key instead of the partition the row was read from. Called with a `null` value.
   */
  readonly partitioner?: StreamPartitioner<K, null>;
  /** How the other table's input topic is partitioned, when not by the default: subscriptions go where it picks. */
  readonly otherPartitioner?: StreamPartitioner<KO, null>;
}

/** Options of the operations that can make a versioned table (`builder.table`, `toTable`). */
export interface VersionedTableOptions {
  readonly versioned?: VersionedOptions;
}

/** Kafka Streams' `Produced`: how `to()` writes (`name` names the sink node). */
export interface ProducedOptions<K, V> extends NamedOptions {
  readonly keySerde?: Serde<K>;
  readonly valueSerde?: Serde<V>;
  readonly partitioner?: StreamPartitioner<K, V>;
}

/** Kafka Streams' `Repartitioned`: `name` names the topic (`<applicationId>-<name>-repartition`) and its nodes. */
export interface RepartitionedOptions<K, V> extends ProducedOptions<K, V> {
  /** Partition count of the repartition topic; by default that of the upstream source topics. */
  readonly partitions?: number;
}

/**
 * Kafka Streams' `Grouped`: serdes for the repartition topic a key change requires, and `name` for that topic
 * (`<applicationId>-<name>-repartition`) and, with `groupBy`, the key-selecting processor.
 */
export interface GroupedOptions<K, V> extends NamedOptions {
  readonly keySerde?: Serde<K>;
  readonly valueSerde?: Serde<V>;
}

/**
 * Kafka Streams' `StreamJoined` (with `Named`): how a stream-stream join names its processors (`name`), names and
 * keeps its stores, and serializes what it stores and repartitions. Serdes fall back to each side stream's own.
 */
export interface StreamJoinedOptions<K, V, VO> extends NamedOptions {
  readonly keySerde?: Serde<K>;
  /** This (left) stream's values. */
  readonly valueSerde?: Serde<V>;
  /** The other (right) stream's values. */
  readonly otherValueSerde?: Serde<VO>;
  /**
   * The base of the store names (`<storeName>-this-join-store`, `-other-join-store`, …), and so of their changelogs;
   * generated from the join processors' names otherwise.
   */
  readonly storeName?: string;
  /** `'persistent'` (SQLite, the default) or `'in-memory'`, for all the join's stores. */
  readonly storeType?: StoreType;
  /** On by default; `false` disables the changelogs of all the join's stores, an object adds topic configs to them. */
  readonly logging?: boolean | { readonly [config: string]: string };
}

/**
 * `Materialized` for windowed aggregations. Their stores are cached by default, as in Kafka Streams: a window's
 * updates are emitted once per commit, with their latest value; `caching: false` emits every update. Session
 * stores emitting on window close are never cached (Kafka Streams leaves them uncached too).
 */
export interface WindowedMaterializedOptions<K, V> extends MaterializedOptions<K, V> {
  /**
   * How long the store keeps a window (or session) after stream time passes it, so it stays queryable. Defaults to
   * Kafka Streams' minimum: size + grace (sliding windows: 2 × time difference + grace; sessions: gap + grace);
   * anything smaller is refused.
   */
  readonly retentionMs?: number;
}
