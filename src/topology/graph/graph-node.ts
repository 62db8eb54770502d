import type { Serde } from '../../core/serde.js';
import type { StoreBuilder } from '../../state/state-store.js';
import type { AnyProcessorSupplier } from '../compiled-topology.js';
import type { StreamPartitioner, TimestampExtractor, TopicNameExtractor } from '../node-options.js';
import type { TableValueGetterSupplier, TableView } from './table-value-getter.js';
import type { ForeignKeyJoinNames, ForeignKeyJoinParts } from './foreign-key-join-parts.js';

/** Position of a node in the logical graph: the order the DSL created it, which is the order names are given. */
export type NodeId = number;

type AnySerde = Serde<unknown> | undefined;

/** What the build passes decided about a node, handed to its supplier factory when the topology is compiled. */
export interface SupplierBinding {
  /** The node's processor name. */
  readonly name: string;
  /** The store the processor reads and writes, or `undefined` when the node is not materialized. */
  readonly storeName: string | undefined;
  /** Whether the KTable node must forward old values next to new ones (`Change.oldValue`). */
  readonly sendOldValues: boolean;
  /** Getters of the tables the node looks up, one per entry of its `readsTables`, in that order. */
  readonly valueGetters: readonly TableValueGetterSupplier<unknown, unknown>[];
}

/** Makes a node's processor supplier once names, stores and old-value needs are known. */
export type SupplierFactory = (binding: SupplierBinding) => AnyProcessorSupplier;

export type StoreType = 'persistent' | 'in-memory';

/**
 * The store of a windowed aggregation: a window store (time and sliding windows; values kept with their
 * timestamps) or a session store. `emitOnClose` adds the small store that remembers what was already emitted.
 */
export type StoreWindowing = (
  | { readonly kind: 'window'; readonly windowSizeMs: number; readonly retentionMs: number }
  | { readonly kind: 'session'; readonly retentionMs: number }
) & {
  readonly emitOnClose: boolean;
  /**
   * How long after a window's end it closes, which `suppress(untilWindowCloses)` downstream waits for: the grace
   * period, plus the inactivity gap for sessions (Kafka Streams' `GraphGraceSearchUtil`).
   */
  readonly closeDelayMs: number;
};

/** How a stateful node materializes its store: Kafka Streams' `Materialized`, as plain data. */
export interface StoreSpec {
  /** Set by the user (`Materialized.as`): the store is then queryable; otherwise the naming pass generates one. */
  readonly userStoreName: string | undefined;
  readonly storeType: StoreType;
  readonly caching: boolean;
  /** `false` disables the changelog; an object enables it with extra topic configs. */
  readonly logging: boolean | Readonly<{ [config: string]: string }>;
  readonly keySerde: AnySerde;
  readonly valueSerde: AnySerde;
  /** Set for windowed aggregations; a timestamped key-value store otherwise. */
  readonly windowing?: StoreWindowing;
  /** Set for versioned tables: a versioned key-value store keeping this much history (never cached). */
  readonly versioned?: VersionedStoreSpec;
}

/** A versioned table's store: how long it keeps older versions, and how much of that history expires at once. */
export interface VersionedStoreSpec {
  readonly historyRetentionMs: number;
  readonly segmentIntervalMs: number | undefined;
}

/** Kafka Streams' `Grouped`, shared by every aggregation of one grouped stream or table. */
export interface GroupingSpec {
  /** Names the repartition topic (and, for `groupBy`, the key-selecting processor). */
  readonly name: string | undefined;
  readonly keySerde: AnySerde;
  readonly valueSerde: AnySerde;
}

