import { Option, type Command } from 'commander';
import { formatTopologyJson } from '../topology/describe/format-topology-json.js';
import { formatTopologyMermaid } from '../topology/describe/format-topology-mermaid.js';
import { formatTopologyText } from '../topology/describe/format-topology-text.js';
import type { TopologyDescription } from '../topology/describe/topology-description.js';
import { loadTopology } from './load-topology.js';
import { withStdoutToStderr } from './stdout-to-stderr.js';

const FORMATTERS: { readonly [format: string]: (description: TopologyDescription) => string } = {
  text: formatTopologyText,
  mermaid: formatTopologyMermaid,
  json: formatTopologyJson,
};

/** `kstreams describe <module> [--format text|mermaid|json]`: prints the topology a module exports. */
export function registerDescribeCommand(program: Command): void {
  program
    .command('describe')
    .description('print the topology exported by a .ts or .js module')
    .argument('<module>', 'module exporting a Topology, a function returning one, or a StreamsBuilder (default or "topology" export)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(Object.keys(FORMATTERS)).default('text'))
    .action(async (modulePath: string, options: { format: string }) => {
      const topology = await withStdoutToStderr(() => loadTopology(modulePath));
      process.stdout.write(FORMATTERS[options.format]!(topology.describe()));
    });
}
