import type { DslNode, NodeId } from './graph-node.js';

/**
 * Whether the records a stream node emits may sit on the wrong partition for their key: true downstream of a
 * key-changing operation until a repartition topic (or a table's `toStream`) puts keys back in place. This is Kafka
 * Streams' `repartitionRequired` flag, derived from the graph instead of carried on handles.
 */
export function createKeyChangeTracker(nodes: readonly DslNode[]): (id: NodeId) => boolean {
  const known = new Map<NodeId, boolean>();
  const keyChanged = (id: NodeId): boolean => {
    const cached = known.get(id);
    if (cached !== undefined) return cached;
    const node = nodes[id]!;
    const result = computeKeyChanged(node, keyChanged);
    known.set(id, result);
    return result;
  };
  return keyChanged;
}

function computeKeyChanged(node: DslNode, keyChanged: (id: NodeId) => boolean): boolean {
  const anyParentChanged = (): boolean => node.parents.some(keyChanged);
  switch (node.kind) {
    case 'processor':
      if (node.keyEffect === 'changes') return true;
      return node.keyEffect === 'preserves' && anyParentChanged();
    case 'split':
    case 'branch':
    case 'stream-global-join':
      // A global-table join keeps the stream's keys where they were, repartitioned or not (no topic of its own).
      return anyParentChanged();
    case 'stream-source':
    case 'repartition':
    case 'table-source':
    case 'stream-aggregate':
    case 'to-table':
    case 'table-filter':
    case 'table-map-values':
    case 'table-aggregate':
    case 'table-suppress':
    case 'state-store':
    case 'sink':
    case 'table-table-join':
    case 'foreign-key-join':
    case 'cogroup-aggregate':
    case 'cogroup-merge':
    case 'join-window':
    case 'stream-stream-join':
    case 'stream-table-join':
    case 'global-table-source':
      return false;
    case 'table-group-by':
      return true;
  }
}
