import type { RepartitionNames, StreamTableJoinNode } from './graph-node.js';

/** The counter operations a stream-table join's naming uses (`name-nodes.ts`' `NameCounter`). */
export interface StreamTableJoinNameCounter {
  orGenerate(userName: string | undefined, prefix: string): string;
  repartitionNames(topicPrefix: string): RepartitionNames;
}

/**
 * Kafka Streams' `KStreamImpl.join/leftJoin(KTable)` in counter order: first, if the stream's keys changed, its
 * repartition topic (`<Joined name>-repartition`, or else the stream processor's name + `-repartition`; three
 * indices); then the join processor, which burns an index even when named; with a grace period, the buffer store
 * `<join name>-Buffer` (no index).
 */
export function nameStreamTableJoin(
  node: StreamTableJoinNode,
  counter: StreamTableJoinNameCounter,
  streamName: string,
  streamKeyChanged: boolean,
): { name: string; storeName?: string; repartition?: RepartitionNames } {
  const repartition = streamKeyChanged ? counter.repartitionNames(node.userName ?? streamName) : undefined;
  const name = counter.orGenerate(node.userName, node.leftJoin ? 'KSTREAM-LEFTJOIN-' : 'KSTREAM-JOIN-');
  const storeName = node.grace === undefined ? undefined : `${name}-Buffer`;
  return { name, ...(storeName === undefined ? {} : { storeName }), ...(repartition === undefined ? {} : { repartition }) };
}