interface NodeBase {
  readonly id: NodeId;
  readonly parents: readonly NodeId[];
  /** A user-given name (Kafka Streams' `Named`/`Consumed.as`/`Produced.as`), overriding the generated one. */
  readonly userName: string | undefined;
  /**
   * KTable nodes whose values this node's processor looks up (a join's other side): their getters reach the
   * supplier through `SupplierBinding.valueGetters`, the stores they read are connected to the processor, and a
   * table source they reach is materialized, as Kafka Streams' `valueGetterSupplier()` does.
   */
  readonly readsTables?: readonly NodeId[];
  /** How a KTable node without a store of its own is looked up through its parents (filter, mapValues, …). */
  readonly view?: TableView;
  /**
   * A join's co-partition group (Kafka Streams' `ensureCopartitionWith`): the nodes whose input must be
   * co-partitioned, usually both join sides (the node's parents, a table it reads). The source topics upstream
   * of each, repartition topics included, become one group; see `copartition-groups.ts`.
   */
  readonly copartitionGroup?: readonly NodeId[];
  /**
   * Set on a left/outer stream-stream join, a stream-table left join and a global-table left join (Kafka Streams'
   * `NULL_KEY_RELAXED_JOIN` label): repartition topics upstream keep records with null keys (KIP-962); see
   * `relaxed-null-keys.ts`.
   */
  readonly relaxesNullKeys?: true;
}

export interface StreamSourceNode extends NodeBase {
  readonly kind: 'stream-source';
  readonly topics: readonly string[];
  readonly keySerde: AnySerde;
  readonly valueSerde: AnySerde;
  readonly timestampExtractor: TimestampExtractor | undefined;
}

/** `builder.table(topic)`: a source node plus the table-source processor that keeps the latest value per key. */
export interface TableSourceNode extends NodeBase {
  readonly kind: 'table-source';
  readonly topic: string;
  readonly keySerde: AnySerde;
  readonly valueSerde: AnySerde;
  readonly timestampExtractor: TimestampExtractor | undefined;
  readonly store: StoreSpec;
  readonly supplier: SupplierFactory;
}

/**
 * How a stream processor treats keys, which decides whether a later stateful operation needs a repartition topic:
 * `changes` (map, selectKey, process, …), `preserves` (filter, mapValues, …), `resets` (a table's `toStream`).
 */
export type KeyEffect = 'changes' | 'preserves' | 'resets';

/** Any stateless stream processor: filter, map, peek, merge (several parents), process, toStream, … */
export interface ProcessorNode extends NodeBase {
  readonly kind: 'processor';
  /** Generated names are `<prefix><index>`, e.g. `KSTREAM-FILTER-` → `KSTREAM-FILTER-0000000001`. */
  readonly prefix: string;
  /** `process()` takes a user name without burning an index; every other operation burns one regardless. */
  readonly burnsIndexWhenNamed: boolean;
  readonly keyEffect: KeyEffect;
  readonly storeNames: readonly string[];
  readonly supplier: SupplierFactory;
}

/** `split()`: forwards each record to the first of its branch nodes whose predicate matches. */
export interface SplitNode extends NodeBase {
  readonly kind: 'split';
}

/** One branch of a split: a pass-through child named `<split name><suffix>`. */
export interface BranchNode extends NodeBase {
  readonly kind: 'branch';
  /** The branch index (`1`, `2`, …; `0` for the default branch) or the user's branch name. */
  readonly suffix: string;
  /** `null` marks the default branch. */
  readonly predicate: ((key: unknown, value: unknown) => boolean) | null;
}

export interface SinkNode extends NodeBase {
  readonly kind: 'sink';
  readonly topic: string | TopicNameExtractor;
  readonly keySerde: AnySerde;
  readonly valueSerde: AnySerde;
  readonly partitioner: StreamPartitioner | undefined;
}

/** `KStream.repartition()`: a repartition topic the user asked for. */
export interface RepartitionNode extends NodeBase {
  readonly kind: 'repartition';
  readonly keySerde: AnySerde;
  readonly valueSerde: AnySerde;
  readonly partitions: number | undefined;
  readonly partitioner: StreamPartitioner | undefined;
}

export type StreamAggregateOperation = 'count' | 'reduce' | 'aggregate';

