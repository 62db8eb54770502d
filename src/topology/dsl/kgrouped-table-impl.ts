import { TopologyError } from '../../core/errors.js';
import { Serdes } from '../../core/serdes.js';
import type { Serde } from '../../core/serde.js';
import type { GroupingSpec, NodeId, SupplierFactory, TableAggregateOperation } from '../graph/graph-node.js';
import { tableAggregateSupplier, tableReduceSupplier } from './aggregate-processors.js';
import { changeSerde } from './change-serde.js';
import type { KGroupedTable, KTable } from './dsl-api.js';
import { anySerde, storeSpec, type DslContext } from './dsl-context.js';
import type { Aggregator, Initializer, Reducer } from './dsl-functions.js';
import type { MaterializedOptions } from './dsl-options.js';

/** Kafka Streams' `KGroupedTableImpl`: aggregations that add new values and subtract the ones they replace. */
export class KGroupedTableImpl<K, V> implements KGroupedTable<K, V> {
  constructor(
    private readonly context: DslContext,
    private readonly groupBy: NodeId,
    private readonly grouping: GroupingSpec,
  ) {}

  count(options?: MaterializedOptions<K, number>): KTable<K, number> {
    const counting = tableAggregateSupplier<K, V, number>(
      () => 0,
      (_key, _value, count) => count + 1,
      (_key, _value, count) => count - 1,
    );
    return this.aggregation('count', counting, { ...options, valueSerde: options?.valueSerde ?? Serdes.Long() });
  }

  reduce(adder: Reducer<V>, subtractor: Reducer<V>, options?: MaterializedOptions<K, V>): KTable<K, V> {
    const valueSerde = options?.valueSerde ?? (this.grouping.valueSerde as Serde<V> | undefined);
    return this.aggregation('reduce', tableReduceSupplier(adder, subtractor), { ...options, valueSerde });
  }

  aggregate<VA>(
    initializer: Initializer<VA>,
    adder: Aggregator<K, V, VA>,
    subtractor: Aggregator<K, V, VA>,
    options?: MaterializedOptions<K, VA>,
  ): KTable<K, VA> {
    return this.aggregation('aggregate', tableAggregateSupplier(initializer, adder, subtractor), options);
  }

  private aggregation<VA>(operation: TableAggregateOperation, supplier: SupplierFactory, options: MaterializedOptions<K, VA> | undefined): KTable<K, VA> {
    const keySerde = options?.keySerde ?? (this.grouping.keySerde as Serde<K> | undefined);
    const valueSerde = options?.valueSerde;
    const repartitionValueSerde = changeSerde(this.requireGroupedValueSerde()) as Serde<unknown>;
    const node = this.context.addNode((id) => ({
      kind: 'table-aggregate',
      id,
      parents: [this.groupBy],
      userName: options?.name,
      operation,
      grouping: this.grouping,
      store: storeSpec(options, anySerde(keySerde), anySerde(valueSerde)),
      repartitionValueSerde,
      supplier,
    }));
    return this.context.table(node, { keySerde, valueSerde }, options?.storeName);
  }

  /**
   * The repartition topic carries old and new values in one record, serialized by a wrapper around this serde;
   * unlike a plain topic it cannot fall back to the application's default serde, which only the runtime knows.
   */
  private requireGroupedValueSerde(): Serde<unknown> {
    if (this.grouping.valueSerde !== undefined) return this.grouping.valueSerde;
    throw new TopologyError('KTable.groupBy() needs a valueSerde in its options before the grouped table can be aggregated');
  }
}
