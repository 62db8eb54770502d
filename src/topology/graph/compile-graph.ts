import type { ProcessorSupplier } from '../../core/processor.js';
import type { SinkOptions } from '../node-options.js';
import type { Topology } from '../topology.js';
import type { GraphNode, NodeId, RepartitionNames, StoreSpec, SupplierBinding, SupplierFactory } from './graph-node.js';
import type { NodeNames } from './name-nodes.js';
import { nullKeyFilter, passThrough, splitSupplier } from './forwarding-processors.js';
import type { TableNodeState } from './resolve-old-values.js';
import { materializeStores } from './store-materializer.js';
import { valueGetterSupplierOf } from './value-getters.js';
import { writeTableTableJoin } from './write-table-table-join.js';
import { cogroupStoreNames } from './cogroup-stores.js';
import { joinWindowSupplier } from '../joins/stream-join-window.js';
import { writeStreamStreamJoin } from './write-stream-stream-join.js';
import { writeForeignKeyJoin } from './write-foreign-key-join.js';

/** Everything the passes decided, handed to the compiler. */
export interface CompileInput {
  /** Nodes in the order Kafka Streams would write them. */
  readonly nodes: readonly GraphNode[];
  readonly names: ReadonlyMap<NodeId, NodeNames>;
  readonly tableStates: ReadonlyMap<NodeId, TableNodeState>;
  /** Repartition nodes whose filter lets null keys through (`relaxed-null-keys.ts`); the others drop them. */
  readonly relaxedNullKeys?: ReadonlySet<NodeId>;
}

interface EmitContext {
  readonly topology: Topology;
  names(node: GraphNode): NodeNames;
  /** Names of the topology nodes a node's children attach to, one per parent. */
  parentOutputs(node: GraphNode): string[];
  binding(node: GraphNode): SupplierBinding;
  /** The node's children, in creation order. */
  children(node: GraphNode): GraphNode[];
  /** Whether a repartition node keeps null keys for a join downstream (KIP-962). */
  keepsNullKeys(node: GraphNode): boolean;
}

/** The nodes whose processor comes from a supplier factory. */
type SuppliedNode = Extract<GraphNode, { readonly supplier: SupplierFactory }>;

type Emitter<N extends GraphNode> = (node: N, context: EmitContext) => void;

/**
 * One entry per node kind, checked exhaustive by the compiler: adding a kind without saying how it compiles does
 * not type-check. Each entry writes the node's sources, processors, sinks and stores, as Kafka Streams' graph nodes
 * do in `writeToTopology`.
 */
const EMITTERS: { readonly [K in GraphNode['kind']]: Emitter<Extract<GraphNode, { kind: K }>> } = {
  'stream-source': (node, c) => {
    c.topology.addSource(c.names(node).name, node.topics, {
      keySerde: node.keySerde,
      valueSerde: node.valueSerde,
      timestampExtractor: node.timestampExtractor,
    });
  },
  'table-source': (node, c) => {
    const names = c.names(node);
    c.topology.addSource(names.sourceName!, node.topic, {
      keySerde: node.keySerde,
      valueSerde: node.valueSerde,
      timestampExtractor: node.timestampExtractor,
    });
    c.topology.addProcessor(names.name, node.supplier(c.binding(node)), names.sourceName!);
    addOwnStore(node, node.store, c);
  },
  processor: (node, c) => {
    processor(node, c);
    if (node.storeNames.length > 0) c.topology.connectProcessorAndStateStores(c.names(node).name, ...node.storeNames);
  },
  split: (node, c) => {
    const branches = c.children(node).flatMap((child) => (child.kind === 'branch' ? [{ childName: c.names(child).name, predicate: child.predicate }] : []));
    c.topology.addProcessor(c.names(node).name, splitSupplier(branches), ...c.parentOutputs(node));
  },
  branch: (node, c) => {
    c.topology.addProcessor(c.names(node).name, passThrough, ...c.parentOutputs(node));
  },
  sink: (node, c) => {
    const options = { keySerde: node.keySerde, valueSerde: node.valueSerde, partitioner: node.partitioner };
    c.topology.addSink(c.names(node).name, node.topic, options, ...c.parentOutputs(node));
  },
  repartition: (node, c) => {
    const options = { keySerde: node.keySerde, valueSerde: node.valueSerde, partitioner: node.partitioner, partitions: node.partitions };
    writeRepartition(c.names(node).repartition!, c.parentOutputs(node), options, c, c.keepsNullKeys(node));
  },
  'inserted-repartition': (node, c) => {
    writeRepartition(node.names, c.parentOutputs(node), { keySerde: node.keySerde, valueSerde: node.valueSerde }, c, c.keepsNullKeys(node));
  },
  'stream-aggregate': (node, c) => statefulProcessor(node, node.store, c),
  'to-table': (node, c) => statefulProcessor(node, node.store, c),
  'table-filter': processor,
  'table-map-values': processor,
  'table-group-by': processor,
  'table-aggregate': (node, c) => statefulProcessor(node, node.store, c),
  'table-suppress': (node, c) => {
    processor(node, c);
    const { name, storeName } = c.names(node);
    c.topology.addStateStore(node.bufferStore(storeName!), name);
  },
  'state-store': (node, c) => {
    c.topology.addStateStore(node.builder);
  },
  'table-table-join': (node, c) => {
    writeTableTableJoin(node, c.binding(node), c.names(node).tableJoin!, c.parentOutputs(node), c.topology);
  },
  'foreign-key-join': (node, c) => {
    writeForeignKeyJoin(node, c.binding(node), c.names(node), c.parentOutputs(node), c.topology);
  },
  'cogroup-aggregate': (node, c) => {
    processor(node, c);
    connectCogroupStores(node, c);
  },
  'cogroup-merge': processor,
  'join-window': (node, c) => {
    const { name, storeName } = c.names(node);
    const supplier = joinWindowSupplier(storeName!, node.join.storeType === 'persistent');
    c.topology.addProcessor(name, supplier, ...c.parentOutputs(node));
  },
  'stream-stream-join': (node, c) => writeStreamStreamJoin(node, c.names(node).streamJoin!, c.topology),
  'stream-table-join': (node, c) => {
    processor(node, c);
    const { name, storeName } = c.names(node);
    if (node.grace !== undefined) c.topology.addStateStore(node.grace.bufferStore(storeName!), name);
  },
  'global-table-source': (node, c) => {
    const { name, sourceName, storeName } = c.names(node);
    const [store] = materializeStores(node.store, storeName!);
    const source = { keySerde: node.keySerde, valueSerde: node.valueSerde, timestampExtractor: node.timestampExtractor };
    c.topology.addGlobalStore(store!, sourceName!, node.topic, source, name, node.supplier(c.binding(node)) as ProcessorSupplier<unknown, unknown>);
  },
  'stream-global-join': processor,
};

