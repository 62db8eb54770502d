import { TopologyError } from '../../core/errors.js';
import type { CogroupInput, GroupingSpec, NodeId } from '../graph/graph-node.js';
import type { KGroupedStream } from './dsl-api.js';
import type { Aggregator } from './dsl-functions.js';

/** How a grouped stream handle tells a cogroup where its records come from, without the cogroup importing it. */
export const GROUPED_INPUT = Symbol('groupedInput');

/** A grouped stream handle of this builder: its parent node and grouping. */
export interface GroupedInputSource {
  [GROUPED_INPUT](): { readonly parent: NodeId; readonly grouping: GroupingSpec };
}

/** One cogrouped stream: its input and the aggregator folding that input's records. */
export interface CogroupMember<K, VA> {
  readonly input: CogroupInput;
  readonly aggregator: Aggregator<K, unknown, VA>;
}

/**
 * The grouped streams of one cogroup, in the order they were added (Kafka Streams' `LinkedHashMap` of grouped
 * stream → aggregator): adding a stream again replaces its aggregator in place. Shared by the cogrouped stream and
 * the windowed streams made from it, as in Kafka Streams, so an input added later is seen by all of them.
 */
export class CogroupInputs<K, VA> {
  private readonly members = new Map<KGroupedStream<K, unknown>, CogroupMember<K, VA>>();

  add<V>(groupedStream: KGroupedStream<K, V>, aggregator: Aggregator<K, V, VA>): void {
    const handle = groupedStream as KGroupedStream<K, unknown>;
    const existing = this.members.get(handle);
    const input = existing?.input ?? newInput(groupedStream);
    this.members.set(handle, { input, aggregator: aggregator as Aggregator<K, unknown, VA> });
  }

  /** The inputs as they are now; an aggregation keeps the ones it was built from. */
  snapshot(): Array<CogroupMember<K, VA>> {
    return [...this.members.values()];
  }
}

function newInput(groupedStream: object): CogroupInput {
  const source = groupedStream as Partial<GroupedInputSource>;
  if (typeof source[GROUPED_INPUT] !== 'function') {
    throw new TopologyError('cogroup takes the grouped streams of a StreamsBuilder (groupByKey() or groupBy(...))');
  }
  const { parent, grouping } = source[GROUPED_INPUT]();
  return { parent, grouping, repartitionKey: {} };
}
