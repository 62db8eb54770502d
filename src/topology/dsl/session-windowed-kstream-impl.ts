import type { Serde } from '../../core/serde.js';
import { Serdes } from '../../core/serdes.js';
import type { Windowed } from '../../core/windowed.js';
import { sessionWindowAggregateSupplier } from '../../windows/session-window-aggregate.js';
import type { SessionWindows } from '../../windows/session-windows.js';
import type { EmitStrategy } from '../../windows/windowed-aggregate-settings.js';
import type { AnyProcessorSupplier } from '../compiled-topology.js';
import type { GroupingSpec, NodeId, StreamAggregateOperation } from '../graph/graph-node.js';
import type { KTable, SessionWindowedKStream } from './dsl-api.js';
import type { DslContext } from './dsl-context.js';
import type { Aggregator, Initializer, Merger, Reducer } from './dsl-functions.js';
import type { WindowedMaterializedOptions } from './dsl-options.js';
import { reduceAggregator, reduceInitializer } from './reduce-adapters.js';
import { windowShapeOf } from './window-shape.js';
import { addWindowedAggregation, countBurnsStoreIndex } from './windowed-aggregation.js';

/** Kafka Streams' `SessionWindowedKStreamImpl`: aggregations per key and session, into a session store. */
export class SessionWindowedKStreamImpl<K, V> implements SessionWindowedKStream<K, V> {
  constructor(
    private readonly context: DslContext,
    private readonly parent: NodeId,
    private readonly grouping: GroupingSpec,
    private readonly windows: SessionWindows,
    private readonly strategy: EmitStrategy = 'onWindowUpdate',
  ) {}

  count(options?: WindowedMaterializedOptions<K, number>): KTable<Windowed<K>, number> {
    const withValueSerde = { ...options, valueSerde: options?.valueSerde ?? Serdes.Long() };
    const add = (_key: K, _value: V, count: number): number => count + 1;
    return this.aggregation<number>('count', () => 0, add, (_key, a, b) => a + b, withValueSerde, countBurnsStoreIndex(options));
  }

  reduce(reducer: Reducer<V>, options?: WindowedMaterializedOptions<K, V>): KTable<Windowed<K>, V> {
    const withValueSerde = { ...options, valueSerde: options?.valueSerde ?? (this.grouping.valueSerde as Serde<V> | undefined) };
    // Kafka Streams' `mergerForAggregator`: a session still holding the initial null takes the other one as is.
    const merger: Merger<K, V> = (key, a, b) => reduceAggregator<K, V>(reducer)(key, b, a);
    return this.aggregation<V>('reduce', reduceInitializer<V>(), reduceAggregator<K, V>(reducer), merger, withValueSerde, false);
  }

  aggregate<VA>(
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
    merger: Merger<K, VA>,
    options?: WindowedMaterializedOptions<K, VA>,
  ): KTable<Windowed<K>, VA> {
    return this.aggregation('aggregate', initializer, aggregator, merger, options, false);
  }

  emitStrategy(strategy: EmitStrategy): SessionWindowedKStream<K, V> {
    return new SessionWindowedKStreamImpl(this.context, this.parent, this.grouping, this.windows, strategy);
  }

  private aggregation<VA>(
    operation: StreamAggregateOperation,
    initializer: Initializer<VA>,
    aggregator: Aggregator<K, V, VA>,
    merger: Merger<K, VA>,
    options: WindowedMaterializedOptions<K, VA> | undefined,
    burnsExtraStoreIndex: boolean,
  ): KTable<Windowed<K>, VA> {
    const windows = this.windows;
    return addWindowedAggregation<K, VA>({
      ...windowShapeOf<K>(windows),
      context: this.context,
      parent: this.parent,
      grouping: this.grouping,
      operation,
      options,
      burnsExtraStoreIndex,
      emitStrategy: this.strategy,
      supplier: (settings) => sessionWindowAggregateSupplier(windows, initializer, aggregator, merger, settings) as AnyProcessorSupplier,
    });
  }
}
