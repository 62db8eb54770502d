import type { GraphNode, NodeId } from './graph-node.js';
import type { NodeNames } from './name-nodes.js';

/**
 * The co-partition groups of the planned graph as source node names (`AbstractStream.ensureCopartitionWith`):
 * for every node declaring a `copartitionGroup`, the sources upstream of each listed node, found through parents
 * up to the nearest stream or table source or repartition topic (Kafka Streams' `subTopologySourceNodes`).
 */
export function copartitionSourceGroups(nodes: readonly GraphNode[], names: ReadonlyMap<NodeId, NodeNames>): string[][] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const groups: string[][] = [];
  for (const node of nodes) {
    if (node.kind === 'foreign-key-join') {
      groups.push(...foreignKeyJoinGroups(node, byId, names));
      continue;
    }
    if (node.kind === 'inserted-repartition' || node.copartitionGroup === undefined) continue;
    const sources = new Set<string>();
    for (const id of node.copartitionGroup) collectSources(id, byId, names, sources, new Set());
    if (sources.size > 0) groups.push([...sources]);
  }
  return groups;
}

function collectSources(
  id: NodeId,
  byId: ReadonlyMap<NodeId, GraphNode>,
  names: ReadonlyMap<NodeId, NodeNames>,
  sources: Set<string>,
  visited: Set<NodeId>,
): void {
  if (visited.has(id)) return;
  visited.add(id);
  const node = byId.get(id)!;
  const source = sourceNameOf(node, names);
  if (source !== undefined) {
    sources.add(source);
    return;
  }
  if (node.kind === 'foreign-key-join') {
    // The result comes from the response topic, partitioned like this (primary) table: Kafka Streams' result table
    // has the response source and this table's sources as its `subTopologySourceNodes`.
    sources.add(names.get(id)!.foreignKeyJoin!.responseSource);
    collectSources(node.parents[0]!, byId, names, sources, visited);
    return;
  }
  for (const parent of node.parents) collectSources(parent, byId, names, sources, visited);
}

/**
 * `doJoinOnForeignKey`'s two groups: the subscription topic with the foreign table's sources (so it takes the
 * foreign table's partition count), the response topic with this table's (so it takes the primary's). This is how
 * the two tables may have different partition counts.
 */
function foreignKeyJoinGroups(
  node: Extract<GraphNode, { kind: 'foreign-key-join' }>,
  byId: ReadonlyMap<NodeId, GraphNode>,
  names: ReadonlyMap<NodeId, NodeNames>,
): string[][] {
  const { subscriptionSource, responseSource } = names.get(node.id)!.foreignKeyJoin!;
  const group = (source: string, table: NodeId): string[] => {
    const sources = new Set([source]);
    collectSources(table, byId, names, sources, new Set());
    return [...sources];
  };
  return [group(subscriptionSource, node.parents[1]!), group(responseSource, node.parents[0]!)];
}

/** The source node that starts a sub-topology at this graph node, if it is one. */
function sourceNameOf(node: GraphNode, names: ReadonlyMap<NodeId, NodeNames>): string | undefined {
  switch (node.kind) {
    case 'inserted-repartition':
      return node.names.sourceName;
    case 'stream-source':
      return names.get(node.id)!.name;
    case 'table-source':
      return names.get(node.id)!.sourceName;
    case 'repartition':
      return names.get(node.id)!.repartition!.sourceName;
    default:
      return undefined;
  }
}
