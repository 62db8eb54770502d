import type {
  BranchNode,
  CogroupSpec,
  DslNode,
  GlobalTableSourceNode,
  JoinWindowNode,
  NodeId,
  RepartitionNames,
  StreamAggregateNode,
  StreamStreamJoinNode,
  TableAggregateNode,
  TableSourceNode,
  TableSuppressNode,
  ToTableNode,
} from './graph-node.js';
import { nameCogroupAggregate, nameCogroupMerge, type CogroupGroupNames } from './name-cogroup.js';
import { createKeyChangeTracker } from './repartition-analysis.js';
import { nameTableTableJoin, type TableJoinNames } from './name-table-joins.js';
import { nameStreamStreamJoin, type StreamJoinNames } from './name-stream-joins.js';
import { nameStreamTableJoin } from './name-stream-table-join.js';
import { nameForeignKeyJoin } from './name-foreign-key-join.js';
import type { ForeignKeyJoinNames } from './foreign-key-join-parts.js';

/** The names the naming pass gave one node. */
export interface NodeNames {
  /** The processor (or source, or sink) name. */
  readonly name: string;
  /** `table-source`, `global-table-source`: the source node in front of the table-source processor. */
  readonly sourceName?: string;
  /** Stateful nodes: the store name, the user's or a generated one (materialized or not). */
  readonly storeName?: string;
  /** Nodes reading through a repartition topic: its topic and node names. */
  readonly repartition?: RepartitionNames;
  /** `table-table-join`: the names of its two side processors. */
  readonly tableJoin?: TableJoinNames;
  /** `stream-stream-join`: the names of its processors and stores. */
  readonly streamJoin?: StreamJoinNames;
  /** `foreign-key-join`: the names of its topics, processors and subscription store. */
  readonly foreignKeyJoin?: ForeignKeyJoinNames;
}

const REPARTITION_SUFFIX = '-repartition';
/** Kafka Streams' test for a generated repartition prefix; generated prefixes keep generated node names. */
const GENERATED_NAME = /^KSTREAM.*-[0-9]{10}$/;

/**
 * Kafka Streams' one shared counter for processor and store names (`InternalStreamsBuilder.index`), with its
 * rules: a user name still burns an index where Kafka Streams burns one, so naming one node never renames others.
 */
class NameCounter {
  private next = 0;

  processorName(prefix: string): string {
    return prefix + String(this.next++).padStart(10, '0');
  }

  storeName(prefix: string): string {
    return `${prefix}STATE-STORE-${String(this.next++).padStart(10, '0')}`;
  }

  /** `NamedInternal.orElseGenerateWithPrefix`. */
  orGenerate(userName: string | undefined, prefix: string): string {
    const generated = this.processorName(prefix);
    return userName ?? generated;
  }

  /** `NamedInternal.suffixWithOrElseGet`. */
  suffixedOrGenerate(userName: string | undefined, suffix: string, prefix: string): string {
    const generated = this.processorName(prefix);
    return userName === undefined ? generated : userName + suffix;
  }

  /** `KStreamImpl.createRepartitionedSource`: always burns three indices, in this order. */
  repartitionNames(topicPrefix: string): RepartitionNames {
    const topic = topicPrefix.endsWith(REPARTITION_SUFFIX) ? topicPrefix : topicPrefix + REPARTITION_SUFFIX;
    const sinkName = this.processorName('KSTREAM-SINK-');
    const filterName = this.processorName('KSTREAM-FILTER-');
    const sourceName = this.processorName('KSTREAM-SOURCE-');
    if (GENERATED_NAME.test(topicPrefix)) return { topic, sinkName, filterName, sourceName };
    return { topic, sinkName: `${topic}-sink`, filterName: `${topic}-filter`, sourceName: `${topic}-source` };
  }
}

/**
 * The naming pass. Visits nodes in creation order and hands out names exactly as Kafka Streams would have while
 * the same DSL calls ran, so generated processor, store and topic names (and `describe()`) match it. A stateful
 * node that must read through a repartition topic gets that topic's names here; the repartition pass inserts it.
 */
