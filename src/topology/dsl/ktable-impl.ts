import type { KeyValue } from '../../state/key-value.js';
import type { NodeId } from '../graph/graph-node.js';
import type { KGroupedTable, KStream, KTable } from './dsl-api.js';
import { anySerde, type DslContext, type HandleSerdes } from './dsl-context.js';
import type { KeyValueMapper, Predicate, ValueMapper } from './dsl-functions.js';
import { windowGraceOf } from './window-grace.js';
import type { GroupedOptions, NamedOptions } from './dsl-options.js';
import { requireSerde } from '../graph/store-materializer.js';
import { derivedGetterSupplier } from '../graph/value-getters.js';
import { toStreamSupplier } from './stream-processors.js';
import { suppressionBufferStoreBuilder } from '../../state/suppression/suppression-buffer-store.js';
import type { Suppressed } from './suppress/suppressed.js';
import { suppressSupplier } from './suppress/suppress-processor.js';
import { tableFilterSupplier, tableGroupBySupplier, tableMapValuesSupplier } from './table-processors.js';
import { TopologyError } from '../../core/errors.js';
import type { MaterializedOptions } from './dsl-options.js';
import type { ForeignKeyExtractor, TableJoiner, TableLeftJoiner, TableOuterJoiner } from './table-joiners.js';
import type { ForeignKeyJoinOptions } from './dsl-options.js';
import { addForeignKeyJoin } from './foreign-key-join.js';
import type { AnyForeignKeyExtractor } from '../joins/fk/subscription-send-processor.js';
import { addTableTableJoin, type JoinedTable } from './table-table-join.js';
import { isVersionedTable } from './versioned-semantics.js';
import type { AnyTableJoiner } from '../joins/table-table-join-processors.js';
import type { TableJoinType } from '../graph/graph-node.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the implementation signatures behind the typed join overloads */
type AnyFunction = (...args: any[]) => any;
type AnyTable = KTable<any, any>;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Kafka Streams' `KTableImpl`: operations on a changelog stream, passing `Change` values between nodes. */
export class KTableImpl<K, V> implements KTable<K, V> {
  constructor(
    private readonly context: DslContext,
    private readonly node: NodeId,
    private readonly serdes: HandleSerdes<K, V>,
    readonly queryableStoreName: string | undefined,
  ) {}

  filter(predicate: Predicate<K, V>, options?: NamedOptions): KTable<K, V> {
    return this.filtered(predicate, false, options);
  }

  filterNot(predicate: Predicate<K, V>, options?: NamedOptions): KTable<K, V> {
    return this.filtered(predicate, true, options);
  }

  mapValues<VR>(mapper: ValueMapper<K, V, VR>, options?: NamedOptions): KTable<K, VR> {
    const node = this.context.addNode((id) => ({
      kind: 'table-map-values',
      id,
      parents: [this.node],
      userName: options?.name,
      view: ([parent]) => derivedGetterSupplier(parent!, (key, value) => mapper(value as V, key as K) as unknown),
      supplier: tableMapValuesSupplier(mapper),
    }));
    return this.context.table(node, { keySerde: this.serdes.keySerde, valueSerde: undefined }, undefined);
  }

  toStream(options?: NamedOptions): KStream<K, V> {
    const node = this.context.addNode((id) => ({
      kind: 'processor',
      id,
      parents: [this.node],
      userName: options?.name,
      prefix: 'KTABLE-TOSTREAM-',
      burnsIndexWhenNamed: true,
      keyEffect: 'resets',
      storeNames: [],
      supplier: () => toStreamSupplier,
    }));
    return this.context.stream(node, this.serdes);
  }

  /** The selector node is named after the grouping, as in Kafka Streams. */
  groupBy<KR, VR>(selector: KeyValueMapper<K, V, KeyValue<KR, VR> | null>, options?: GroupedOptions<KR, VR>): KGroupedTable<KR, VR> {
    const grouping = { name: options?.name, keySerde: anySerde(options?.keySerde), valueSerde: anySerde(options?.valueSerde) };
    const node = this.context.addNode((id) => ({
      kind: 'table-group-by',
      id,
      parents: [this.node],
      userName: options?.name,
      grouping,
      supplier: tableGroupBySupplier(selector, isVersionedTable(this.context, this.node)),
    }));
    return this.context.groupedTable(node, grouping);
  }

  /** Kafka Streams' `KTableImpl.suppress`; the grace of window-close suppression is checked here, at the call. */
  suppress(suppressed: Suppressed): KTable<K, V> {
    if (isVersionedTable(this.context, this.node)) {
      throw new TopologyError('suppress() is only supported for non-versioned KTables (note that version semantics might be inherited from upstream)');
    }
    const graceMs = suppressed.untilWindowCloses ? windowGraceOf(this.context, this.node, suppressed.name) : undefined;
    const { keySerde, valueSerde } = this.serdes;
    const node = this.context.addNode((id) => ({
      kind: 'table-suppress',
      id,
      parents: [this.node],
      userName: suppressed.name,
      bufferStore: (storeName) =>
        // Kept in SQLite (Kafka Streams keeps it in memory): a restart then replays only the changelog's tail.
        suppressionBufferStoreBuilder(storeName, requireSerde(keySerde, 'key', storeName), requireSerde(valueSerde, 'value', storeName), {
          persistent: true,
          logging: suppressed.bufferConfig.logging,
        }),
      supplier: (binding) =>
        suppressSupplier({ processorName: binding.name, storeName: binding.storeName!, suppressed, graceMs }),
    }));
    return this.context.table(node, this.serdes, undefined);
  }