/** `KGroupedStream.count/reduce/aggregate`, windowed (`windowedBy(…)`) when its store has `windowing`. */
export interface StreamAggregateNode extends NodeBase {
  readonly kind: 'stream-aggregate';
  readonly operation: StreamAggregateOperation;
  /** The grouping this aggregation belongs to; aggregations of one named grouping share its repartition topic. */
  readonly grouping: GroupingSpec;
  /**
   * Kafka Streams' `count(Materialized)` burns one extra store index that `count()` does not, for compatibility
   * with its old releases; we follow it so generated names match.
   */
  readonly burnsExtraStoreIndex: boolean;
  readonly store: StoreSpec;
  readonly supplier: SupplierFactory;
}

/** `KStream.toTable()`. */
export interface ToTableNode extends NodeBase {
  readonly kind: 'to-table';
  readonly store: StoreSpec;
  /** Serdes of a repartition topic, should the stream need one. */
  readonly keySerde: AnySerde;
  readonly valueSerde: AnySerde;
  readonly supplier: SupplierFactory;
}

export interface TableFilterNode extends NodeBase {
  readonly kind: 'table-filter';
  readonly supplier: SupplierFactory;
}

export interface TableMapValuesNode extends NodeBase {
  readonly kind: 'table-map-values';
  readonly supplier: SupplierFactory;
}

/** `KTable.groupBy`: maps each change to the new grouping key, retracting the old one. */
export interface TableGroupByNode extends NodeBase {
  readonly kind: 'table-group-by';
  readonly grouping: GroupingSpec;
  readonly supplier: SupplierFactory;
}

export type TableAggregateOperation = 'count' | 'reduce' | 'aggregate';

/** `KGroupedTable.count/reduce/aggregate`; its parent is the `table-group-by` node. */
export interface TableAggregateNode extends NodeBase {
  readonly kind: 'table-aggregate';
  readonly operation: TableAggregateOperation;
  /** The grouping of the `groupBy` that feeds this aggregation (the same object for all its aggregations). */
  readonly grouping: GroupingSpec;
  readonly store: StoreSpec;
  /** Serde of the `Change` values on the repartition topic (wraps the grouped value serde). */
  readonly repartitionValueSerde: Serde<unknown>;
  readonly supplier: SupplierFactory;
}

/** `KTable.suppress`: a buffer store between a table and its downstream nodes. */
export interface TableSuppressNode extends NodeBase {
  readonly kind: 'table-suppress';
  /** Builds the buffer store once the naming pass chose its name. */
  readonly bufferStore: (storeName: string) => StoreBuilder;
  readonly supplier: SupplierFactory;
}

/** `builder.addStateStore(storeBuilder)`: a store for `process()` to connect to by name. */
export interface StateStoreNode extends NodeBase {
  readonly kind: 'state-store';
  readonly builder: StoreBuilder;
}

/** Which table-table join: Kafka Streams' `KTableKTableInnerJoin`, `…LeftJoin` (with `…RightJoin`) or `…OuterJoin`. */
export type TableJoinType = 'inner' | 'left' | 'outer';

/**
 * `KTable.join/leftJoin/outerJoin(KTable)` (Kafka Streams' `KTableKTableJoinNode`): parents are this table and the
 * other; it writes a join processor per side, each looking the other side up, and the merger that both feed.
 * The binding's `name` and `storeName` are the merger's; its `valueGetters` are this table's, then the other's.
 */
export interface TableTableJoinNode extends NodeBase {
  readonly kind: 'table-table-join';
  readonly joinType: TableJoinType;
  /** The merger's store when the join was given store options (Kafka Streams' `Materialized`), else `undefined`. */
  readonly store: StoreSpec | undefined;
  readonly thisJoin: SupplierFactory;
  readonly otherJoin: SupplierFactory;
  readonly merge: SupplierFactory;
}

