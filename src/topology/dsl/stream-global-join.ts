import type { NodeId, StreamGlobalJoinNode } from '../graph/graph-node.js';
import type { TableValueGetterSupplier } from '../graph/table-value-getter.js';
import { streamTableJoinSupplier, type StreamTableJoiner } from '../joins/stream-table-join-processor.js';
import type { DslContext, HandleSerdes } from './dsl-context.js';
import type { KeyValueMapper } from './dsl-functions.js';
import type { NamedOptions } from './dsl-options.js';

/**
 * Kafka Streams' `KStreamImpl.globalTableJoin`: the stream-table join processor under the stream, with the user's
 * key selector as its key mapper and the global store's getter as its table. The stream is never repartitioned
 * for it (its keys stay as they are, changed or not), and a left join lets null keys through upstream repartition
 * topics (KIP-962). The result keeps the stream's key serde and has no value serde.
 */
export function addStreamGlobalJoin<K, V, GK, GV, VR>(
  context: DslContext,
  stream: { readonly node: NodeId; readonly serdes: HandleSerdes<K, V> },
  globalTable: NodeId,
  keySelector: KeyValueMapper<K, V, GK | null>,
  joiner: StreamTableJoiner<K, V, GV, VR>,
  options: NamedOptions | undefined,
  leftJoin: boolean,
): { node: NodeId; serdes: HandleSerdes<K, VR> } {
  const node = context.addNode(
    (id): StreamGlobalJoinNode => ({
      kind: 'stream-global-join',
      id,
      parents: [stream.node],
      userName: options?.name,
      readsTables: [globalTable],
      ...(leftJoin ? { relaxesNullKeys: true as const } : {}),
      leftJoin,
      supplier: (binding) =>
        streamTableJoinSupplier<K, V, GK, GV, VR>({
          name: binding.name,
          keyMapper: keySelector,
          getter: binding.valueGetters[0]! as TableValueGetterSupplier<GK, GV>,
          joiner,
          leftJoin,
        }),
    }),
  );
  return { node, serdes: { keySerde: stream.serdes.keySerde, valueSerde: undefined } };
}
