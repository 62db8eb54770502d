import { TopologyError } from '../../core/errors.js';
import type { CogroupInput, GroupingSpec, NodeId } from '../graph/graph-node.js';
import type { KGroupedStream } from './dsl-api.js';
import type { DslContext } from './dsl-context.js';
import type { Aggregator } from './dsl-functions.js';

/** How a grouped stream handle tells a cogroup where its records come from, without the cogroup importing it. */
export const GROUPED_INPUT = Symbol('groupedInput');

/** A grouped stream handle: its builder's context, its parent node and its grouping. */
export interface GroupedInputSource {
  [GROUPED_INPUT](): { readonly context: DslContext; readonly parent: NodeId; readonly grouping: GroupingSpec };
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

  constructor(private readonly context: DslContext) {}

  add<V>(groupedStream: KGroupedStream<K, V>, aggregator: Aggregator<K, V, VA>): void {
    const handle = groupedStream as KGroupedStream<K, unknown>;
    const existing = this.members.get(handle);
    const input = existing?.input ?? newInput(groupedStream, this.context);
    this.members.set(handle, { input, aggregator: aggregator as Aggregator<K, unknown, VA> });
  }

  /** The inputs as they are now; an aggregation keeps the ones it was built from. */
  snapshot(): Array<CogroupMember<K, VA>> {
    return [...this.members.values()];
  }
}

function newInput(groupedStream: object, context: DslContext): CogroupInput {
  const source = groupedStream as Partial<GroupedInputSource>;
  const found = typeof source[GROUPED_INPUT] === 'function' ? source[GROUPED_INPUT]() : undefined;
  if (found?.context !== context) {
    throw new TopologyError('cogroup takes grouped streams of the same StreamsBuilder (groupByKey() or groupBy(...))');
  }
  return { parent: found.parent, grouping: found.grouping, repartitionKey: {} };
}
