import type { Windowed } from '../../core/windowed.js';
import { sessionWindowAggregateSupplier } from '../../windows/session-window-aggregate.js';
import type { SessionWindows } from '../../windows/session-windows.js';
import { slidingWindowAggregateSupplier } from '../../windows/sliding-window-aggregate.js';
import { SlidingWindows } from '../../windows/sliding-windows.js';
import { timeWindowAggregateSupplier } from '../../windows/time-window-aggregate.js';
import type { TimeWindows } from '../../windows/time-windows.js';
import { SharedWindowProgress } from '../../windows/shared-window-progress.js';
import type { EmitStrategy, WindowedAggregateSettings } from '../../windows/windowed-aggregate-settings.js';
import type { AnyProcessorSupplier } from '../compiled-topology.js';
import type { SupplierBinding } from '../graph/graph-node.js';
import { addCogroupAggregation, cogroupKeySerde } from './cogroup-aggregation.js';
import type { CogroupInputs } from './cogroup-inputs.js';
import type { KTable, SessionWindowedCogroupedKStream, TimeWindowedCogroupedKStream } from './dsl-api.js';
import type { DslContext } from './dsl-context.js';
import type { Aggregator, Initializer, Merger } from './dsl-functions.js';
import type { WindowedMaterializedOptions } from './dsl-options.js';
import { windowShapeOf } from './window-shape.js';
import { windowedStoreSpec } from './windowed-aggregation.js';

type WindowedSupplier<K, VA> = (aggregator: Aggregator<K, unknown, VA>, settings: WindowedAggregateSettings) => AnyProcessorSupplier;

/**
 * Kafka Streams' `TimeWindowedCogroupedKStreamImpl` and `SlidingWindowedCogroupedKStreamImpl`: each input's
 * `KStreamWindowAggregate` (or `KStreamSlidingWindowAggregate`) into one window store.
 */
export class TimeWindowedCogroupedKStreamImpl<K, VA> implements TimeWindowedCogroupedKStream<K, VA> {
  constructor(
    private readonly context: DslContext,
    private readonly inputs: CogroupInputs<K, VA>,
    private readonly windows: TimeWindows | SlidingWindows,
    private readonly strategy: EmitStrategy = 'onWindowUpdate',
  ) {}

  aggregate(initializer: Initializer<VA>, options?: WindowedMaterializedOptions<K, VA>): KTable<Windowed<K>, VA> {
    const windows = this.windows;
    const supplier: WindowedSupplier<K, VA> = (aggregator, settings) =>
      (windows instanceof SlidingWindows
        ? slidingWindowAggregateSupplier(windows, initializer, aggregator, settings)
        : timeWindowAggregateSupplier(windows, initializer, aggregator, settings)) as AnyProcessorSupplier;
    return addWindowedCogroupAggregation(this.context, this.inputs, windows, options, this.strategy, supplier);
  }

  emitStrategy(strategy: EmitStrategy): TimeWindowedCogroupedKStream<K, VA> {
    return new TimeWindowedCogroupedKStreamImpl(this.context, this.inputs, this.windows, strategy);
  }
}

/** Kafka Streams' `SessionWindowedCogroupedKStreamImpl`: each input's `KStreamSessionWindowAggregate` into one session store. */
export class SessionWindowedCogroupedKStreamImpl<K, VA> implements SessionWindowedCogroupedKStream<K, VA> {
  constructor(
    private readonly context: DslContext,
    private readonly inputs: CogroupInputs<K, VA>,
    private readonly windows: SessionWindows,
    private readonly strategy: EmitStrategy = 'onWindowUpdate',
  ) {}

  aggregate(initializer: Initializer<VA>, merger: Merger<K, VA>, options?: WindowedMaterializedOptions<K, VA>): KTable<Windowed<K>, VA> {
    const windows = this.windows;
    const supplier: WindowedSupplier<K, VA> = (aggregator, settings) =>
      sessionWindowAggregateSupplier(windows, initializer, aggregator, merger, settings) as AnyProcessorSupplier;
    return addWindowedCogroupAggregation(this.context, this.inputs, windows, options, this.strategy, supplier);
  }

  emitStrategy(strategy: EmitStrategy): SessionWindowedCogroupedKStream<K, VA> {
    return new SessionWindowedCogroupedKStreamImpl(this.context, this.inputs, this.windows, strategy);
  }
}

/** The windowed form of `CogroupedStreamAggregateBuilder.build`: the same nodes, on a window or session store. */
function addWindowedCogroupAggregation<K, VA>(
  context: DslContext,
  inputs: CogroupInputs<K, VA>,
  windows: TimeWindows | SlidingWindows | SessionWindows,
  options: WindowedMaterializedOptions<K, VA> | undefined,
  emitStrategy: EmitStrategy,
  supplier: WindowedSupplier<K, VA>,
): KTable<Windowed<K>, VA> {
  const members = inputs.snapshot();
  const shape = windowShapeOf<K>(windows);
  const keySerde = options?.keySerde ?? cogroupKeySerde(members);
  // Emitting on close, the inputs share their progress (see `SharedWindowProgress`); on update each keeps its own
  // stream time, as Kafka Streams' processors do.
  const sharedProgress = emitStrategy === 'onWindowClose' ? new SharedWindowProgress() : undefined;
  const node = addCogroupAggregation<K, VA>({
    context,
    members,
    userName: options?.name,
    store: windowedStoreSpec({ ...shape, options, emitStrategy }, keySerde),
    supplier: (aggregator, binding: SupplierBinding) =>
      supplier(aggregator, {
        processorName: binding.name,
        storeName: binding.storeName!,
        sendOldValues: binding.sendOldValues,
        emitStrategy,
        ...(sharedProgress === undefined ? {} : { sharedProgress }),
      }),
  });
  const tableKeySerde = keySerde === undefined ? undefined : shape.windowedKeySerde(keySerde);
  return context.table(node, { keySerde: tableKeySerde, valueSerde: options?.valueSerde }, options?.storeName);
}
