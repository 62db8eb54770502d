import type { TableTableJoinNode } from './graph-node.js';

/** The names of a table-table join's two side processors (the merger's are the node's own `name`/`storeName`). */
export interface TableJoinNames {
  readonly thisName: string;
  readonly otherName: string;
}

/** The part of the naming pass's counter that joins use (`NameCounter` in `name-nodes.ts`). */
interface JoinNameCounter {
  storeName(prefix: string): string;
  orGenerate(userName: string | undefined, prefix: string): string;
  suffixedOrGenerate(userName: string | undefined, suffix: string, prefix: string): string;
}

/**
 * `KTableImpl.join/leftJoin/outerJoin`: the public method with `Materialized` burns the merge store's index first
 * (unless the store is named), then `doJoin` names the merger, this side's and the other side's processors.
 */
export function nameTableTableJoin(node: TableTableJoinNode, counter: JoinNameCounter) {
  const store = node.store;
  const storeName = store === undefined ? undefined : (store.userStoreName ?? counter.storeName('KTABLE-MERGE-'));
  const name = counter.orGenerate(node.userName, 'KTABLE-MERGE-');
  const thisName = counter.suffixedOrGenerate(node.userName, '-join-this', 'KTABLE-JOINTHIS-');
  const otherName = counter.suffixedOrGenerate(node.userName, '-join-other', 'KTABLE-JOINOTHER-');
  const tableJoin: TableJoinNames = { thisName, otherName };
  return storeName === undefined ? { name, tableJoin } : { name, storeName, tableJoin };
}
