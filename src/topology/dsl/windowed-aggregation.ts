import { TopologyError } from '../../core/errors.js';
import type { Serde } from '../../core/serde.js';
import type { Windowed } from '../../core/windowed.js';
import type { EmitStrategy, WindowedAggregateSettings } from '../../windows/windowed-aggregate-settings.js';
import type { AnyProcessorSupplier } from '../compiled-topology.js';
import type { GroupingSpec, NodeId, StreamAggregateOperation, StoreWindowing } from '../graph/graph-node.js';
import type { KTable } from './dsl-api.js';
import { anySerde, storeSpec, type DslContext } from './dsl-context.js';
import type { WindowedMaterializedOptions } from './dsl-options.js';

/** What a windowed aggregation needs from the handle that creates it. */
export interface WindowedAggregation<K, VA> {
  readonly context: DslContext;
  readonly parent: NodeId;
  readonly grouping: GroupingSpec;
  readonly operation: StreamAggregateOperation;
  readonly options: WindowedMaterializedOptions<K, VA> | undefined;
  /** Kafka Streams' `count(Materialized)` on time and session windows burns a store index (see `StreamAggregateNode`). */
  readonly burnsExtraStoreIndex: boolean;
  readonly emitStrategy: EmitStrategy;
  /** The window store's window size, or `undefined` for a session store. */
  readonly windowSizeMs: number | undefined;
  /** See `StoreWindowing.closeDelayMs`. */
  readonly closeDelayMs: number;
  /**
   * Sliding windows and sessions close once stream time is strictly past their end + grace (+ gap): one ms after
   * a store at the minimum retention drops them (time windows close as they expire, and are emitted first).
   */
  readonly closesAfterExpiry: boolean;
  /** The least retention that keeps every window until it closes, and how Kafka Streams words it. */
  readonly minimumRetentionMs: number;
  readonly minimumRetentionRule: string;
  /** The serde of the resulting table's `Windowed` keys, from the inner key serde. */
  readonly windowedKeySerde: (keySerde: Serde<K>) => Serde<Windowed<K>>;
  readonly supplier: (settings: WindowedAggregateSettings) => AnyProcessorSupplier;
}

/**
 * Adds a windowed aggregation to the graph: a `stream-aggregate` node (so naming and repartitioning follow Kafka
 * Streams' grouped aggregations) whose store is a window or session store, without a cache.
 */
export function addWindowedAggregation<K, VA>(aggregation: WindowedAggregation<K, VA>): KTable<Windowed<K>, VA> {
  const { context, options, grouping } = aggregation;
  if (options?.caching === true) {
    throw new TopologyError('windowed aggregations keep no cache (every update is emitted): remove caching: true', {
      coordinates: { store: options.storeName },
    });
  }
  const emitOnClose = aggregation.emitStrategy === 'onWindowClose';
  // Emitting on close must still find a closed window in the store, so where windows close after they expire the
  // store keeps them one ms longer.
  const extraMs = emitOnClose && aggregation.closesAfterExpiry ? 1 : 0;
  const minimumRetentionMs = aggregation.minimumRetentionMs + extraMs;
  const retentionMs = options?.retentionMs ?? minimumRetentionMs;
  if (!Number.isSafeInteger(retentionMs) || retentionMs < minimumRetentionMs) {
    const rule = aggregation.minimumRetentionRule + (extraMs > 0 ? ' (plus 1 ms to emit on window close)' : '');
    throw new TopologyError(`The retention period of the store must be no smaller than ${rule} (${minimumRetentionMs} ms), got ${retentionMs} ms`, {
      coordinates: { store: options?.storeName },
    });
  }
  const windowing: StoreWindowing =
    aggregation.windowSizeMs === undefined
      ? { kind: 'session', retentionMs, emitOnClose, closeDelayMs: aggregation.closeDelayMs }
      : { kind: 'window', windowSizeMs: aggregation.windowSizeMs, retentionMs, emitOnClose, closeDelayMs: aggregation.closeDelayMs };
  const keySerde = options?.keySerde ?? (grouping.keySerde as Serde<K> | undefined);
  const valueSerde = options?.valueSerde;
  const node = context.addNode((id) => ({
    kind: 'stream-aggregate',
    id,
    parents: [aggregation.parent],
    userName: options?.name,
    operation: aggregation.operation,
    grouping,
    burnsExtraStoreIndex: aggregation.burnsExtraStoreIndex,
    store: { ...storeSpec({ ...options, caching: false }, anySerde(keySerde), anySerde(valueSerde)), windowing },
    supplier: (binding) =>
      aggregation.supplier({
        processorName: binding.name,
        storeName: binding.storeName!,
        sendOldValues: binding.sendOldValues,
        emitStrategy: aggregation.emitStrategy,
      }),
  }));
  const tableKeySerde = keySerde === undefined ? undefined : aggregation.windowedKeySerde(keySerde);
  return context.table(node, { keySerde: tableKeySerde, valueSerde }, options?.storeName);
}

/** Whether `count(options)` is Kafka Streams' `count(Materialized)` with an unnamed store (see `StreamAggregateNode`). */
export function countBurnsStoreIndex(options: WindowedMaterializedOptions<unknown, unknown> | undefined): boolean {
  return options !== undefined && Object.keys(options).some((option) => option !== 'name');
}
