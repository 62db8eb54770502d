import type { StoreBuilder } from '../state/state-store.js';
import type {
  CompiledTopology,
  GlobalStoreSpec,
  InternalTopicSpec,
  NodeSpec,
  ProcessorNodeSpec,
  SinkNodeSpec,
  SourceNodeSpec,
  SourceTopicSpec,
  StoreSpec,
  SubtopologySpec,
} from './compiled-topology.js';

/** A node as the topology records it while it is being built: children are derived only when compiling. */
export type NodeDefinition =
  | Omit<SourceNodeSpec, 'children'>
  | (Omit<ProcessorNodeSpec, 'children' | 'stores'> & { readonly stores: string[] })
  | SinkNodeSpec;

export interface StoreDefinition {
  readonly builder: StoreBuilder;
  readonly processors: string[];
}

/**
 * Cuts the nodes into sub-topologies and freezes the result. Sub-topologies are the connected components over
 * parent edges and shared stores, numbered like Kafka Streams' `makeNodeGroups`: in the order their first node
 * was added to the topology. A component holding a global source (`globalSources`) is a global store; it takes
 * its number like any other, so the task ids of the sub-topologies after it are Kafka Streams' too.
 */
export function compileTopology(
  definitions: ReadonlyMap<string, NodeDefinition>,
  stores: ReadonlyMap<string, StoreDefinition>,
  copartitionedSources: readonly (readonly string[])[] = [],
  globalSources: ReadonlySet<string> = new Set(),
): CompiledTopology {
  const nodes = withChildren(definitions);
  const componentOf = connectedComponents(definitions, stores);
  const subtopologies: SubtopologySpec[] = [];
  const globalStores: GlobalStoreSpec[] = [];
  const componentCount = new Set(componentOf.values()).size;
  for (let id = 0; id < componentCount; id++) {
    const component = subtopologyOf(id, nodes.filter((n) => componentOf.get(n.name) === id));
    if (component.nodes.some((n) => globalSources.has(n.name))) globalStores.push(globalStoreOf(component));
    else subtopologies.push(component);
  }
  const storeSpecs: StoreSpec[] = [...stores].map(([name, store]) => ({ name, builder: store.builder, processors: [...store.processors] }));
  const copartitionGroups = copartitionGroupsOf(definitions, copartitionedSources);
  return freezeCompiled({ subtopologies, globalStores, stores: storeSpecs, internalTopics: internalTopicsOf(nodes), copartitionGroups });
}

/** `Topology.addGlobalStore` keeps a global store's component to its source and its one processor. */
function globalStoreOf(component: SubtopologySpec): GlobalStoreSpec {
  const source = component.nodes.find((n) => n.kind === 'source')!;
  const processor = component.nodes.find((n) => n.kind === 'processor')!;
  return { ...component, topic: source.topics[0]!, storeName: processor.stores[0]!, source, processor };
}

function withChildren(definitions: ReadonlyMap<string, NodeDefinition>): NodeSpec[] {
  const children = new Map<string, string[]>([...definitions.keys()].map((name) => [name, []]));
  for (const node of definitions.values()) {
    if (node.kind === 'source') continue;
    for (const parent of node.parents) children.get(parent)!.push(node.name);
  }
  return [...definitions.values()].map((node): NodeSpec => {
    switch (node.kind) {
      case 'source':
        return { ...node, children: children.get(node.name)! };
      case 'processor':
        return { ...node, stores: [...node.stores], children: children.get(node.name)! };
      case 'sink':
        return node;
    }
  });
}