export function nameNodes(nodes: readonly DslNode[]): ReadonlyMap<NodeId, NodeNames> {
  const counter = new NameCounter();
  const context: NamingContext = { counter, names: new Map(), keyChanged: createKeyChangeTracker(nodes), cogroups: new Map(), nodes };
  for (const node of nodes) {
    const named = nameNode(node, context);
    if (named !== undefined) context.names.set(node.id, named);
  }
  return context.names;
}

interface NamingContext {
  readonly counter: NameCounter;
  readonly names: Map<NodeId, NodeNames>;
  readonly keyChanged: (id: NodeId) => boolean;
  /** Names each cogroup's first node reserved for the others. */
  readonly cogroups: Map<CogroupSpec, CogroupGroupNames>;
  readonly nodes: readonly DslNode[];
}

function nameNode(node: DslNode, context: NamingContext): NodeNames | undefined {
  const { counter } = context;
  switch (node.kind) {
    case 'stream-source':
      return { name: counter.orGenerate(node.userName, 'KSTREAM-SOURCE-') };
    case 'table-source':
      return nameTableSource(node, counter);
    case 'processor':
      if (node.userName !== undefined && !node.burnsIndexWhenNamed) return { name: node.userName };
      return { name: counter.orGenerate(node.userName, node.prefix) };
    case 'split':
      return { name: counter.orGenerate(node.userName, 'KSTREAM-BRANCH-') };
    case 'branch':
      return { name: nameBranch(node, context) };
    case 'sink':
      return { name: counter.orGenerate(node.userName, 'KSTREAM-SINK-') };
    case 'repartition': {
      const name = node.userName ?? counter.processorName('KSTREAM-REPARTITION-');
      return { name, repartition: counter.repartitionNames(name) };
    }
    case 'stream-aggregate':
      return nameStreamAggregate(node, context);
    case 'to-table':
      return nameToTable(node, context);
    case 'table-filter':
      return { name: counter.orGenerate(node.userName, 'KTABLE-FILTER-') };
    case 'table-map-values':
      return { name: counter.orGenerate(node.userName, 'KTABLE-MAPVALUES-') };
    case 'table-group-by':
      return { name: counter.orGenerate(node.grouping.name, 'KTABLE-SELECT-') };
    case 'table-aggregate':
      return nameTableAggregate(node, context);
    case 'table-suppress':
      return nameSuppress(node, counter);
    case 'state-store':
      return undefined;
    case 'table-table-join':
      return nameTableTableJoin(node, counter);
    case 'foreign-key-join':
      return nameForeignKeyJoin(node, counter);
    case 'cogroup-aggregate':
      return nameCogroupAggregate(node, context);
    case 'cogroup-merge':
      return nameCogroupMerge(node, context);
    case 'join-window':
      // Named together with its join, whose node follows the two windowed ones.
      return undefined;
    case 'stream-stream-join':
      return nameJoin(node, context);
    case 'stream-table-join':
      return nameStreamTableJoin(node, counter, context.names.get(node.parents[0]!)!.name, node.parents.some(context.keyChanged));
    case 'global-table-source':
      return nameTableSource(node, counter);
    case 'stream-global-join':
      // `KStreamImpl.globalTableJoin`: one name for inner and left joins alike, as Kafka Streams gives.
      return { name: counter.orGenerate(node.userName, 'KSTREAM-LEFTJOIN-') };
  }
}

/** Both `join-window` parents of a stream-stream join get their names here, in Kafka Streams' order. */
function nameJoin(node: StreamStreamJoinNode, { counter, names, keyChanged, nodes }: NamingContext): NodeNames {
  const side = (id: NodeId) => {
    const window = nodes[id] as JoinWindowNode;
    const parent = window.parents[0]!;
    return { window, streamName: names.get(parent)!.name, keyChanged: keyChanged(parent) };
  };
  const sides = { this: side(node.parents[0]!), other: side(node.parents[1]!) };
  return nameStreamStreamJoin(node, sides, counter, (id, joinNames) => names.set(id, joinNames));
}

