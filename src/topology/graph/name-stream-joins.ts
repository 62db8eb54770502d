import type { JoinWindowNode, NodeId, RepartitionNames, StreamStreamJoinNode } from './graph-node.js';

/** The counter operations a stream-stream join's naming uses (`name-nodes.ts`' `NameCounter`). */
export interface JoinNameCounter {
  processorName(prefix: string): string;
  suffixedOrGenerate(userName: string | undefined, suffix: string, prefix: string): string;
  repartitionNames(topicPrefix: string): RepartitionNames;
}

/** Every name of one stream-stream join, kept on its join node. */
export interface StreamJoinNames {
  readonly thisWindowed: string;
  readonly otherWindowed: string;
  readonly thisJoin: string;
  readonly otherJoin: string;
  readonly merge: string;
  readonly thisStore: string;
  readonly otherStore: string;
  /** The store of left and outer joins' records still without a partner. */
  readonly sharedStore: string | undefined;
}

/** What the naming pass records for each of a join's nodes (a subset of its `NodeNames`). */
export interface JoinNodeNames {
  readonly name: string;
  readonly storeName?: string;
  readonly repartition?: RepartitionNames;
  readonly streamJoin?: StreamJoinNames;
}

/** How the naming pass sees one side of the join. */
export interface JoinSide {
  readonly window: JoinWindowNode;
  /** The side stream's processor name, which names its repartition topic when the join is not named. */
  readonly streamName: string;
  readonly keyChanged: boolean;
}

/**
 * Kafka Streams' `KStreamImpl.doJoin` then `KStreamImplJoin.join`, in counter order: a repartition topic for each
 * side whose keys changed (this side first, `<name>-left`/`-right` or the side's processor name), the two windowed
 * processors, the two join processors (`JOINTHIS`/`OUTERTHIS`, `JOINOTHER`/`OUTEROTHER`: "outer" on the side that
 * emits without a partner), then the merge. Store names burn no index: `<join processor>-store`, or
 * `<storeName><suffix>-store`; the shared store is `KSTREAM-OUTERSHARED-<this processor's index>-store`, or
 * `<storeName>-left-shared-join-store` / `-outer-shared-join-store`.
 */
export function nameStreamStreamJoin(
  node: StreamStreamJoinNode,
  sides: { readonly this: JoinSide; readonly other: JoinSide },
  counter: JoinNameCounter,
  record: (id: NodeId, names: JoinNodeNames) => void,
): JoinNodeNames {
  const { joinType, name, storeName } = node.join;
  const leftOuter = joinType !== 'inner';
  const rightOuter = joinType === 'outer';
  const thisRepartition = sides.this.keyChanged ? counter.repartitionNames(suffixed(name, '-left', sides.this.streamName)) : undefined;
  const otherRepartition = sides.other.keyChanged ? counter.repartitionNames(suffixed(name, '-right', sides.other.streamName)) : undefined;

  const thisWindowed = counter.suffixedOrGenerate(name, '-this-windowed', 'KSTREAM-WINDOWED-');
  const otherWindowed = counter.suffixedOrGenerate(name, '-other-windowed', 'KSTREAM-WINDOWED-');
  const thisPrefix = rightOuter ? 'KSTREAM-OUTERTHIS-' : 'KSTREAM-JOINTHIS-';
  const otherPrefix = leftOuter ? 'KSTREAM-OUTEROTHER-' : 'KSTREAM-JOINOTHER-';
  const thisGenerated = counter.processorName(thisPrefix);
  const otherGenerated = counter.processorName(otherPrefix);
  const thisSuffix = rightOuter ? '-outer-this-join' : '-this-join';
  const otherSuffix = leftOuter ? '-outer-other-join' : '-other-join';
  const merge = counter.suffixedOrGenerate(name, '-merge', 'KSTREAM-MERGE-');

  const names: StreamJoinNames = {
    thisWindowed,
    otherWindowed,
    thisJoin: suffixed(name, thisSuffix, thisGenerated),
    otherJoin: suffixed(name, otherSuffix, otherGenerated),
    merge,
    thisStore: `${suffixed(storeName, thisSuffix, thisGenerated)}-store`,
    otherStore: `${suffixed(storeName, otherSuffix, otherGenerated)}-store`,
    sharedStore: leftOuter ? sharedStoreName(storeName, rightOuter, thisGenerated.slice(thisPrefix.length)) : undefined,
  };
  record(sides.this.window.id, { name: thisWindowed, storeName: names.thisStore, ...(thisRepartition && { repartition: thisRepartition }) });
  record(sides.other.window.id, { name: otherWindowed, storeName: names.otherStore, ...(otherRepartition && { repartition: otherRepartition }) });
  return { name: merge, streamJoin: names };
}

/** `NamedInternal.suffixWithOrElseGet(suffix, otherwise)`: the two-argument form, which burns no index. */
function suffixed(base: string | undefined, suffix: string, otherwise: string): string {
  return base === undefined ? otherwise : base + suffix;
}

/** `OuterStreamJoinStoreFactory.buildOuterJoinWindowStoreName`. */
function sharedStoreName(storeName: string | undefined, outer: boolean, thisIndex: string): string {
  if (storeName !== undefined) return `${storeName}${outer ? '-outer-shared-join' : '-left-shared-join'}-store`;
  return `KSTREAM-OUTERSHARED-${thisIndex}-store`;
}
