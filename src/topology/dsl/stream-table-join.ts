import { TopologyError } from '../../core/errors.js';
import type { Serde } from '../../core/serde.js';
import type { NodeId, StreamTableJoinNode } from '../graph/graph-node.js';
import { requireSerde } from '../graph/store-materializer.js';
import { streamTableJoinSupplier, type StreamTableJoiner } from '../joins/stream-table-join-processor.js';
import { Stores } from '../../state/stores.js';
import { TimeOrderedBufferStoreBuilder } from '../../state/time-ordered-buffer-store.js';
import type { TableValueGetterSupplier } from '../graph/table-value-getter.js';
import { anySerde, type DslContext, type HandleSerdes } from './dsl-context.js';
import type { JoinedOptions } from './dsl-options.js';

const NOT_VERSIONED = 'KTable must be versioned to use a grace period in a stream table join.';

/** One side of a stream-table join as the DSL knows it: its node and serdes. */
export interface StreamTableJoinSide<K, V> {
  readonly node: NodeId;
  readonly serdes: HandleSerdes<K, V>;
}

/**
 * Kafka Streams' `KStreamImpl.join/leftJoin(KTable, joiner, Joined)` → `doStreamTableJoin`: one processor under the
 * stream (behind a repartition topic when the stream's keys changed) that looks the table up through its value
 * getter, which materializes a source table. With `gracePeriodMs` the table must be versioned with at least that
 * much history, and the processor keeps its `<name>-Buffer` store. The result keeps the stream's key serde
 * (`Joined`'s first) and has no value serde.
 */
export function addStreamTableJoin<K, V, VT, VR>(
  context: DslContext,
  stream: StreamTableJoinSide<K, V>,
  table: StreamTableJoinSide<K, VT>,
  joiner: StreamTableJoiner<K, V, VT, VR>,
  options: JoinedOptions<K, V, VT> | undefined,
  leftJoin: boolean,
): { node: NodeId; serdes: HandleSerdes<K, VR> } {
  const keySerde = options?.keySerde ?? stream.serdes.keySerde;
  const valueSerde = options?.valueSerde ?? stream.serdes.valueSerde;
  const gracePeriodMs = options?.gracePeriodMs;
  if (gracePeriodMs !== undefined) checkGrace(context, table.node, gracePeriodMs);
  const node = context.addNode(
    (id): StreamTableJoinNode => ({
      kind: 'stream-table-join',
      id,
      parents: [stream.node],
      userName: options?.name,
      readsTables: [table.node],
      copartitionGroup: [stream.node, table.node],
      ...(leftJoin ? { relaxesNullKeys: true as const } : {}),
      leftJoin,
      keySerde: anySerde(keySerde),
      valueSerde: anySerde(valueSerde),
      grace: gracePeriodMs === undefined ? undefined : { gracePeriodMs, bufferStore: (storeName) => bufferStore(storeName, gracePeriodMs, keySerde, valueSerde) },
      supplier: (binding) =>
        streamTableJoinSupplier<K, V, K, VT, VR>({
          name: binding.name,
          keyMapper: (key) => key,
          getter: binding.valueGetters[0]! as TableValueGetterSupplier<K, VT>,
          joiner,
          leftJoin,
          grace: gracePeriodMs === undefined ? undefined : { gracePeriodMs, bufferStoreName: binding.storeName! },
        }),
    }),
  );
  return { node, serdes: { keySerde, valueSerde: undefined } };
}

/**
 * The buffer of stream records waiting out the grace period: SQLite, change-logged, with the stream's serdes.
 * Kafka Streams' buffer takes the application's default serdes; ours cannot (stores are built before the runtime
 * knows them), so it needs `Joined`'s or the stream's.
 */
function bufferStore<K, V>(storeName: string, gracePeriodMs: number, keySerde: Serde<K> | undefined, valueSerde: Serde<V> | undefined) {
  return new TimeOrderedBufferStoreBuilder<K, V>(
    Stores.persistentKeyValueStore(storeName),
    requireSerde(anySerde(keySerde), 'key', storeName) as Serde<K>,
    requireSerde(anySerde(valueSerde), 'value', storeName) as Serde<V>,
    gracePeriodMs,
  );
}

/**
 * `doStreamTableJoin` and `StreamTableJoinNode.writeToTopology`: a grace period needs every store the table is
 * looked up in to be versioned, with a history retention no shorter than the grace.
 */
function checkGrace(context: DslContext, table: NodeId, gracePeriodMs: number): void {
  if (!Number.isSafeInteger(gracePeriodMs) || gracePeriodMs < 0) {
    throw new TopologyError(`gracePeriodMs must be a non-negative integer, got ${gracePeriodMs}`);
  }
  for (const retentionMs of versionedRetentionsOf(context, table)) {
    if (retentionMs === null) throw new TopologyError(NOT_VERSIONED);
    if (gracePeriodMs > retentionMs) throw new TopologyError('History retention must be at least grace period.');
  }
}

/** The history retention of each store a lookup of `id` reads (`null`: not versioned), as the value getter walks. */
function versionedRetentionsOf(context: DslContext, id: NodeId): Array<number | null> {
  const node = context.node(id);
  if (node.kind === 'table-source' || node.kind === 'to-table') return [node.store.versioned?.historyRetentionMs ?? null];
  if (node.view !== undefined) return node.parents.flatMap((parent) => versionedRetentionsOf(context, parent));
  return [null];
}
