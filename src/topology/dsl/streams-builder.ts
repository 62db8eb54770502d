import type { StoreBuilder } from '../../state/state-store.js';
import { buildTopology } from '../graph/build-topology.js';
import type { DslNode, NodeId } from '../graph/graph-node.js';
import { nameNodes } from '../graph/name-nodes.js';
import type { TimestampExtractor } from '../node-options.js';
import type { Topology } from '../topology.js';
import { BranchedKStreamImpl } from './branched-kstream-impl.js';
import type { KStream, KTable } from './dsl-api.js';
import { anySerde, storeSpec, type DslContext } from './dsl-context.js';
import type { ConsumedOptions, GlobalTableOptions, TableOptions } from './dsl-options.js';
import type { GlobalKTable } from './global-ktable.js';
import { GlobalKTableImpl } from './global-ktable-impl.js';
import { KGroupedStreamImpl } from './kgrouped-stream-impl.js';
import { KGroupedTableImpl } from './kgrouped-table-impl.js';
import { KStreamImpl } from './kstream-impl.js';
import { KTableImpl } from './ktable-impl.js';
import { tableSourceSupplier } from './table-processors.js';
import { versionedTableSourceSupplier, withVersionedStore } from './versioned-table-source.js';

/**
 * Entry point of the DSL (Kafka Streams' `StreamsBuilder`): create streams and tables from topics, chain
 * operations on them, then `build()` the `Topology` to run. Every call appends to one logical graph; `build()`
 * names its nodes as Kafka Streams would, inserts repartition topics and compiles it.
 */
export class StreamsBuilder {
  private readonly nodes: DslNode[] = [];
  private readonly context: DslContext;

  constructor() {
    const context: DslContext = {
      addNode: (create) => {
        const node = create(this.nodes.length);
        this.nodes.push(Object.freeze(node));
        return node.id;
      },
      nameOf: (node) => nameNodes(this.nodes).get(node)!.name,
      node: (id) => this.nodes[id]!,
      stream: (node, serdes) => new KStreamImpl(context, node, serdes),
      table: (node, serdes, queryableStoreName) => new KTableImpl(context, node, serdes, queryableStoreName),
      groupedStream: (parent, grouping) => new KGroupedStreamImpl(context, parent, grouping),
      groupedTable: (groupBy, grouping) => new KGroupedTableImpl(context, groupBy, grouping),
      branched: (split, serdes) => new BranchedKStreamImpl(context, split, serdes),
    };
    this.context = context;
  }

  /** A record stream from one or more topics. */
  stream<K = unknown, V = unknown>(topics: string | readonly string[], options?: ConsumedOptions<K, V>): KStream<K, V> {
    const node = this.context.addNode((id) => ({
      kind: 'stream-source',
      id,
      parents: [],
      userName: options?.name,
      topics: typeof topics === 'string' ? [topics] : [...topics],
      keySerde: anySerde(options?.keySerde),
      valueSerde: anySerde(options?.valueSerde),
      timestampExtractor: options?.timestampExtractor as TimestampExtractor | undefined,
    }));
    return this.context.stream(node, { keySerde: options?.keySerde, valueSerde: options?.valueSerde });
  }

  /**
   * A table of the latest value per key of `topic`. Its timestamped store is kept when named (`storeName`, which
   * makes it queryable) or when a later operation needs it, such as `groupBy`; as in Kafka Streams, a table that
   * is only filtered, mapped or streamed again keeps none.
   */
  table<K = unknown, V = unknown>(topic: string, options?: TableOptions<K, V>): KTable<K, V> {
    const node: NodeId = this.context.addNode((id) => ({
      kind: 'table-source',
      id,
      parents: [],
      userName: options?.name,
      topic,
      keySerde: anySerde(options?.keySerde),
      valueSerde: anySerde(options?.valueSerde),
      timestampExtractor: options?.timestampExtractor as TimestampExtractor | undefined,
      store: withVersionedStore(storeSpec(options, anySerde(options?.keySerde), anySerde(options?.valueSerde)), options ?? {}, `table(${topic})`),
      supplier: options?.versioned === undefined ? tableSourceSupplier() : versionedTableSourceSupplier(),
    }));
    return this.context.table(node, { keySerde: options?.keySerde, valueSerde: options?.valueSerde }, options?.storeName);
  }

  /**
   * A table every instance holds in full (Kafka Streams' `globalTable`): each reads every partition of `topic` into
   * a global store before its tasks start (on a restart, only what was added since), and keeps it current while
   * running. The topic is the store's changelog, so it should be compacted. Read it with `KafkaStreams.store(name)`
   * or join streams with it by a computed key.
   */
  globalTable<K = unknown, V = unknown>(topic: string, options?: GlobalTableOptions<K, V>): GlobalKTable<K, V> {
    const keySerde = anySerde(options?.keySerde);
    const valueSerde = anySerde(options?.valueSerde);
    const node = this.context.addNode((id) => ({
      kind: 'global-table-source',
      id,
      parents: [],
      userName: options?.name,
      topic,
      keySerde,
      valueSerde,
      timestampExtractor: options?.timestampExtractor as TimestampExtractor | undefined,
      // The topic is the changelog, and readers in other tasks must see every write at once: no log, no cache.
      store: { ...storeSpec(options, keySerde, valueSerde), caching: false, logging: false },
      supplier: tableSourceSupplier(),
    }));
    return new GlobalKTableImpl<K, V>(this.context, node, options?.storeName);
  }

  /** Adds a store that `process()`/`processValues()` can name to get access to it. */
  addStateStore(storeBuilder: StoreBuilder): this {
    this.context.addNode((id) => ({ kind: 'state-store', id, parents: [], userName: undefined, builder: storeBuilder }));
    return this;
  }

  /** Compiles everything added so far into a new `Topology`. */
  build(): Topology {
    return buildTopology(this.nodes);
  }
}
