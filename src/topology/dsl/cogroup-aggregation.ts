import type { Serde } from '../../core/serde.js';
import type { AnyProcessorSupplier } from '../compiled-topology.js';
import { passThrough } from '../graph/forwarding-processors.js';
import type { CogroupInput, CogroupSpec, NodeId, StoreSpec, SupplierBinding } from '../graph/graph-node.js';
import type { CogroupMember } from './cogroup-inputs.js';
import type { DslContext } from './dsl-context.js';
import type { Aggregator } from './dsl-functions.js';

/** What one `aggregate` of a cogrouped stream (windowed or not) adds to the graph. */
export interface CogroupAggregation<K, VA> {
  readonly context: DslContext;
  readonly members: ReadonlyArray<CogroupMember<K, VA>>;
  readonly userName: string | undefined;
  readonly store: StoreSpec;
  /** The aggregation processor of one input, folding with that input's aggregator. */
  readonly supplier: (aggregator: Aggregator<K, unknown, VA>, binding: SupplierBinding) => AnyProcessorSupplier;
}

/**
 * `CogroupedStreamAggregateBuilder.build`: one aggregation node per input, all on the same store, and the merge
 * node behind them, whose id is returned (it is the resulting table). The merge node declares the inputs'
 * co-partition group.
 */
export function addCogroupAggregation<K, VA>(aggregation: CogroupAggregation<K, VA>): NodeId {
  const { context, members, userName } = aggregation;
  const cogroup: CogroupSpec = { userName, store: aggregation.store, inputs: members.map((member) => member.input) };
  const aggregates = members.map((member, inputIndex) =>
    context.addNode((id) => ({
      kind: 'cogroup-aggregate',
      id,
      parents: [member.input.parent],
      userName,
      cogroup,
      inputIndex,
      supplier: (binding) => aggregation.supplier(member.aggregator, binding),
    })),
  );
  return context.addNode((id) => ({
    kind: 'cogroup-merge',
    id,
    parents: aggregates,
    userName,
    cogroup,
    // `processRepartitions` → `ensureCopartitionWith`: Kafka Streams groups the grouped streams' own sources, the
    // ones upstream of a repartition topic included, not the repartition topics.
    copartitionGroup: members.map((member) => member.input.parent),
    supplier: () => passThrough as AnyProcessorSupplier,
  }));
}

/**
 * The key serde of a cogroup's store when the options give none: the first input's grouping that knows one. All
 * inputs share the key type; Kafka Streams falls back to the default serde instead, which only the runtime knows.
 */
export function cogroupKeySerde<K>(members: ReadonlyArray<{ readonly input: CogroupInput }>): Serde<K> | undefined {
  return members.find((member) => member.input.grouping.keySerde !== undefined)?.input.grouping.keySerde as Serde<K> | undefined;
}
