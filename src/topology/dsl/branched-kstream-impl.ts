import type { NodeId } from '../graph/graph-node.js';
import type { BranchedKStream, BranchOptions, KStream } from './dsl-api.js';
import type { DslContext, HandleSerdes } from './dsl-context.js';
import type { Predicate } from './dsl-functions.js';

/**
 * Kafka Streams' `BranchedKStreamImpl`. Branches are appended to the graph as they are declared, and the map of
 * branch streams grows with them; the split node routes by the branch nodes' predicates, in declaration order.
 */
export class BranchedKStreamImpl<K, V> implements BranchedKStream<K, V> {
  private readonly branches = new Map<string, KStream<K, V>>();
  private branchCount = 0;

  constructor(
    private readonly context: DslContext,
    private readonly split: NodeId,
    private readonly serdes: HandleSerdes<K, V>,
  ) {}

  branch(predicate: Predicate<K, V>, options?: BranchOptions<K, V>): BranchedKStream<K, V> {
    this.branchCount++;
    this.addBranch(predicate as (key: unknown, value: unknown) => boolean, String(this.branchCount), options);
    return this;
  }

  defaultBranch(options?: BranchOptions<K, V>): Map<string, KStream<K, V>> {
    this.addBranch(null, '0', options);
    return this.branches;
  }

  noDefaultBranch(): Map<string, KStream<K, V>> {
    return this.branches;
  }

  private addBranch(predicate: ((key: unknown, value: unknown) => boolean) | null, position: string, options: BranchOptions<K, V> | undefined): void {
    const suffix = options?.name ?? position;
    const node = this.context.addNode((id) => ({ kind: 'branch', id, parents: [this.split], userName: undefined, suffix, predicate }));
    const stream = this.context.stream(node, this.serdes);
    const result = options?.withChain === undefined ? stream : options.withChain(stream);
    if (result !== undefined) this.branches.set(this.context.nameOf(node), result);
  }
}
