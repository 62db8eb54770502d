import { TopologyError } from '../../core/errors.js';
import type { JoinWindows } from '../../windows/join-windows.js';
import type { NodeId, StreamJoinSpec, StreamJoinType } from '../graph/graph-node.js';
import type { KStream } from './dsl-api.js';
import { anySerde, type DslContext, type HandleSerdes } from './dsl-context.js';
import type { StreamJoinedOptions } from './dsl-options.js';

/** One side of a join as the DSL sees it: its node and the serdes its handle knows. */
export interface JoinInput<K, V> {
  readonly node: NodeId;
  readonly serdes: HandleSerdes<K, V>;
}

/**
 * `KStreamImpl.doJoin` for two streams: a `join-window` node per side (this first), then the join node with both
 * as parents. The naming pass names all three together, and the repartition pass gives a side whose keys changed
 * its repartition topic. Both sides' inputs form one co-partition group; left and outer joins let null keys
 * through the repartition topics upstream (KIP-962), since they emit such records. The result knows
 * `StreamJoined`'s key serde only, as in Kafka Streams.
 */
export function addStreamStreamJoin<K, V, VO, VR>(
  context: DslContext,
  joinType: StreamJoinType,
  left: JoinInput<K, V>,
  right: JoinInput<K, VO>,
  joiner: (value: V, otherValue: VO, key: K) => VR,
  windows: JoinWindows,
  options: StreamJoinedOptions<K, V, VO> | undefined,
): KStream<K, VR> {
  if (typeof joiner !== 'function') throw new TopologyError(`${joinType === 'inner' ? 'join' : `${joinType}Join`}() needs a joiner function`);
  const spec: StreamJoinSpec = {
    joinType,
    beforeMs: windows.beforeMs,
    afterMs: windows.afterMs,
    graceMs: windows.graceMs,
    joiner: joiner as StreamJoinSpec['joiner'],
    name: options?.name,
    storeName: options?.storeName,
    storeType: options?.storeType ?? 'persistent',
    logging: options?.logging ?? true,
    thisKeySerde: anySerde(options?.keySerde ?? left.serdes.keySerde),
    otherKeySerde: anySerde(options?.keySerde ?? right.serdes.keySerde),
    thisValueSerde: anySerde(options?.valueSerde ?? left.serdes.valueSerde),
    otherValueSerde: anySerde(options?.otherValueSerde ?? right.serdes.valueSerde),
  };
  const thisWindow = context.addNode((id) => ({
    kind: 'join-window',
    id,
    parents: [left.node],
    userName: undefined,
    side: 'this',
    join: spec,
    keySerde: spec.thisKeySerde,
    valueSerde: spec.thisValueSerde,
  }));
  const otherWindow = context.addNode((id) => ({
    kind: 'join-window',
    id,
    parents: [right.node],
    userName: undefined,
    side: 'other',
    join: spec,
    keySerde: spec.otherKeySerde,
    valueSerde: spec.otherValueSerde,
  }));
  const join = context.addNode((id) => ({
    kind: 'stream-stream-join',
    id,
    parents: [thisWindow, otherWindow],
    userName: options?.name,
    join: spec,
    copartitionGroup: [thisWindow, otherWindow],
    ...(joinType === 'inner' ? {} : { relaxesNullKeys: true as const }),
  }));
  return context.stream(join, { keySerde: options?.keySerde, valueSerde: undefined });
}
