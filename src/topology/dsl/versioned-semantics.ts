import type { NodeId } from '../graph/graph-node.js';
import type { DslContext } from './dsl-context.js';

/**
 * Whether a KTable's output is versioned (Kafka Streams' `InternalStreamsBuilder.isVersionedOrVersionedUpstream`):
 * a table source or `toTable` with a versioned store is; a node that keeps no store of its own (filter, mapValues)
 * is when all its parents are; every other node (aggregations, joins, anything materialized without versioning) is
 * not. Nodes downstream of a versioned table use KIP-914's versioned semantics: `groupBy` skips out-of-order
 * (`isLatest: false`) changes, a filter forwards even a change it filtered to nothing, and `suppress` is refused.
 */
export function isVersionedTable(context: DslContext, id: NodeId): boolean {
  const node = context.node(id);
  switch (node.kind) {
    case 'table-source':
    case 'to-table':
      return node.store.versioned !== undefined;
    case 'table-filter':
    case 'table-map-values':
      return node.parents.every((parent) => isVersionedTable(context, parent));
    default:
      return false;
  }
}
