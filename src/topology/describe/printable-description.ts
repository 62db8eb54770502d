import { formatTopologyText } from './format-topology-text.js';
import type { TopologyDescription } from './topology-description.js';

/** Node's `util.inspect.custom`, by its registered name: `console.log` asks an object for it. */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * The description as it stays (plain data: `JSON.stringify` and `deepEqual` see only its fields), which turns into
 * Kafka Streams' text when printed: `String(description)`, a template literal, or `console.log(topology.describe())`,
 * as Kafka Streams users print `topology.describe()`. The two methods are not enumerable, so they are not part of the data.
 */
export function printableAsText(description: TopologyDescription): TopologyDescription {
  const text = () => formatTopologyText(description);
  Object.defineProperty(description, 'toString', { value: text, enumerable: false });
  Object.defineProperty(description, INSPECT, { value: text, enumerable: false });
  return description;
}
