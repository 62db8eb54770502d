import type { Topology } from '../topology.js';
import type { SupplierBinding, TableTableJoinNode } from './graph-node.js';
import type { TableJoinNames } from './name-table-joins.js';
import { materializeStores } from './store-materializer.js';

/**
 * `KTableKTableJoinNode.writeToTopology`: this side's processor under this table, the other side's under the other,
 * the merger under both; each side is connected to the stores of the table it looks up, and the merger to its
 * own store when materialized.
 */
export function writeTableTableJoin(
  node: TableTableJoinNode,
  binding: SupplierBinding,
  names: TableJoinNames,
  parentOutputs: readonly string[],
  topology: Topology,
): void {
  const [thisTable, otherTable] = binding.valueGetters;
  topology.addProcessor(names.thisName, node.thisJoin(binding), parentOutputs[0]!);
  topology.addProcessor(names.otherName, node.otherJoin(binding), parentOutputs[1]!);
  topology.addProcessor(binding.name, node.merge(binding), names.thisName, names.otherName);
  if (otherTable!.storeNames.length > 0) topology.connectProcessorAndStateStores(names.thisName, ...otherTable!.storeNames);
  if (thisTable!.storeNames.length > 0) topology.connectProcessorAndStateStores(names.otherName, ...thisTable!.storeNames);
  if (binding.storeName === undefined || node.store === undefined) return;
  for (const builder of materializeStores(node.store, binding.storeName)) topology.addStateStore(builder, binding.name);
}
