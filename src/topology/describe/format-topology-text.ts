import type { GlobalStoreDescription, NodeDescription, SubtopologyDescription, TopologyDescription } from './topology-description.js';

/**
 * Kafka Streams' `TopologyDescription.toString()` layout, byte for byte, including its quirks: the first
 * sub-topology line is indented by three spaces and the later ones by two, and every sub-topology ends with an
 * empty line.
 */
export function formatTopologyText(description: TopologyDescription): string {
  const blocks = [
    ...description.subtopologies.map((subtopology) => ({ id: subtopology.id, text: formatSubtopology(subtopology) })),
    ...description.globalStores.map((store) => ({ id: store.id, text: formatGlobalStore(store) })),
  ].sort((a, b) => a.id - b.id);
  return 'Topologies:\n ' + blocks.map((block) => '  ' + block.text).join('');
}

/** Unlike a sub-topology, a global store's block ends without an empty line. */
function formatGlobalStore(store: GlobalStoreDescription): string {
  return `Sub-topology: ${store.id} for global store (will not generate tasks)\n    ${formatNode(store.source)}\n    ${formatNode(store.processor)}\n`;
}

function formatSubtopology(subtopology: SubtopologyDescription): string {
  const nodes = subtopology.nodes.map((node) => `    ${formatNode(node)}\n`).join('');
  return `Sub-topology: ${subtopology.id}\n${nodes}\n`;
}

function formatNode(node: NodeDescription): string {
  switch (node.type) {
    case 'source':
      return `Source: ${node.name} (topics: [${node.topics.join(', ')}])\n      --> ${nodeNames(node.successors)}`;
    case 'processor':
      return (
        `Processor: ${node.name} (stores: [${node.stores.join(', ')}])\n` +
        `      --> ${nodeNames(node.successors)}\n      <-- ${nodeNames(node.predecessors)}`
      );
    case 'sink': {
      const target = node.topic !== null ? `topic: ${node.topic}` : `extractor class: ${node.topicExtractor}`;
      return `Sink: ${node.name} (${target})\n      <-- ${nodeNames(node.predecessors)}`;
    }
  }
}

function nodeNames(names: readonly string[]): string {
  return names.length === 0 ? 'none' : names.join(', ');
}
