import { TopologyError } from '../../core/errors.js';
import type { Serde } from '../../core/serde.js';
import type { Windowed } from '../../core/windowed.js';
import type { EmitStrategy, WindowedAggregateSettings } from '../../windows/windowed-aggregate-settings.js';
import type { AnyProcessorSupplier } from '../compiled-topology.js';
import type { GroupingSpec, NodeId, StoreSpec, StreamAggregateOperation, StoreWindowing } from '../graph/graph-node.js';
import type { KTable } from './dsl-api.js';
import { anySerde, storeSpec, type DslContext } from './dsl-context.js';
import type { WindowedMaterializedOptions } from './dsl-options.js';
import type { WindowShape } from './window-shape.js';

/** How a windowed aggregation keeps its results: the windows' shape, the user's options and the emit strategy. */
export interface WindowedStoreRequest<K, VA> extends WindowShape<K> {
  readonly options: WindowedMaterializedOptions<K, VA> | undefined;
  readonly emitStrategy: EmitStrategy;
}

/** What a windowed aggregation needs from the handle that creates it. */
export interface WindowedAggregation<K, VA> extends WindowedStoreRequest<K, VA> {
  readonly context: DslContext;
  readonly parent: NodeId;
  readonly grouping: GroupingSpec;
  readonly operation: StreamAggregateOperation;
  /** Kafka Streams' `count(Materialized)` on time and session windows burns a store index (see `StreamAggregateNode`). */
  readonly burnsExtraStoreIndex: boolean;
  readonly supplier: (settings: WindowedAggregateSettings) => AnyProcessorSupplier;
}

/**
 * Adds a windowed aggregation to the graph: a `stream-aggregate` node (so naming and repartitioning follow Kafka
 * Streams' grouped aggregations) whose store is a window or session store.
 */
export function addWindowedAggregation<K, VA>(aggregation: WindowedAggregation<K, VA>): KTable<Windowed<K>, VA> {
  const { context, options, grouping } = aggregation;
  const keySerde = options?.keySerde ?? (grouping.keySerde as Serde<K> | undefined);
  const store = windowedStoreSpec(aggregation, keySerde);
  const node = context.addNode((id) => ({
    kind: 'stream-aggregate',
    id,
    parents: [aggregation.parent],
    userName: options?.name,
    operation: aggregation.operation,
    grouping,
    burnsExtraStoreIndex: aggregation.burnsExtraStoreIndex,
    store,
    supplier: (binding) =>
      aggregation.supplier({
        processorName: binding.name,
        storeName: binding.storeName!,
        sendOldValues: binding.sendOldValues,
        emitStrategy: aggregation.emitStrategy,
      }),
  }));
  const tableKeySerde = keySerde === undefined ? undefined : aggregation.windowedKeySerde(keySerde);
  return context.table(node, { keySerde: tableKeySerde, valueSerde: options?.valueSerde }, options?.storeName);
}

/**
 * The window or session store of a windowed aggregation, keyed by `keySerde`, cached unless `caching: false`.
 * Refuses a retention too short to keep every window until it closes.
 */
export function windowedStoreSpec<K, VA>(request: WindowedStoreRequest<K, VA>, keySerde: Serde<K> | undefined): StoreSpec {
  const { options } = request;
  const emitOnClose = request.emitStrategy === 'onWindowClose';
  // Emitting on close must still find a closed window in the store, so where windows close after they expire the
  // store keeps them one ms longer.
  const extraMs = emitOnClose && request.closesAfterExpiry ? 1 : 0;
  const minimumRetentionMs = request.minimumRetentionMs + extraMs;
  const retentionMs = options?.retentionMs ?? minimumRetentionMs;
  if (!Number.isSafeInteger(retentionMs) || retentionMs < minimumRetentionMs) {
    const rule = request.minimumRetentionRule + (extraMs > 0 ? ' (plus 1 ms to emit on window close)' : '');
    throw new TopologyError(`The retention period of the store must be no smaller than ${rule} (${minimumRetentionMs} ms), got ${retentionMs} ms`, {
      coordinates: { store: options?.storeName },
    });
  }
  const windowing: StoreWindowing =
    request.windowSizeMs === undefined
      ? { kind: 'session', retentionMs, emitOnClose, closeDelayMs: request.closeDelayMs }
      : { kind: 'window', windowSizeMs: request.windowSizeMs, retentionMs, emitOnClose, closeDelayMs: request.closeDelayMs };
  // Cached by default, as in Kafka Streams, which leaves session stores emitting on close uncached.
  const caching = (options?.caching ?? true) && !(emitOnClose && windowing.kind === 'session');
  return { ...storeSpec({ ...options, caching }, anySerde(keySerde), anySerde(options?.valueSerde)), windowing };
}

/** Whether `count(options)` is Kafka Streams' `count(Materialized)` with an unnamed store (see `StreamAggregateNode`). */
export function countBurnsStoreIndex(options: WindowedMaterializedOptions<unknown, unknown> | undefined): boolean {
  return options !== undefined && Object.keys(options).some((option) => option !== 'name');
}
