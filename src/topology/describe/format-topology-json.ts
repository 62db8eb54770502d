import type { TopologyDescription } from './topology-description.js';

/** The description as indented JSON, for tools; the shape is {@link TopologyDescription}. */
export function formatTopologyJson(description: TopologyDescription): string {
  return `${JSON.stringify(description, null, 2)}\n`;
}
