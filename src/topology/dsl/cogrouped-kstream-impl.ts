import type { AnyProcessorSupplier } from '../compiled-topology.js';
import { SessionWindows } from '../../windows/session-windows.js';
import type { SlidingWindows } from '../../windows/sliding-windows.js';
import type { TimeWindows } from '../../windows/time-windows.js';
import { streamAggregateSupplier } from './aggregate-processors.js';
import { addCogroupAggregation, cogroupKeySerde } from './cogroup-aggregation.js';
import { CogroupInputs } from './cogroup-inputs.js';
import { SessionWindowedCogroupedKStreamImpl, TimeWindowedCogroupedKStreamImpl } from './cogrouped-windowed-kstream-impl.js';
import type { CogroupedKStream, KGroupedStream, KTable, SessionWindowedCogroupedKStream, TimeWindowedCogroupedKStream } from './dsl-api.js';
import { anySerde, storeSpec, type DslContext } from './dsl-context.js';
import type { Aggregator, Initializer } from './dsl-functions.js';
import type { MaterializedOptions } from './dsl-options.js';

/** Kafka Streams' `CogroupedKStreamImpl`: grouped streams collected for one aggregation. */
export class CogroupedKStreamImpl<K, VA> implements CogroupedKStream<K, VA> {
  private readonly inputs: CogroupInputs<K, VA>;

  constructor(private readonly context: DslContext) {
    this.inputs = new CogroupInputs<K, VA>(context);
  }

  cogroup<V>(groupedStream: KGroupedStream<K, V>, aggregator: Aggregator<K, V, VA>): CogroupedKStream<K, VA> {
    this.inputs.add(groupedStream, aggregator);
    return this;
  }

  /** One `KStreamAggregate` per input into a timestamped key-value store (cached unless turned off). */
  aggregate(initializer: Initializer<VA>, options?: MaterializedOptions<K, VA>): KTable<K, VA> {
    const members = this.inputs.snapshot();
    const keySerde = options?.keySerde ?? cogroupKeySerde(members);
    const node = addCogroupAggregation<K, VA>({
      context: this.context,
      members,
      userName: options?.name,
      store: storeSpec(options, anySerde(keySerde), anySerde(options?.valueSerde)),
      supplier: (aggregator, binding) => streamAggregateSupplier(initializer, aggregator)(binding) as AnyProcessorSupplier,
    });
    return this.context.table(node, { keySerde, valueSerde: options?.valueSerde }, options?.storeName);
  }

  windowedBy(windows: TimeWindows | SlidingWindows): TimeWindowedCogroupedKStream<K, VA>;
  windowedBy(windows: SessionWindows): SessionWindowedCogroupedKStream<K, VA>;
  windowedBy(windows: TimeWindows | SlidingWindows | SessionWindows): TimeWindowedCogroupedKStream<K, VA> | SessionWindowedCogroupedKStream<K, VA> {
    if (windows instanceof SessionWindows) return new SessionWindowedCogroupedKStreamImpl(this.context, this.inputs, windows);
    return new TimeWindowedCogroupedKStreamImpl(this.context, this.inputs, windows);
  }
}
