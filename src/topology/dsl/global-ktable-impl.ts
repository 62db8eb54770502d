import type { NodeId } from '../graph/graph-node.js';
import type { DslContext } from './dsl-context.js';
import type { GlobalKTable } from './global-ktable.js';

/** Kafka Streams' `GlobalKTableImpl`: a handle on the `global-table-source` node; it offers nothing but joins. */
export class GlobalKTableImpl<K, V> implements GlobalKTable<K, V> {
  constructor(
    private readonly context: DslContext,
    private readonly node: NodeId,
    readonly queryableStoreName: string | undefined,
  ) {}

  /** The node a stream of the same builder joins with; `undefined` for a stream of another builder. */
  joinNode(context: DslContext): NodeId | undefined {
    return context === this.context ? this.node : undefined;
  }
}
