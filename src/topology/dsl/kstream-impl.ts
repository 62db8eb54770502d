import type { FixedKeyProcessorSupplier, ProcessorSupplier } from '../../core/processor.js';
import type { KeyValue } from '../../state/key-value.js';
import type { AnyProcessorSupplier } from '../compiled-topology.js';
import { TopologyError } from '../../core/errors.js';
import { passThrough } from '../graph/forwarding-processors.js';
import type { KeyEffect, NodeId } from '../graph/graph-node.js';
import type { StreamPartitioner, TopicNameExtractor } from '../node-options.js';
import type { BranchedKStream, KGroupedStream, KStream, KTable } from './dsl-api.js';
import { anySerde, storeSpec, type DslContext, type HandleSerdes } from './dsl-context.js';
import type { ForeachAction, KeyValueMapper, Predicate, ValueMapper } from './dsl-functions.js';
import type { GroupedOptions, MaterializedOptions, NamedOptions, ProducedOptions, RepartitionedOptions, VersionedTableOptions } from './dsl-options.js';
import type { JoinedOptions } from './dsl-options.js';
import {
  filterSupplier,
  flatMapSupplier,
  flatMapValuesSupplier,
  mapSupplier,
  mapValuesSupplier,
  peekSupplier,
  selectKeySupplier,
} from './stream-processors.js';
import { tableSourceSupplier } from './table-processors.js';
import { versionedTableSourceSupplier, withVersionedStore } from './versioned-table-source.js';
import type { JoinWindows } from '../../windows/join-windows.js';
import type { StreamJoinType } from '../graph/graph-node.js';
import type { StreamJoinedOptions } from './dsl-options.js';
import type { StreamJoiner, StreamLeftJoiner, StreamOuterJoiner } from './stream-joiners.js';
import { addStreamStreamJoin } from './stream-stream-join.js';
import { KTableImpl } from './ktable-impl.js';
import { addStreamTableJoin } from './stream-table-join.js';
import type { StreamTableJoiner, StreamTableLeftJoiner } from './stream-table-joiners.js';
import type { GlobalKTable } from './global-ktable.js';
import { GlobalKTableImpl } from './global-ktable-impl.js';
import { addStreamGlobalJoin } from './stream-global-join.js';

/** What a stateless stream operation adds: a processor node. */
interface ProcessorStep {
  readonly prefix: string;
  readonly options: NamedOptions | undefined;
  readonly keyEffect: KeyEffect;
  readonly supplier: AnyProcessorSupplier;
  readonly parents?: readonly NodeId[];
  readonly storeNames?: readonly string[];
  readonly burnsIndexWhenNamed?: boolean;
}

/** Kafka Streams' `KStreamImpl`: each method appends one node (or a few) and returns a new handle. */
export class KStreamImpl<K, V> implements KStream<K, V> {
  constructor(
    private readonly context: DslContext,
    private readonly node: NodeId,
    private readonly serdes: HandleSerdes<K, V>,
  ) {}

  filter(predicate: Predicate<K, V>, options?: NamedOptions): KStream<K, V> {
    return this.then({ prefix: 'KSTREAM-FILTER-', options, keyEffect: 'preserves', supplier: filterSupplier(predicate, false) }, this.serdes);
  }

  filterNot(predicate: Predicate<K, V>, options?: NamedOptions): KStream<K, V> {
    return this.then({ prefix: 'KSTREAM-FILTER-', options, keyEffect: 'preserves', supplier: filterSupplier(predicate, true) }, this.serdes);
  }

  map<KR, VR>(mapper: KeyValueMapper<K, V, KeyValue<KR, VR>>, options?: NamedOptions): KStream<KR, VR> {
    return this.then({ prefix: 'KSTREAM-MAP-', options, keyEffect: 'changes', supplier: mapSupplier(mapper) }, noSerdes());
  }

  mapValues<VR>(mapper: ValueMapper<K, V, VR>, options?: NamedOptions): KStream<K, VR> {
    const supplier = mapValuesSupplier(mapper);
    return this.then({ prefix: 'KSTREAM-MAPVALUES-', options, keyEffect: 'preserves', supplier }, this.withValueSerde<VR>());
  }

  flatMap<KR, VR>(mapper: KeyValueMapper<K, V, Iterable<KeyValue<KR, VR>>>, options?: NamedOptions): KStream<KR, VR> {
    return this.then({ prefix: 'KSTREAM-FLATMAP-', options, keyEffect: 'changes', supplier: flatMapSupplier(mapper) }, noSerdes());
  }

