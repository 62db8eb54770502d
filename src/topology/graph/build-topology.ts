import { Topology } from '../topology.js';
import { compileGraph } from './compile-graph.js';
import { copartitionSourceGroups } from './copartition-groups.js';
import type { DslNode } from './graph-node.js';
import { insertRepartitions } from './insert-repartitions.js';
import { nameNodes } from './name-nodes.js';
import { relaxedNullKeyRepartitions } from './relaxed-null-keys.js';
import { resolveOldValues } from './resolve-old-values.js';
import { writeOrder } from './write-order.js';

/**
 * Turns the DSL's logical graph into a `Topology`. The passes are pure and run in a fixed order: naming, then
 * repartition insertion (which uses the names reserved for it), then the KTable old-values pass and the
 * null-key pass (KIP-962); the compiler then writes the nodes in Kafka Streams' build order, and the joins'
 * co-partition groups are declared on the result.
 */
export function buildTopology(nodes: readonly DslNode[]): Topology {
  const names = nameNodes(nodes);
  const planned = insertRepartitions(nodes, names);
  const tableStates = resolveOldValues(nodes);
  const topology = new Topology();
  const relaxedNullKeys = relaxedNullKeyRepartitions(planned.nodes);
  compileGraph({ nodes: writeOrder(planned.nodes, planned.priorities), names, tableStates, relaxedNullKeys }, topology);
  for (const sources of copartitionSourceGroups(planned.nodes, names)) topology.copartitionSources(...sources);
  return topology;
}
