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
  for (const parent of node.parents) collectSources(parent, byId, names, sources, visited);
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
