import type { CogroupAggregateNode, CogroupMergeNode, CogroupSpec, NodeId, RepartitionNames } from './graph-node.js';

const AGGREGATE_PREFIX = 'COGROUPKSTREAM-AGGREGATE-';
const MERGE_PREFIX = 'COGROUPKSTREAM-MERGE-';

/** The parts of the naming pass's counter that cogroup names use. */
interface CogroupNameCounter {
  storeName(prefix: string): string;
  suffixedOrGenerate(userName: string | undefined, suffix: string, prefix: string): string;
  repartitionNames(topicPrefix: string): RepartitionNames;
}

/** What the first node of a cogroup reserved for all of them: the store, and each input's repartition topic. */
export interface CogroupGroupNames {
  readonly storeName: string;
  readonly repartitions: ReadonlyArray<RepartitionNames | undefined>;
}

/** The naming pass's state that cogroup names read and extend. */
export interface CogroupNamingContext {
  readonly counter: CogroupNameCounter;
  readonly keyChanged: (id: NodeId) => boolean;
  readonly cogroups: Map<CogroupSpec, CogroupGroupNames>;
}

/**
 * `CogroupedKStreamImpl.aggregate` → `CogroupedStreamAggregateBuilder.build`. The first input's node takes, in
 * Kafka Streams' order, the store name (`MaterializedInternal`), then a repartition topic for each input whose keys
 * changed, in input order (named after its grouping, or else the store; `processRepartitions`); then every input's
 * node takes its processor name, `<name>-cogroup-agg-<i>` when named (an index burnt either way).
 */
export function nameCogroupAggregate(
  node: CogroupAggregateNode,
  context: CogroupNamingContext,
): { name: string; storeName: string; repartition?: RepartitionNames } {
  const { counter, cogroups } = context;
  let group = cogroups.get(node.cogroup);
  if (group === undefined) {
    const storeName = node.cogroup.store.userStoreName ?? counter.storeName(AGGREGATE_PREFIX);
    const repartitions = node.cogroup.inputs.map((input) =>
      context.keyChanged(input.parent) ? counter.repartitionNames(input.grouping.name ?? storeName) : undefined,
    );
    group = { storeName, repartitions };
    cogroups.set(node.cogroup, group);
  }
  const name = counter.suffixedOrGenerate(node.cogroup.userName, `-cogroup-agg-${node.inputIndex}`, AGGREGATE_PREFIX);
  const repartition = group.repartitions[node.inputIndex];
  return repartition === undefined ? { name, storeName: group.storeName } : { name, storeName: group.storeName, repartition };
}

/** `CogroupedStreamAggregateBuilder.createTable`: the merge processor, `<name>-cogroup-merge` when named. */
export function nameCogroupMerge(node: CogroupMergeNode, context: CogroupNamingContext): { name: string; storeName: string } {
  const name = context.counter.suffixedOrGenerate(node.cogroup.userName, '-cogroup-merge', MERGE_PREFIX);
  return { name, storeName: context.cogroups.get(node.cogroup)!.storeName };
}
