import type { Serde } from '../../core/serde.js';
import { Serdes } from '../../core/serdes.js';
import type { Windowed } from '../../core/windowed.js';
import { slidingWindowAggregateSupplier } from '../../windows/sliding-window-aggregate.js';
import { SlidingWindows } from '../../windows/sliding-windows.js';
import { timeWindowAggregateSupplier } from '../../windows/time-window-aggregate.js';
import type { TimeWindows } from '../../windows/time-windows.js';
import type { EmitStrategy, WindowedAggregateSettings } from '../../windows/windowed-aggregate-settings.js';
import type { AnyProcessorSupplier } from '../compiled-topology.js';
import type { GroupingSpec, NodeId, StreamAggregateOperation } from '../graph/graph-node.js';
import type { KTable, TimeWindowedKStream } from './dsl-api.js';
import type { DslContext } from './dsl-context.js';
import type { Aggregator, Initializer, Reducer } from './dsl-functions.js';
import type { WindowedMaterializedOptions } from './dsl-options.js';
import { reduceAggregator, reduceInitializer } from './reduce-adapters.js';
import { windowShapeOf } from './window-shape.js';
import { addWindowedAggregation, countBurnsStoreIndex } from './windowed-aggregation.js';

/**
 * Kafka Streams' `TimeWindowedKStreamImpl` and `SlidingWindowedKStreamImpl`: aggregations per key and time window,
 * into a window store keyed by window start.
 */
export class TimeWindowedKStreamImpl<K, V> implements TimeWindowedKStream<K, V> {
  constructor(
    private readonly context: DslContext,
    private readonly parent: NodeId,
    private readonly grouping: GroupingSpec,
    private readonly windows: TimeWindows | SlidingWindows,
    private readonly strategy: EmitStrategy = 'onWindowUpdate',
  ) {}

  count(options?: WindowedMaterializedOptions<K, number>): KTable<Windowed<K>, number> {
    const burnsExtraStoreIndex = !(this.windows instanceof SlidingWindows) && countBurnsStoreIndex(options);
    const withValueSerde = { ...options, valueSerde: options?.valueSerde ?? Serdes.Long() };
    return this.aggregation<number>('count', () => 0, (_key, _value, count) => count + 1, withValueSerde, burnsExtraStoreIndex);
  }

  reduce(reducer: Reducer<V>, options?: WindowedMaterializedOptions<K, V>): KTable<Windowed<K>, V> {
    const withValueSerde = { ...options, valueSerde: options?.valueSerde ?? (this.grouping.valueSerde as Serde<V> | undefined) };
    return this.aggregation<V>('reduce', reduceInitializer<V>(), reduceAggregator<K, V>(reducer), withValueSerde, false);
  }

  aggregate<VA>(initializer: Initializer<VA>, aggregator: Aggregator<K, V, VA>, options?: WindowedMaterializedOptions<K, VA>): KTable<Windowed<K>, VA> {
    return this.aggregation('aggregate', initializer, aggregator, options, false);
  }

  emitStrategy(strategy: EmitStrategy): TimeWindowedKStream<K, V> {
    return new TimeWindowedKStreamImpl(this.context, this.parent, this.grouping, this.windows, strategy);
  }

  private aggregation<VA>(
    operation: StreamAggregateOperation,
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
    options: WindowedMaterializedOptions<K, VA> | undefined,
    burnsExtraStoreIndex: boolean,
  ): KTable<Windowed<K>, VA> {
    const windows = this.windows;
    const supplier = (settings: WindowedAggregateSettings): AnyProcessorSupplier =>
      (windows instanceof SlidingWindows
        ? slidingWindowAggregateSupplier(windows, initializer, aggregator, settings)
        : timeWindowAggregateSupplier(windows, initializer, aggregator, settings)) as AnyProcessorSupplier;
    return addWindowedAggregation<K, VA>({
      ...windowShapeOf<K>(windows),
      context: this.context,
      parent: this.parent,
      grouping: this.grouping,
      operation,
      options,
      burnsExtraStoreIndex,
      emitStrategy: this.strategy,
      supplier,
    });
  }
}