/**
 * `KTable.join/leftJoin(other, foreignKey, joiner)` (Kafka Streams' `doJoinOnForeignKey`, KIP-213): parents are this
 * (primary) table and the other (foreign) table, `readsTables` the same two. It writes the subscription and response
 * topics and the processors around them (`write-foreign-key-join.ts`); the binding's `name` and `storeName` are the
 * result's, a `KTableSource` whose store is kept when named or when a downstream node needs it.
 */
export interface ForeignKeyJoinNode extends NodeBase {
  readonly kind: 'foreign-key-join';
  /** The result's store (Kafka Streams' `Materialized`); materialized only when named or forced, as in Kafka. */
  readonly store: StoreSpec;
  /** The processors, topics' serdes and subscription store, once names and the binding are known. */
  readonly parts: (binding: SupplierBinding, names: ForeignKeyJoinNames) => ForeignKeyJoinParts;
}

/** One input of a cogroup aggregation: a grouped stream and how it reaches the aggregation. */
export interface CogroupInput {
  readonly parent: NodeId;
  readonly grouping: GroupingSpec;
  /**
   * The same object for the same grouped stream across every aggregation of one cogrouped stream: those share
   * the input's repartition topic, as Kafka Streams' `CogroupedStreamAggregateBuilder` reuses its repartition node.
   */
  readonly repartitionKey: object;
}

/** One `CogroupedKStream.aggregate` (windowed or not), shared by the nodes it creates. */
export interface CogroupSpec {
  /** Kafka Streams' `Named`: the processors are then `<name>-cogroup-agg-<i>` and `<name>-cogroup-merge`. */
  readonly userName: string | undefined;
  /** The one store all inputs aggregate into (a window or session store when `windowing` is set). */
  readonly store: StoreSpec;
  /** The inputs, in the order they were cogrouped. */
  readonly inputs: readonly CogroupInput[];
}

/**
 * `KStreamAggregate` (or its windowed forms) for one input of a cogroup: its parent is that input. The first
 * input's node owns the store; the others connect to it by name.
 */
export interface CogroupAggregateNode extends NodeBase {
  readonly kind: 'cogroup-aggregate';
  readonly cogroup: CogroupSpec;
  readonly inputIndex: number;
  readonly supplier: SupplierFactory;
}

/** `KTablePassThrough` behind every input's aggregation: the cogroup's resulting table. */
export interface CogroupMergeNode extends NodeBase {
  readonly kind: 'cogroup-merge';
  readonly cogroup: CogroupSpec;
  readonly supplier: SupplierFactory;
}

export type StreamJoinType = 'inner' | 'left' | 'outer';

/**
 * What the nodes of one stream-stream join share: the join's type, windows and joiner, and Kafka Streams'
 * `StreamJoined` (names, serdes and how the stores are kept).
 */
export interface StreamJoinSpec {
  readonly joinType: StreamJoinType;
  readonly beforeMs: number;
  readonly afterMs: number;
  readonly graceMs: number;
  /** `(thisValue, otherValue, key)`; a missing partner of a left or outer join is `null`. */
  readonly joiner: (thisValue: unknown, otherValue: unknown, key: unknown) => unknown;
  /** `StreamJoined.withName`: names the processors and repartition topics. */
  readonly name: string | undefined;
  /** `StreamJoined.withStoreName`: the base of the store names. */
  readonly storeName: string | undefined;
  readonly storeType: StoreType;
  /** `false` disables the changelogs of all the join's stores; an object adds topic configs to them. */
  readonly logging: boolean | Readonly<{ [config: string]: string }>;
  /** Serdes of the stores: `StreamJoined`'s, or else those of the side they keep. */
  readonly thisKeySerde: AnySerde;
  readonly otherKeySerde: AnySerde;
  readonly thisValueSerde: AnySerde;
  readonly otherValueSerde: AnySerde;
}

/**
 * One side of a stream-stream join (Kafka Streams' `KStreamJoinWindow`): forwards each record to the side's join
 * processor, then keeps it in the side's window store. A side whose keys changed reads through a repartition topic.
 */