  flatMapValues<VR>(mapper: ValueMapper<K, V, Iterable<VR>>, options?: NamedOptions): KStream<K, VR> {
    const supplier = flatMapValuesSupplier(mapper);
    return this.then({ prefix: 'KSTREAM-FLATMAPVALUES-', options, keyEffect: 'preserves', supplier }, this.withValueSerde<VR>());
  }

  selectKey<KR>(mapper: KeyValueMapper<K, V, KR>, options?: NamedOptions): KStream<KR, V> {
    const supplier = selectKeySupplier<K, V, KR>(mapper);
    return this.then({ prefix: 'KSTREAM-KEY-SELECT-', options, keyEffect: 'changes', supplier }, { keySerde: undefined, valueSerde: this.serdes.valueSerde });
  }

  peek(action: ForeachAction<K, V>, options?: NamedOptions): KStream<K, V> {
    return this.then({ prefix: 'KSTREAM-PEEK-', options, keyEffect: 'preserves', supplier: peekSupplier(action, true) }, this.serdes);
  }

  foreach(action: ForeachAction<K, V>, options?: NamedOptions): void {
    this.then({ prefix: 'KSTREAM-FOREACH-', options, keyEffect: 'preserves', supplier: peekSupplier(action, false) }, this.serdes);
  }

  merge(other: KStream<K, V>, options?: NamedOptions): KStream<K, V> {
    if (!(other instanceof KStreamImpl) || other.context !== this.context) {
      throw new TopologyError('merge() needs a stream of the same StreamsBuilder');
    }
    const parents = [this.node, other.node];
    // Kafka Streams drops both serdes here: neither side's is known to fit the other's records.
    return this.then({ prefix: 'KSTREAM-MERGE-', options, keyEffect: 'preserves', supplier: passThrough, parents }, noSerdes());
  }

  split(options?: NamedOptions): BranchedKStream<K, V> {
    const split = this.context.addNode((id) => ({ kind: 'split', id, parents: [this.node], userName: options?.name }));
    return this.context.branched(split, this.serdes);
  }

  to(topic: string | TopicNameExtractor<K, V>, options?: ProducedOptions<K, V>): void {
    this.context.addNode((id) => ({
      kind: 'sink',
      id,
      parents: [this.node],
      userName: options?.name,
      topic: topic as string | TopicNameExtractor,
      keySerde: anySerde(options?.keySerde ?? this.serdes.keySerde),
      valueSerde: anySerde(options?.valueSerde ?? this.serdes.valueSerde),
      partitioner: options?.partitioner as StreamPartitioner | undefined,
    }));
  }

  repartition(options?: RepartitionedOptions<K, V>): KStream<K, V> {
    const serdes = { keySerde: options?.keySerde ?? this.serdes.keySerde, valueSerde: options?.valueSerde ?? this.serdes.valueSerde };
    const node = this.context.addNode((id) => ({
      kind: 'repartition',
      id,
      parents: [this.node],
      userName: options?.name,
      keySerde: anySerde(serdes.keySerde),
      valueSerde: anySerde(serdes.valueSerde),
      partitions: options?.partitions,
      partitioner: options?.partitioner as StreamPartitioner | undefined,
    }));
    return this.context.stream(node, serdes);
  }

  process<KOut, VOut>(supplier: ProcessorSupplier<K, V, KOut, VOut>, ...rest: Array<NamedOptions | string>): KStream<KOut, VOut> {
    const { options, storeNames } = splitProcessArguments(rest);
    const step = { prefix: 'KSTREAM-PROCESSOR-', options, keyEffect: 'changes', supplier, storeNames, burnsIndexWhenNamed: false } as const;
    return this.then(step, noSerdes());
  }

  processValues<VOut>(supplier: FixedKeyProcessorSupplier<K, V, VOut>, ...rest: Array<NamedOptions | string>): KStream<K, VOut> {
    const { options, storeNames } = splitProcessArguments(rest);
    const step = { prefix: 'KSTREAM-PROCESSVALUES-', options, keyEffect: 'preserves', supplier, storeNames, burnsIndexWhenNamed: false } as const;
    return this.then(step, this.withValueSerde<VOut>());
  }

  toTable(options?: MaterializedOptions<K, V> & VersionedTableOptions): KTable<K, V> {
    const keySerde = options?.keySerde ?? this.serdes.keySerde;
    const valueSerde = options?.valueSerde ?? this.serdes.valueSerde;
    const node = this.context.addNode((id) => ({
      kind: 'to-table',
      id,
      parents: [this.node],
      userName: options?.name,
      store: withVersionedStore(storeSpec(options, anySerde(keySerde), anySerde(valueSerde)), options ?? {}, 'toTable'),
      keySerde: anySerde(keySerde),
      valueSerde: anySerde(valueSerde),
      supplier: options?.versioned === undefined ? tableSourceSupplier<K, V>() : versionedTableSourceSupplier<K, V>(),
    }));
    return this.context.table(node, { keySerde, valueSerde }, options?.storeName);
  }