  join<KO, VO, VR>(
    other: KTable<KO, VO>,
    foreignKey: ForeignKeyExtractor<K, V, KO>,
    joiner: TableJoiner<K, V, VO, VR>,
    options?: ForeignKeyJoinOptions<K, KO, VR>,
  ): KTable<K, VR>;
  join<VO, VR>(other: KTable<K, VO>, joiner: TableJoiner<K, V, VO, VR>, options?: MaterializedOptions<K, VR>): KTable<K, VR>;
  /** A function in third place is a foreign-key join's joiner; the key join's third argument is its options. */
  join(other: AnyTable, second: AnyFunction, third?: AnyFunction | object, fourth?: object): AnyTable {
    if (typeof third === 'function') return this.foreignKeyJoined(false, other, second, third as AnyFunction, fourth);
    return this.joined('inner', other, second as AnyTableJoiner, third as MaterializedOptions<K, unknown> | undefined);
  }

  leftJoin<KO, VO, VR>(
    other: KTable<KO, VO>,
    foreignKey: ForeignKeyExtractor<K, V, KO>,
    joiner: TableLeftJoiner<K, V, VO, VR>,
    options?: ForeignKeyJoinOptions<K, KO, VR>,
  ): KTable<K, VR>;
  leftJoin<VO, VR>(other: KTable<K, VO>, joiner: TableLeftJoiner<K, V, VO, VR>, options?: MaterializedOptions<K, VR>): KTable<K, VR>;
  leftJoin(other: AnyTable, second: AnyFunction, third?: AnyFunction | object, fourth?: object): AnyTable {
    if (typeof third === 'function') return this.foreignKeyJoined(true, other, second, third as AnyFunction, fourth);
    return this.joined('left', other, second as AnyTableJoiner, third as MaterializedOptions<K, unknown> | undefined);
  }

  outerJoin<VO, VR>(other: KTable<K, VO>, joiner: TableOuterJoiner<K, V, VO, VR>, options?: MaterializedOptions<K, VR>): KTable<K, VR> {
    return this.joined('outer', other, joiner as AnyTableJoiner, options);
  }

  private joined<VO, VR>(joinType: TableJoinType, other: KTable<K, VO>, joiner: AnyTableJoiner, options: MaterializedOptions<K, VR> | undefined): KTable<K, VR> {
    const otherTable = this.sameBuilderTable(other, `${joinType === 'inner' ? 'join' : `${joinType}Join`}()`);
    const joined = addTableTableJoin<K, VR>(this.context, this.joinSide(), otherTable.joinSide(), joinType, joiner, options);
    return this.context.table(joined.node, joined.serdes, options?.storeName);
  }

  private foreignKeyJoined(leftJoin: boolean, other: AnyTable, foreignKey: AnyFunction, joiner: AnyFunction, options: object | undefined): AnyTable {
    const foreignTable = this.sameBuilderTable(other, `${leftJoin ? 'leftJoin' : 'join'}(other, foreignKey, joiner)`);
    const request = { leftJoin, foreignKey: foreignKey as AnyForeignKeyExtractor, joiner: joiner as AnyTableJoiner, options: options as ForeignKeyJoinOptions<unknown, unknown, unknown> | undefined };
    const joined = addForeignKeyJoin(this.context, this.joinSide(), foreignTable.joinSide(), request);
    return this.context.table(joined.node, joined.serdes as HandleSerdes<K, unknown>, request.options?.storeName);
  }

  /**
   * The table's node and serdes for a stream joining it (`KStream.join(table)`), or `undefined` when it belongs to
   * another builder than `context`'s.
   * @internal
   */
  streamJoinSide(context: DslContext): JoinedTable<K, V> | undefined {
    return context === this.context ? { node: this.node, serdes: this.serdes } : undefined;
  }

  private joinSide(): JoinedTable<K, unknown> {
    return { node: this.node, serdes: this.serdes };
  }

  private sameBuilderTable<VO>(other: KTable<K, VO>, operation: string): KTableImpl<K, VO> {
    if (!(other instanceof KTableImpl) || other.context !== this.context) {
      throw new TopologyError(`${operation} needs a table of the same StreamsBuilder`);
    }
    return other as KTableImpl<K, VO>;
  }

  private filtered(predicate: Predicate<K, V>, filterNot: boolean, options: NamedOptions | undefined): KTable<K, V> {
    const node = this.context.addNode((id) => ({
      kind: 'table-filter',
      id,
      parents: [this.node],
      userName: options?.name,
      view: ([parent]) => derivedGetterSupplier(parent!, (key, value) => (predicate(key as K, value as V) !== filterNot ? value : null)),
      supplier: tableFilterSupplier(predicate, filterNot, isVersionedTable(this.context, this.node)),
    }));
    return this.context.table(node, this.serdes, undefined);
  }
}
