import type { GraphNode, NodeId } from './graph-node.js';

/**
 * The order Kafka Streams writes graph nodes into its topology (`buildAndOptimizeTopology`): a priority queue by
 * build priority, seeded with the root's children; a node is written once all its parents are, and then its
 * children are queued. The order matters: sub-topologies are numbered by their first node.
 */
export function writeOrder(nodes: readonly GraphNode[], priorities: ReadonlyMap<NodeId, number>): GraphNode[] {
  const children = new Map<NodeId, GraphNode[]>(nodes.map((node) => [node.id, []]));
  for (const node of nodes) for (const parent of node.parents) children.get(parent)!.push(node);
  const priority = (node: GraphNode): number => priorities.get(node.id) ?? node.id;

  const written = new Set<NodeId>();
  const order: GraphNode[] = [];
  const queue = nodes.filter((node) => node.parents.length === 0);
  while (queue.length > 0) {
    const next = takeLowest(queue, priority);
    if (written.has(next.id) || !next.parents.every((parent) => written.has(parent))) continue;
    written.add(next.id);
    order.push(next);
    queue.push(...children.get(next.id)!);
  }
  return order;
}

function takeLowest(queue: GraphNode[], priority: (node: GraphNode) => number): GraphNode {
  let lowest = 0;
  for (let i = 1; i < queue.length; i++) if (priority(queue[i]!) < priority(queue[lowest]!)) lowest = i;
  return queue.splice(lowest, 1)[0]!;
}