  groupByKey(options?: GroupedOptions<K, V>): KGroupedStream<K, V> {
    return this.context.groupedStream(this.node, {
      name: options?.name,
      keySerde: anySerde(options?.keySerde ?? this.serdes.keySerde),
      valueSerde: anySerde(options?.valueSerde ?? this.serdes.valueSerde),
    });
  }

  /** The key selector is named after the grouping, as in Kafka Streams. */
  groupBy<KR>(selector: KeyValueMapper<K, V, KR>, options?: GroupedOptions<KR, V>): KGroupedStream<KR, V> {
    const supplier = selectKeySupplier<K, V, KR>(selector);
    const selected = this.addProcessor({ prefix: 'KSTREAM-KEY-SELECT-', options, keyEffect: 'changes', supplier });
    return this.context.groupedStream(selected, {
      name: options?.name,
      keySerde: anySerde(options?.keySerde),
      valueSerde: anySerde(options?.valueSerde ?? this.serdes.valueSerde),
    });
  }

  join<VT, VR>(table: KTable<K, VT>, joiner: StreamTableJoiner<K, V, VT, VR>, options?: JoinedOptions<K, V, VT>): KStream<K, VR>;
  join<VO, VR>(other: KStream<K, VO>, joiner: StreamJoiner<K, V, VO, VR>, windows: JoinWindows, options?: StreamJoinedOptions<K, V, VO>): KStream<K, VR>;
  join<GK, GV, VR>(
    globalTable: GlobalKTable<GK, GV>,
    keySelector: KeyValueMapper<K, V, GK | null>,
    joiner: StreamTableJoiner<K, V, GV, VR>,
    options?: NamedOptions,
  ): KStream<K, VR>;
  join<VO, VR>(
    other: KStream<K, VO> | KTable<K, VO> | GlobalKTable<unknown, VO>,
    joiner: StreamJoiner<K, V, VO, VR> | StreamTableJoiner<K, V, VO, VR> | KeyValueMapper<K, V, unknown>,
    windowsOrJoined?: JoinWindows | JoinedOptions<K, V, VO> | StreamTableJoiner<K, V, VO, VR>,
    options?: StreamJoinedOptions<K, V, VO> | NamedOptions,
  ): KStream<K, VR> {
    if (other instanceof GlobalKTableImpl) {
      return this.joinedWithGlobalTable(other, joiner as KeyValueMapper<K, V, unknown>, windowsOrJoined as StreamTableLeftJoiner<K, V, VO, VR>, options, false);
    }
    if (other instanceof KTableImpl) {
      return this.joinedWithTable(other as KTable<K, VO>, joiner as StreamTableLeftJoiner<K, V, VO, VR>, windowsOrJoined as JoinedOptions<K, V, VO> | undefined, false);
    }
    return this.streamJoin('inner', other as KStream<K, VO>, joiner as StreamJoiner<K, V, VO, VR>, windowsOrJoined as JoinWindows, options as StreamJoinedOptions<K, V, VO>);
  }

  leftJoin<VT, VR>(table: KTable<K, VT>, joiner: StreamTableLeftJoiner<K, V, VT, VR>, options?: JoinedOptions<K, V, VT>): KStream<K, VR>;
  leftJoin<VO, VR>(other: KStream<K, VO>, joiner: StreamLeftJoiner<K, V, VO, VR>, windows: JoinWindows, options?: StreamJoinedOptions<K, V, VO>): KStream<K, VR>;
  leftJoin<GK, GV, VR>(
    globalTable: GlobalKTable<GK, GV>,
    keySelector: KeyValueMapper<K, V, GK | null>,
    joiner: StreamTableLeftJoiner<K, V, GV, VR>,
    options?: NamedOptions,
  ): KStream<K, VR>;
  leftJoin<VO, VR>(
    other: KStream<K, VO> | KTable<K, VO> | GlobalKTable<unknown, VO>,
    joiner: StreamLeftJoiner<K, V, VO, VR> | StreamTableLeftJoiner<K, V, VO, VR> | KeyValueMapper<K, V, unknown>,
    windowsOrJoined?: JoinWindows | JoinedOptions<K, V, VO> | StreamTableLeftJoiner<K, V, VO, VR>,
    options?: StreamJoinedOptions<K, V, VO> | NamedOptions,
  ): KStream<K, VR> {
    if (other instanceof GlobalKTableImpl) {
      return this.joinedWithGlobalTable(other, joiner as KeyValueMapper<K, V, unknown>, windowsOrJoined as StreamTableLeftJoiner<K, V, VO, VR>, options, true);
    }
    if (other instanceof KTableImpl) {
      return this.joinedWithTable(other as KTable<K, VO>, joiner as StreamTableLeftJoiner<K, V, VO, VR>, windowsOrJoined as JoinedOptions<K, V, VO> | undefined, true);
    }
    return this.streamJoin('left', other as KStream<K, VO>, joiner as StreamLeftJoiner<K, V, VO, VR>, windowsOrJoined as JoinWindows, options as StreamJoinedOptions<K, V, VO>);
  }