/** Writes every node into `topology`, in the given order. */
export function compileGraph(input: CompileInput, topology: Topology): void {
  const context = emitContext(input, topology);
  for (const node of input.nodes) emit(node, context);
}

function emit<N extends GraphNode>(node: N, context: EmitContext): void {
  (EMITTERS[node.kind] as Emitter<N>)(node, context);
}

function emitContext(input: CompileInput, topology: Topology): EmitContext {
  const byId = new Map(input.nodes.map((node) => [node.id, node]));
  const namesOf = (node: GraphNode): NodeNames => {
    if (node.kind === 'inserted-repartition') return { name: node.names.sourceName };
    return input.names.get(node.id)!;
  };
  const outputOf = (id: NodeId): string => {
    const node = byId.get(id)!;
    return node.kind === 'repartition' ? namesOf(node).repartition!.sourceName : namesOf(node).name;
  };
  return {
    topology,
    names: namesOf,
    parentOutputs: (node) => node.parents.map(outputOf),
    binding: (node) => {
      const names = namesOf(node);
      const state = input.tableStates.get(node.id);
      const materialized = state?.materialized ?? names.storeName !== undefined;
      return {
        name: names.name,
        storeName: materialized ? names.storeName : undefined,
        sendOldValues: state?.sendOldValues ?? false,
        valueGetters: (node.kind === 'inserted-repartition' ? [] : (node.readsTables ?? [])).map((table) =>
          valueGetterSupplierOf(table, byId, input.names, input.tableStates),
        ),
      };
    },
    children: (parent) => input.nodes.filter((node) => node.parents.includes(parent.id)).sort((a, b) => a.id - b.id),
    keepsNullKeys: (node) => input.relaxedNullKeys?.has(node.id) === true,
  };
}

/** A node's processor, connected to the stores of the tables it looks up. */
function processor(node: SuppliedNode, c: EmitContext): void {
  const binding = c.binding(node);
  c.topology.addProcessor(binding.name, node.supplier(binding), ...c.parentOutputs(node));
  const lookedUp = [...new Set(binding.valueGetters.flatMap((getter) => getter.storeNames))];
  if (lookedUp.length > 0) c.topology.connectProcessorAndStateStores(binding.name, ...lookedUp);
}

/** A stateful node: its processor, then its store when the node is materialized. */
function statefulProcessor(node: SuppliedNode, store: StoreSpec, c: EmitContext): void {
  processor(node, c);
  addOwnStore(node, store, c);
}

/** The first input's aggregation adds the cogroup's stores; the others connect to them by name. */
function connectCogroupStores(node: Extract<GraphNode, { kind: 'cogroup-aggregate' }>, c: EmitContext): void {
  if (node.inputIndex === 0) {
    addOwnStore(node, node.cogroup.store, c);
    return;
  }
  const { name, storeName } = c.names(node);
  c.topology.connectProcessorAndStateStores(name, ...cogroupStoreNames(node.cogroup.store, storeName!));
}

function addOwnStore(node: GraphNode, store: StoreSpec, c: EmitContext): void {
  const { name, storeName } = c.binding(node);
  if (storeName === undefined) return;
  for (const builder of materializeStores(store, storeName)) c.topology.addStateStore(builder, name);
}

/**
 * `OptimizableRepartitionNode.writeToTopology`: the null-key filter (stream side only; a pass-through when a
 * join downstream keeps null keys), the sink writing the internal topic, and the source reading it back in the
 * next sub-topology.
 */
function writeRepartition(
  names: RepartitionNames,
  parents: readonly string[],
  options: SinkOptions,
  c: EmitContext,
  keepsNullKeys: boolean,
): void {
  let sinkParents = parents;
  if (names.filterName !== undefined) {
    c.topology.addProcessor(names.filterName, keepsNullKeys ? passThrough : nullKeyFilter, ...parents);
    sinkParents = [names.filterName];
  }
  c.topology.addSink(names.sinkName, names.topic, { ...options, internal: true }, ...sinkParents);
  c.topology.addSource(names.sourceName, names.topic, { keySerde: options.keySerde, valueSerde: options.valueSerde, internal: true });
}