function connectedComponents(
  definitions: ReadonlyMap<string, NodeDefinition>,
  stores: ReadonlyMap<string, StoreDefinition>,
): Map<string, number> {
  const neighbours = new Map<string, string[]>([...definitions.keys()].map((name) => [name, []]));
  const link = (a: string, b: string): void => {
    neighbours.get(a)!.push(b);
    neighbours.get(b)!.push(a);
  };
  for (const node of definitions.values()) {
    if (node.kind !== 'source') for (const parent of node.parents) link(node.name, parent);
  }
  for (const { processors } of stores.values()) {
    for (const other of processors.slice(1)) link(processors[0]!, other);
  }
  const componentOf = new Map<string, number>();
  let next = 0;
  for (const start of definitions.keys()) {
    if (componentOf.has(start)) continue;
    const pending = [start];
    componentOf.set(start, next);
    for (let current = pending.pop(); current !== undefined; current = pending.pop()) {
      for (const neighbour of neighbours.get(current)!) {
        if (componentOf.has(neighbour)) continue;
        componentOf.set(neighbour, next);
        pending.push(neighbour);
      }
    }
    next++;
  }
  return componentOf;
}

function subtopologyOf(id: number, nodes: readonly NodeSpec[]): SubtopologySpec {
  const sourceTopics: SourceTopicSpec[] = [];
  const storeNames = new Set<string>();
  for (const node of nodes) {
    if (node.kind === 'source') {
      for (const name of node.topics) sourceTopics.push({ name, internal: node.options.internal === true });
    } else if (node.kind === 'processor') {
      for (const store of node.stores) storeNames.add(store);
    }
  }
  return { id, nodes, sourceTopics, storeNames: [...storeNames] };
}

function internalTopicsOf(nodes: readonly NodeSpec[]): InternalTopicSpec[] {
  const topics = new Map<string, number | undefined>();
  for (const node of nodes) {
    if (node.kind === 'source' && node.options.internal === true) {
      for (const topic of node.topics) if (!topics.has(topic)) topics.set(topic, undefined);
    } else if (node.kind === 'sink' && node.options.internal === true && typeof node.topic === 'string') {
      topics.set(node.topic, node.options.partitions ?? topics.get(node.topic));
    }
  }
  return [...topics].map(([name, partitions]) => ({ name, partitions }));
}

/** `InternalTopologyBuilder.copartitionGroups`: each group of source nodes as the topics they read, in order. */
function copartitionGroupsOf(
  definitions: ReadonlyMap<string, NodeDefinition>,
  copartitionedSources: readonly (readonly string[])[],
): SourceTopicSpec[][] {
  return copartitionedSources.map((sourceNames) => {
    const topics = new Map<string, SourceTopicSpec>();
    for (const sourceName of sourceNames) {
      const source = definitions.get(sourceName) as Extract<NodeDefinition, { kind: 'source' }>;
      for (const name of source.topics) topics.set(name, { name, internal: source.options.internal === true });
    }
    return [...topics.values()];
  });
}

/**
 * Freezes the structure the topology owns (specs, their arrays and option copies) but not the objects users
 * handed in: serdes, suppliers and store builders may keep state of their own.
 */
function freezeCompiled(compiled: CompiledTopology): CompiledTopology {
  for (const subtopology of [...compiled.subtopologies, ...compiled.globalStores]) {
    for (const node of subtopology.nodes) freezeNode(node);
    Object.freeze(subtopology.nodes);
    for (const topic of subtopology.sourceTopics) Object.freeze(topic);
    Object.freeze(subtopology.sourceTopics);
    Object.freeze(subtopology.storeNames);
    Object.freeze(subtopology);
  }
  for (const store of compiled.stores) {
    Object.freeze(store.processors);
    Object.freeze(store);
  }
  for (const topic of compiled.internalTopics) Object.freeze(topic);
  for (const group of compiled.copartitionGroups) {
    for (const topic of group) Object.freeze(topic);
    Object.freeze(group);
  }
  Object.freeze(compiled.copartitionGroups);
  Object.freeze(compiled.subtopologies);
  Object.freeze(compiled.globalStores);
  Object.freeze(compiled.stores);
  Object.freeze(compiled.internalTopics);
  return Object.freeze(compiled);
}

function freezeNode(node: NodeSpec): void {
  if (Object.isFrozen(node)) return;
  if (node.kind !== 'processor') Object.freeze(node.options);
  if (node.kind === 'source') Object.freeze(node.topics);
  else Object.freeze(node.parents);
  if (node.kind !== 'sink') Object.freeze(node.children);
  if (node.kind === 'processor') Object.freeze(node.stores);
  Object.freeze(node);
}