export interface JoinWindowNode extends NodeBase {
  readonly kind: 'join-window';
  readonly side: 'this' | 'other';
  readonly join: StreamJoinSpec;
  /** The serdes of the side's repartition topic and store: `StreamJoined`'s, or else the side stream's. */
  readonly keySerde: AnySerde;
  readonly valueSerde: AnySerde;
}

/** The join processors of both sides and their merge; its parents are the two `join-window` nodes (this, other). */
export interface StreamStreamJoinNode extends NodeBase {
  readonly kind: 'stream-stream-join';
  readonly join: StreamJoinSpec;
}

/**
 * `KStream.join/leftJoin(KTable)` (Kafka Streams' `StreamTableJoinNode`): one processor under the stream that looks
 * each record up in the table it reads (`readsTables`); the binding's `storeName` is its grace buffer, if any.
 */
export interface StreamTableJoinNode extends NodeBase {
  readonly kind: 'stream-table-join';
  readonly leftJoin: boolean;
  /** Serdes of the stream side's repartition topic and grace buffer: `Joined`'s, or else the stream's. */
  readonly keySerde: AnySerde;
  readonly valueSerde: AnySerde;
  /** KIP-923: the grace period and its buffer store, built once the naming pass chose `<name>-Buffer`. */
  readonly grace: { readonly gracePeriodMs: number; readonly bufferStore: (storeName: string) => StoreBuilder } | undefined;
  readonly supplier: SupplierFactory;
}

/**
 * `builder.globalTable(topic)` (Kafka Streams' `TableSourceNode` with `isGlobalKTable`): a global store fed by a
 * source and a table-source processor, always materialized, never change-logged (the topic is its changelog).
 */
export interface GlobalTableSourceNode extends NodeBase {
  readonly kind: 'global-table-source';
  readonly topic: string;
  readonly keySerde: AnySerde;
  readonly valueSerde: AnySerde;
  readonly timestampExtractor: TimestampExtractor | undefined;
  readonly store: StoreSpec;
  readonly supplier: SupplierFactory;
}

/**
 * `KStream.join/leftJoin(GlobalKTable)` (Kafka Streams' `KStreamGlobalKTableJoin`): one processor under the stream,
 * looking each record's selected key up in the global table it reads (`readsTables`); no repartition, no
 * co-partitioning and no store connection, since every task reads the whole global store.
 */
export interface StreamGlobalJoinNode extends NodeBase {
  readonly kind: 'stream-global-join';
  readonly leftJoin: boolean;
  readonly supplier: SupplierFactory;
}

/** The nodes the DSL creates. */
export type DslNode =
  | StreamSourceNode
  | TableSourceNode
  | ProcessorNode
  | SplitNode
  | BranchNode
  | SinkNode
  | RepartitionNode
  | StreamAggregateNode
  | ToTableNode
  | TableFilterNode
  | TableMapValuesNode
  | TableGroupByNode
  | TableAggregateNode
  | TableSuppressNode
  | StateStoreNode
  | TableTableJoinNode
  | ForeignKeyJoinNode
  | CogroupAggregateNode
  | CogroupMergeNode
  | JoinWindowNode
  | StreamStreamJoinNode
  | StreamTableJoinNode
  | GlobalTableSourceNode
  | StreamGlobalJoinNode;

/** Names a repartition topic brings: a null-key filter (stream side only), a sink and a source. */
export interface RepartitionNames {
  readonly topic: string;
  readonly filterName: string | undefined;
  readonly sinkName: string;
  readonly sourceName: string;
}

/** A repartition topic the repartition pass inserted in front of a stateful node. */
export interface InsertedRepartitionNode {
  readonly kind: 'inserted-repartition';
  readonly id: NodeId;
  readonly parents: readonly NodeId[];
  readonly names: RepartitionNames;
  readonly keySerde: AnySerde;
  readonly valueSerde: AnySerde;
}

/** Every node kind the compiler knows. */
export type GraphNode = DslNode | InsertedRepartitionNode;
