import type { CogroupAggregateNode } from './graph-node.js';

/**
 * The build priority of the repartition topic in front of a cogroup input. `CogroupedStreamAggregateBuilder`
 * attaches every input's repartition node (in input order) before the first input's aggregation, and a reused one
 * stays where it was first attached. The aggregation nodes of one cogroup are created one after another, so the
 * first sits `inputIndex` ids before this one; the repartition nodes share the half-step before it.
 */
export function cogroupRepartitionPriority(node: CogroupAggregateNode): number {
  const firstAggregate = node.id - node.inputIndex;
  return firstAggregate - 0.5 + node.inputIndex / (2 * node.cogroup.inputs.length);
}
