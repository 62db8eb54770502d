import { Serdes } from '../../core/serdes.js';
import type { GroupingSpec, NodeId, StreamAggregateOperation, SupplierFactory } from '../graph/graph-node.js';
import { streamAggregateSupplier, streamReduceSupplier } from './aggregate-processors.js';
import { SessionWindows } from '../../windows/session-windows.js';
import type { SlidingWindows } from '../../windows/sliding-windows.js';
import type { TimeWindows } from '../../windows/time-windows.js';
import { GROUPED_INPUT, type GroupedInputSource } from './cogroup-inputs.js';
import { CogroupedKStreamImpl } from './cogrouped-kstream-impl.js';
import type { CogroupedKStream, KGroupedStream, KTable, SessionWindowedKStream, TimeWindowedKStream } from './dsl-api.js';
import { anySerde, storeSpec, type DslContext } from './dsl-context.js';
import type { Aggregator, Initializer, Reducer } from './dsl-functions.js';
import type { MaterializedOptions } from './dsl-options.js';
import { SessionWindowedKStreamImpl } from './session-windowed-kstream-impl.js';
import { TimeWindowedKStreamImpl } from './time-windowed-kstream-impl.js';

/** Kafka Streams' `KGroupedStreamImpl`: aggregations of a stream grouped by key. */
export class KGroupedStreamImpl<K, V> implements KGroupedStream<K, V>, GroupedInputSource {
  constructor(
    private readonly context: DslContext,
    private readonly parent: NodeId,
    private readonly grouping: GroupingSpec,
  ) {}

  /**
   * With no options or only a `name`, names follow Kafka Streams' `count()`; with store options they follow
   * `count(Materialized)`, which burns one more index when the store is not named.
   */
  count(options?: MaterializedOptions<K, number>): KTable<K, number> {
    const burnsExtraStoreIndex = options !== undefined && Object.keys(options).some((option) => option !== 'name');
    const counting = streamAggregateSupplier<K, V, number>(() => 0, (_key, _value, count) => count + 1);
    return this.aggregation('count', counting, { ...options, valueSerde: options?.valueSerde ?? Serdes.Long() }, burnsExtraStoreIndex);
  }

  reduce(reducer: Reducer<V>, options?: MaterializedOptions<K, V>): KTable<K, V> {
    const valueSerde = options?.valueSerde ?? (this.grouping.valueSerde as MaterializedOptions<K, V>['valueSerde']);
    return this.aggregation('reduce', streamReduceSupplier<K, V>(reducer), { ...options, valueSerde }, false);
  }

  aggregate<VA>(initializer: Initializer<VA>, aggregator: Aggregator<K, V, VA>, options?: MaterializedOptions<K, VA>): KTable<K, VA> {
    return this.aggregation('aggregate', streamAggregateSupplier(initializer, aggregator), options, false);
  }

  windowedBy(windows: TimeWindows | SlidingWindows): TimeWindowedKStream<K, V>;
  windowedBy(windows: SessionWindows): SessionWindowedKStream<K, V>;
  windowedBy(windows: TimeWindows | SlidingWindows | SessionWindows): TimeWindowedKStream<K, V> | SessionWindowedKStream<K, V> {
    if (windows instanceof SessionWindows) return new SessionWindowedKStreamImpl(this.context, this.parent, this.grouping, windows);
    return new TimeWindowedKStreamImpl(this.context, this.parent, this.grouping, windows);
  }

  cogroup<VA>(aggregator: Aggregator<K, V, VA>): CogroupedKStream<K, VA> {
    return new CogroupedKStreamImpl<K, VA>(this.context).cogroup(this, aggregator);
  }

  [GROUPED_INPUT](): { context: DslContext; parent: NodeId; grouping: GroupingSpec } {
    return { context: this.context, parent: this.parent, grouping: this.grouping };
  }

  private aggregation<VA>(
    operation: StreamAggregateOperation,
    supplier: SupplierFactory,
    options: MaterializedOptions<K, VA> | undefined,
    burnsExtraStoreIndex: boolean,
  ): KTable<K, VA> {
    const keySerde = options?.keySerde ?? (this.grouping.keySerde as MaterializedOptions<K, VA>['keySerde']);
    const valueSerde = options?.valueSerde;
    const node = this.context.addNode((id) => ({
      kind: 'stream-aggregate',
      id,
      parents: [this.parent],
      userName: options?.name,
      operation,
      grouping: this.grouping,
      burnsExtraStoreIndex,
      store: storeSpec(options, anySerde(keySerde), anySerde(valueSerde)),
      supplier,
    }));
    return this.context.table(node, { keySerde, valueSerde }, options?.storeName);
  }
}
