import type { NodeDescription, TopologyDescription } from './topology-description.js';

/**
 * A Mermaid `flowchart`: one subgraph per sub-topology, topics as parallelograms shared between sub-topologies
 * (so a repartition topic links the sub-topology writing it to the one reading it), stores as cylinders.
 * Mermaid ids are generated (`n0`, `t0`, `s0`) because node names contain characters Mermaid reads as syntax.
 */
export function formatTopologyMermaid(description: TopologyDescription): string {
  const ids = new IdRegistry();
  const lines = ['flowchart TD'];
  const edges: string[] = [];
  for (const subtopology of description.subtopologies) {
    lines.push(`  subgraph sub${subtopology.id} [${label(`Sub-topology: ${subtopology.id}`)}]`);
    for (const node of subtopology.nodes) {
      lines.push(`    ${ids.of('n', node.name)}[${label(`${kindLabel(node)}: ${node.name}`)}]`);
      edges.push(...edgesOf(node, ids));
    }
    lines.push('  end');
  }
  for (const store of description.globalStores) {
    lines.push(`  subgraph sub${store.id} [${label(`Sub-topology: ${store.id} for global store`)}]`);
    for (const node of [store.source, store.processor]) {
      lines.push(`    ${ids.of('n', node.name)}[${label(`${kindLabel(node)}: ${node.name}`)}]`);
      edges.push(...edgesOf(node, ids));
    }
    lines.push('  end');
  }
  for (const [name, id] of ids.entries('t')) lines.push(`  ${id}[/${label(name)}/]`);
  for (const [name, id] of ids.entries('s')) lines.push(`  ${id}[(${label(name)})]`);
  return [...lines, ...edges].join('\n') + '\n';
}

function edgesOf(node: NodeDescription, ids: IdRegistry): string[] {
  const self = ids.of('n', node.name);
  const edges = node.successors.map((successor) => `  ${self} --> ${ids.of('n', successor)}`);
  switch (node.type) {
    case 'source':
      return [...node.topics.map((topic) => `  ${ids.of('t', topic)} --> ${self}`), ...edges];
    case 'processor':
      return [...edges, ...node.stores.map((store) => `  ${self} -.- ${ids.of('s', store)}`)];
    case 'sink':
      return node.topic === null ? edges : [...edges, `  ${self} --> ${ids.of('t', node.topic)}`];
  }
}

function kindLabel(node: NodeDescription): string {
  if (node.type === 'sink' && node.topic === null) return `Sink (extractor ${node.topicExtractor})`;
  return { source: 'Source', processor: 'Processor', sink: 'Sink' }[node.type];
}

function label(text: string): string {
  return `"${text.replaceAll('"', '#quot;')}"`;
}

/** Hands out short ids per kind (`n` nodes, `t` topics, `s` stores) in order of first use. */
class IdRegistry {
  private readonly byKind = new Map<string, Map<string, string>>();

  of(kind: string, name: string): string {
    let names = this.byKind.get(kind);
    if (names === undefined) this.byKind.set(kind, (names = new Map()));
    let id = names.get(name);
    if (id === undefined) names.set(name, (id = `${kind}${names.size}`));
    return id;
  }

  entries(kind: string): Array<[string, string]> {
    return [...(this.byKind.get(kind) ?? [])];
  }
}
