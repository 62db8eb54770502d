import type { Serde } from '../../core/serde.js';
import type { DslNode, GroupingSpec, NodeId, StoreSpec } from '../graph/graph-node.js';
import type { BranchedKStream, KGroupedStream, KGroupedTable, KStream, KTable } from './dsl-api.js';
import type { StoreOptions } from './dsl-options.js';

/** The serdes a handle knows for its keys and values; `undefined` once an operation changed the type. */
export interface HandleSerdes<K, V> {
  readonly keySerde: Serde<K> | undefined;
  readonly valueSerde: Serde<V> | undefined;
}

/**
 * What every handle shares with its builder: the append-only graph and the factories of the other handle kinds.
 * Handles reach each other through it, which keeps their modules free of import cycles.
 */
export interface DslContext {
  /** Appends the node `create` returns for the next id, and returns that id. */
  addNode(create: (id: NodeId) => DslNode): NodeId;
  /**
   * The name the naming pass gives `node`. Names depend only on the nodes created before, so they are final as
   * soon as the node exists (split branches are keyed by them).
   */
  nameOf(node: NodeId): string;
  /** A node added before, to look upstream (e.g. for the windowed aggregation a `suppress` follows). */
  node(id: NodeId): DslNode;
  stream<K, V>(node: NodeId, serdes: HandleSerdes<K, V>): KStream<K, V>;
  table<K, V>(node: NodeId, serdes: HandleSerdes<K, V>, queryableStoreName: string | undefined): KTable<K, V>;
  groupedStream<K, V>(parent: NodeId, grouping: GroupingSpec): KGroupedStream<K, V>;
  groupedTable<K, V>(groupBy: NodeId, grouping: GroupingSpec): KGroupedTable<K, V>;
  branched<K, V>(split: NodeId, serdes: HandleSerdes<K, V>): BranchedKStream<K, V>;
}

/** Kafka Streams' DSL store defaults: persistent, cached, change-logged. */
export function storeSpec(options: StoreOptions | undefined, keySerde: Serde<unknown> | undefined, valueSerde: Serde<unknown> | undefined): StoreSpec {
  return {
    userStoreName: options?.storeName,
    storeType: options?.storeType ?? 'persistent',
    caching: options?.caching ?? true,
    logging: options?.logging ?? true,
    keySerde,
    valueSerde,
  };
}

/** Erases a serde's type for the untyped graph, where serdes travel with the node they belong to. */
export function anySerde<T>(serde: Serde<T> | undefined): Serde<unknown> | undefined {
  return serde as Serde<unknown> | undefined;
}
