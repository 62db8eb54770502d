import type { DslNode, NodeId } from './graph-node.js';

/** What the old-values pass decided for one KTable node. */
export interface TableNodeState {
  /** Whether the node keeps a store (always for aggregations; for table sources when named or when needed). */
  readonly materialized: boolean;
  /** Whether the node forwards `Change.oldValue` (otherwise it forwards `null` there). */
  readonly sendOldValues: boolean;
}

interface MutableState {
  materialized: boolean;
  sendOldValues: boolean;
}

/**
 * The old-values pass. A KTable node forwards old values only when a downstream node asks for them, and a table
 * source keeps a store only when named or when asked to: `groupBy` forces both up the chain (it must retract old
 * values), a `filter` asks without forcing (it only avoids needless tombstones when old values are at hand).
 * A join looking a table up materializes the table source it reaches. Requests are replayed in creation order, as
 * Kafka Streams makes them while the DSL calls run, so the outcome — and which stores `describe()` lists — is the
 * same.
 */
export function resolveOldValues(nodes: readonly DslNode[]): ReadonlyMap<NodeId, TableNodeState> {
  const states = new Map<NodeId, MutableState>();
  const enable = (id: NodeId, force: boolean): boolean => enableSendingOldValues(nodes, states, id, force);
  for (const node of nodes) {
    for (const table of node.readsTables ?? []) requestValueGetter(nodes, states, table);
    switch (node.kind) {
      case 'table-source':
      case 'to-table':
        states.set(node.id, { materialized: node.store.userStoreName !== undefined, sendOldValues: false });
        break;
      case 'stream-aggregate':
      case 'table-aggregate':
        states.set(node.id, { materialized: true, sendOldValues: false });
        break;
      case 'table-filter':
        states.set(node.id, { materialized: false, sendOldValues: enable(node.parents[0]!, false) });
        break;
      case 'table-map-values':
        states.set(node.id, { materialized: false, sendOldValues: false });
        break;
      case 'table-suppress':
        // The buffer forwards each key's prior value with its final one, so it always asks its parent for them.
        states.set(node.id, { materialized: true, sendOldValues: enable(node.parents[0]!, true) });
        break;
      case 'table-group-by':
        enable(node.parents[0]!, true);
        break;
      case 'table-table-join':
        // A left join needs this side's old values, an outer join both sides', to skip deleting what never joined.
        if (node.joinType !== 'inner') enable(node.parents[0]!, true);
        if (node.joinType === 'outer') enable(node.parents[1]!, true);
        states.set(node.id, { materialized: node.store !== undefined, sendOldValues: false });
        break;
      case 'foreign-key-join':
        // The foreign table's old values spare needless prefix scans, this table's find the subscription to delete
        // when the foreign key changes (`doJoinOnForeignKey` forces both, foreign first). The result is a
        // `KTableSource`: kept in its store when named, or later when something downstream needs it.
        enable(node.parents[1]!, true);
        enable(node.parents[0]!, true);
        states.set(node.id, { materialized: node.store.userStoreName !== undefined, sendOldValues: false });
        break;
      case 'cogroup-aggregate':
      case 'cogroup-merge':
        states.set(node.id, { materialized: true, sendOldValues: false });
        break;
      default:
        break;
    }
  }
  return states;
}

/**
 * A join asked to look a table up (Kafka Streams' `valueGetterSupplier()`): a table source on the way gets its store,
 * since it has nothing else to read; a node without a store of its own is looked up through its parents.
 */
function requestValueGetter(nodes: readonly DslNode[], states: Map<NodeId, MutableState>, id: NodeId): void {
  const node = nodes[id]!;
  const state = states.get(id);
  if (state?.materialized === true) return;
  if (state !== undefined && (node.kind === 'table-source' || node.kind === 'to-table' || node.kind === 'foreign-key-join')) {
    state.materialized = true;
    return;
  }
  if (node.view !== undefined) for (const parent of node.parents) requestValueGetter(nodes, states, parent);
}

function enableSendingOldValues(nodes: readonly DslNode[], states: Map<NodeId, MutableState>, id: NodeId, force: boolean): boolean {
  const node = nodes[id]!;
  const state = states.get(id);
  if (state === undefined) return false;
  switch (node.kind) {
    case 'table-source':
    case 'to-table':
    case 'foreign-key-join':
      if (!force && !state.materialized) return false;
      state.materialized = true;
      state.sendOldValues = true;
      return true;
    case 'stream-aggregate':
    case 'table-aggregate':
      state.sendOldValues = true;
      return true;
    case 'cogroup-merge':
      // `KTablePassThrough`: the aggregations behind it always can, and it passes on what they send.
      for (const parent of node.parents) enableSendingOldValues(nodes, states, parent, force);
      state.sendOldValues = true;
      return true;
    case 'cogroup-aggregate':
      state.sendOldValues = true;
      return true;
    case 'table-filter':
    case 'table-map-values':
    case 'table-suppress':
      if (enableSendingOldValues(nodes, states, node.parents[0]!, force)) state.sendOldValues = true;
      return state.sendOldValues;
    case 'table-table-join':
      // `KTableKTableJoinMerger.enableSendingOldValues`: both join processors send them, so both sides must.
      for (const parent of node.parents) enableSendingOldValues(nodes, states, parent, true);
      state.sendOldValues = true;
      return true;
    default:
      return false;
  }
}
