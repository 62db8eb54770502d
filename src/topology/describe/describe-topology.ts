import type { CompiledTopology, GlobalStoreSpec, NodeSpec, SubtopologySpec } from '../compiled-topology.js';
import { javaHashSetOrder } from './java-hash-order.js';
import { JavaTreeSet } from './java-tree-set.js';
import type { GlobalStoreDescription, NodeDescription, SubtopologyDescription, TopologyDescription } from './topology-description.js';

/** A node while its description is assembled; `size` is the size of the sub-graph it reaches, itself included. */
interface NodeUnderConstruction {
  readonly spec: NodeSpec;
  size: number;
  readonly predecessors: JavaTreeSet<NodeUnderConstruction>;
  readonly successors: JavaTreeSet<NodeUnderConstruction>;
}

/** Bigger reach first, then by name: Kafka Streams' node order within a sub-topology. */
function compareNodes(a: NodeUnderConstruction, b: NodeUnderConstruction): number {
  if (a === b) return 0;
  if (a.size !== b.size) return b.size - a.size;
  return a.spec.name < b.spec.name ? -1 : a.spec.name > b.spec.name ? 1 : 0;
}

export function describeTopology(compiled: CompiledTopology): TopologyDescription {
  return { subtopologies: compiled.subtopologies.map(describeSubtopology), globalStores: compiled.globalStores.map(describeGlobalStore) };
}

/** `InternalTopologyBuilder.describeGlobalStore`: always one source and one processor, linked to each other only. */
function describeGlobalStore(spec: GlobalStoreSpec): GlobalStoreDescription {
  const { source, processor } = spec;
  return {
    id: spec.id,
    source: { type: 'source', name: source.name, topics: [spec.topic], successors: [processor.name], predecessors: [] },
    processor: { type: 'processor', name: processor.name, stores: [spec.storeName], successors: [], predecessors: [source.name] },
  };
}

/**
 * Mirrors Kafka Streams' `describeSubtopology`: it connects nodes in the iteration order of a Java HashMap keyed
 * by node name, growing each ancestor's size as edges are added. Edge sets are ordered at insertion time with the
 * sizes of that moment, which is why the connection order has to be reproduced.
 */
function describeSubtopology(subtopology: SubtopologySpec): SubtopologyDescription {
  const byName = new Map<string, NodeUnderConstruction>();
  for (const spec of subtopology.nodes) {
    byName.set(spec.name, { spec, size: 1, predecessors: new JavaTreeSet(compareNodes), successors: new JavaTreeSet(compareNodes) });
  }
  for (const name of javaHashSetOrder([...byName.keys()])) {
    const node = byName.get(name)!;
    if (node.spec.kind === 'source') continue;
    for (const parentName of node.spec.parents) {
      const parent = byName.get(parentName)!;
      node.predecessors.add(parent);
      parent.successors.add(node);
      growReach(parent, node.size);
    }
  }
  const ordered = [...byName.values()].sort(compareNodes);
  return { id: subtopology.id, nodes: ordered.map(describeNode) };
}

function growReach(node: NodeUnderConstruction, delta: number): void {
  node.size += delta;
  for (const predecessor of node.predecessors.toArray()) growReach(predecessor, delta);
}

function describeNode(node: NodeUnderConstruction): NodeDescription {
  const successors = node.successors.toArray().map((n) => n.spec.name);
  const predecessors = node.predecessors.toArray().map((n) => n.spec.name);
  const { spec } = node;
  switch (spec.kind) {
    case 'source':
      return { type: 'source', name: spec.name, topics: javaHashSetOrder(spec.topics), successors, predecessors };
    case 'processor':
      return { type: 'processor', name: spec.name, stores: javaHashSetOrder(spec.stores), successors, predecessors };
    case 'sink':
      return typeof spec.topic === 'string'
        ? { type: 'sink', name: spec.name, topic: spec.topic, topicExtractor: null, successors, predecessors }
        : { type: 'sink', name: spec.name, topic: null, topicExtractor: spec.topic.name || 'anonymous', successors, predecessors };
  }
}
