import type { GraphNode, NodeId } from './graph-node.js';

/**
 * KIP-962 (`InternalStreamsBuilder.rewriteRepartitionNodes`, `NodesWithRelaxedNullKeyJoinDownstream`): the
 * repartition nodes (the user's `repartition()` and the inserted ones) whose filter lets null keys through,
 * because some path downstream reaches a node with `relaxesNullKeys` (a left/outer join that joins null-key
 * records). Every other repartition topic drops null keys in its filter.
 */
export function relaxedNullKeyRepartitions(nodes: readonly GraphNode[]): Set<NodeId> {
  const children = new Map<NodeId, GraphNode[]>(nodes.map((node) => [node.id, []]));
  for (const node of nodes) for (const parent of node.parents) children.get(parent)?.push(node);
  const reachesRelaxedJoin = new Map<NodeId, boolean>();
  const reaches = (node: GraphNode): boolean => {
    const known = reachesRelaxedJoin.get(node.id);
    if (known !== undefined) return known;
    reachesRelaxedJoin.set(node.id, false);
    const result = children.get(node.id)!.some((child) => (child.kind !== 'inserted-repartition' && child.relaxesNullKeys === true) || reaches(child));
    reachesRelaxedJoin.set(node.id, result);
    return result;
  };
  const relaxed = new Set<NodeId>();
  for (const node of nodes) {
    if ((node.kind === 'repartition' || node.kind === 'inserted-repartition') && reaches(node)) relaxed.add(node.id);
  }
  return relaxed;
}
