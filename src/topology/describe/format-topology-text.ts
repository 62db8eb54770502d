import type { NodeDescription, SubtopologyDescription, TopologyDescription } from './topology-description.js';

/**
 * Kafka Streams' `TopologyDescription.toString()` layout, byte for byte, including its quirks: the first
 * sub-topology line is indented by three spaces and the later ones by two, and every sub-topology ends with an
 * empty line.
 */
export function formatTopologyText(description: TopologyDescription): string {
  return 'Topologies:\n ' + description.subtopologies.map((subtopology) => '  ' + formatSubtopology(subtopology)).join('');
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