/**
 * `InternalStreamsBuilder.table` and `.globalTable`: the store name comes first (`StreamsBuilder` makes it), then
 * the source, then the table processor.
 */
function nameTableSource(node: TableSourceNode | GlobalTableSourceNode, counter: NameCounter): NodeNames {
  const storeName = node.store.userStoreName ?? counter.storeName(`${node.topic}-`);
  const sourceName = counter.suffixedOrGenerate(node.userName, '-source', 'KSTREAM-SOURCE-');
  const name = counter.orGenerate(node.userName, 'KTABLE-SOURCE-');
  return { name, sourceName, storeName };
}

/** `BranchedKStreamImpl.createBranch`: the name derives from the split's, yet an index is burnt. */
function nameBranch(node: BranchNode, { counter, names }: NamingContext): string {
  const name = names.get(node.parents[0]!)!.name + node.suffix;
  counter.processorName(name);
  return name;
}

/**
 * `KGroupedStreamImpl`: store name, then processor name, then the repartition topic's names when the grouped
 * stream's keys changed. The topic is named after the grouping, or else the store.
 */
function nameStreamAggregate(node: StreamAggregateNode, { counter, keyChanged }: NamingContext): NodeNames {
  const prefix = node.operation === 'reduce' ? 'KSTREAM-REDUCE-' : 'KSTREAM-AGGREGATE-';
  if (node.burnsExtraStoreIndex && node.store.userStoreName === undefined) counter.storeName(prefix);
  const storeName = node.store.userStoreName ?? counter.storeName(prefix);
  const name = counter.orGenerate(node.userName, prefix);
  if (!node.parents.some(keyChanged)) return { name, storeName };
  return { name, storeName, repartition: counter.repartitionNames(node.grouping.name ?? storeName) };
}

/** `KStreamImpl.toTable`: processor name, store name, then a repartition topic named after the processor. */
function nameToTable(node: ToTableNode, { counter, keyChanged }: NamingContext): NodeNames {
  const name = counter.orGenerate(node.userName, 'KSTREAM-TOTABLE-');
  const storeName = node.store.userStoreName ?? counter.storeName('KSTREAM-TOTABLE-');
  if (!node.parents.some(keyChanged)) return { name, storeName };
  return { name, storeName, repartition: counter.repartitionNames(name) };
}

/**
 * `KGroupedTableImpl.doAggregate`: store, sink, source, then processor. The repartition topic is named after the
 * grouping (or the store), its sink and source after the operation's own name when the user gave one.
 */
function nameTableAggregate(node: TableAggregateNode, { counter }: NamingContext): NodeNames {
  const storeName = node.store.userStoreName ?? counter.storeName('KTABLE-AGGREGATE-');
  const sinkName = counter.suffixedOrGenerate(node.userName, '-sink', 'KSTREAM-SINK-');
  const sourceName = counter.suffixedOrGenerate(node.userName, '-source', 'KSTREAM-SOURCE-');
  const name = counter.orGenerate(node.userName, node.operation === 'reduce' ? 'KTABLE-REDUCE-' : 'KTABLE-AGGREGATE-');
  const topic = (node.grouping.name ?? storeName) + REPARTITION_SUFFIX;
  return { name, storeName, repartition: { topic, filterName: undefined, sinkName, sourceName } };
}

/** `KTableImpl.suppress`: processor, then the buffer store (`<name>-store` when named). */
function nameSuppress(node: TableSuppressNode, counter: NameCounter): NodeNames {
  const name = node.userName ?? counter.processorName('KTABLE-SUPPRESS-');
  const storeName = node.userName === undefined ? counter.storeName('KTABLE-SUPPRESS-') : `${name}-store`;
  return { name, storeName };
}
