import type { NodeId, TableJoinType } from '../graph/graph-node.js';
import {
  type AnyTableJoiner,
  joinedGetterSupplier,
  joinSidesOf,
  reversed,
  tableJoinMergerSupplier,
  tableJoinSideSupplier,
} from '../joins/table-table-join-processors.js';
import { anySerde, type DslContext, type HandleSerdes, storeSpec } from './dsl-context.js';
import type { MaterializedOptions } from './dsl-options.js';

/** The part of a KTable handle a join needs. */
export interface JoinedTable<K, V> {
  readonly node: NodeId;
  readonly serdes: HandleSerdes<K, V>;
}

/**
 * Kafka Streams' `KTableImpl.doJoin`: adds the join node and returns the joined table's node and serdes. Options
 * beyond `name` stand for `Materialized`: the merger then keeps a store (named, or with a generated name), which
 * caches and can be queried; without them the result is computed from both sides' stores when looked up.
 */
export function addTableTableJoin<K, VR>(
  context: DslContext,
  thisTable: JoinedTable<K, unknown>,
  otherTable: JoinedTable<K, unknown>,
  joinType: TableJoinType,
  joiner: AnyTableJoiner,
  options: MaterializedOptions<K, VR> | undefined,
): { node: NodeId; serdes: HandleSerdes<K, VR> } {
  const materialized = options !== undefined && Object.keys(options).some((option) => option !== 'name');
  const keySerde = options?.keySerde ?? thisTable.serdes.keySerde;
  const valueSerde = materialized ? options?.valueSerde : undefined;
  const [thisSide, otherSide] = joinSidesOf(joinType);
  const node = context.addNode((id) => ({
    kind: 'table-table-join',
    id,
    parents: [thisTable.node, otherTable.node],
    userName: options?.name,
    readsTables: [thisTable.node, otherTable.node],
    copartitionGroup: [thisTable.node, otherTable.node],
    view: ([thisGetter, otherGetter]) => joinedGetterSupplier(joinType, joiner, thisGetter!, otherGetter!),
    joinType,
    store: materialized ? storeSpec(options, anySerde(keySerde), anySerde(valueSerde)) : undefined,
    thisJoin: (binding) => tableJoinSideSupplier(thisSide, joiner, binding, 1),
    otherJoin: (binding) => tableJoinSideSupplier(otherSide, reversed(joiner), binding, 0),
    merge: (binding) => tableJoinMergerSupplier(binding),
  }));
  return { node, serdes: { keySerde, valueSerde } };
}