  outerJoin<VO, VR>(
    other: KStream<K, VO>,
    joiner: StreamOuterJoiner<K, V, VO, VR>,
    windows: JoinWindows,
    options?: StreamJoinedOptions<K, V, VO>,
  ): KStream<K, VR> {
    return this.streamJoin('outer', other, joiner as StreamJoiner<K, V, VO, VR>, windows, options);
  }

  private streamJoin<VO, VR>(
    joinType: StreamJoinType,
    other: KStream<K, VO>,
    joiner: StreamJoiner<K, V, VO, VR>,
    windows: JoinWindows,
    options: StreamJoinedOptions<K, V, VO> | undefined,
  ): KStream<K, VR> {
    if (!(other instanceof KStreamImpl) || other.context !== this.context) {
      throw new TopologyError('a stream-stream join needs a stream of the same StreamsBuilder');
    }
    const right = { node: other.node, serdes: other.serdes as HandleSerdes<K, VO> };
    return addStreamStreamJoin(this.context, joinType, { node: this.node, serdes: this.serdes }, right, joiner, windows, options);
  }

  private joinedWithTable<VT, VR>(
    table: KTable<K, VT>,
    joiner: StreamTableLeftJoiner<K, V, VT, VR>,
    options: JoinedOptions<K, V, VT> | undefined,
    leftJoin: boolean,
  ): KStream<K, VR> {
    const tableSide = table instanceof KTableImpl ? (table as KTableImpl<K, VT>).streamJoinSide(this.context) : undefined;
    if (tableSide === undefined) throw new TopologyError(`${leftJoin ? 'leftJoin' : 'join'}() needs a table of the same StreamsBuilder`);
    const joined = addStreamTableJoin(this.context, { node: this.node, serdes: this.serdes }, tableSide, joiner, options, leftJoin);
    return this.context.stream(joined.node, joined.serdes);
  }

  private joinedWithGlobalTable<GK, GV, VR>(
    globalTable: GlobalKTableImpl<GK, GV>,
    keySelector: KeyValueMapper<K, V, GK | null>,
    joiner: StreamTableLeftJoiner<K, V, GV, VR>,
    options: NamedOptions | undefined,
    leftJoin: boolean,
  ): KStream<K, VR> {
    const globalNode = globalTable.joinNode(this.context);
    if (globalNode === undefined) throw new TopologyError(`${leftJoin ? 'leftJoin' : 'join'}() needs a global table of the same StreamsBuilder`);
    const joined = addStreamGlobalJoin(this.context, { node: this.node, serdes: this.serdes }, globalNode, keySelector, joiner, options, leftJoin);
    return this.context.stream(joined.node, joined.serdes);
  }

  private then<KR, VR>(step: ProcessorStep, serdes: HandleSerdes<KR, VR>): KStream<KR, VR> {
    return this.context.stream(this.addProcessor(step), serdes);
  }

  private addProcessor(step: ProcessorStep): NodeId {
    return this.context.addNode((id) => ({
      kind: 'processor',
      id,
      parents: step.parents ?? [this.node],
      userName: step.options?.name,
      prefix: step.prefix,
      burnsIndexWhenNamed: step.burnsIndexWhenNamed ?? true,
      keyEffect: step.keyEffect,
      storeNames: step.storeNames ?? [],
      supplier: () => step.supplier,
    }));
  }

  /** The key serde survives a value change; the value serde does not. */
  private withValueSerde<VR>(): HandleSerdes<K, VR> {
    return { keySerde: this.serdes.keySerde, valueSerde: undefined };
  }
}

function noSerdes<K, V>(): HandleSerdes<K, V> {
  return { keySerde: undefined, valueSerde: undefined };
}

/** `process(supplier, ...stores)` or `process(supplier, { name }, ...stores)`. */
function splitProcessArguments(rest: ReadonlyArray<NamedOptions | string>): { options: NamedOptions | undefined; storeNames: string[] } {
  const [first, ...others] = rest;
  if (typeof first === 'object') return { options: first, storeNames: others as string[] };
  return { options: undefined, storeNames: rest as string[] };
}
