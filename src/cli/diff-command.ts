import { Option, type Command } from 'commander';
import { diffTopologies, type ChangeSeverity, type TopologyChange } from '../topology/diff/diff-topologies.js';
import { loadTopology } from './load-topology.js';
import { withStdoutToStderr } from './stdout-to-stderr.js';

const LABELS: { readonly [severity in ChangeSeverity]: string } = { 'loses-state': 'LOSES STATE', check: 'check', safe: 'safe' };

/**
 * `kstreams diff <old-module> <new-module>`: what deploying the new topology over the old one would do to its state.
 * Exits 1 when a change loses state or records in flight, so that a deploy pipeline can stop on it.
 */
export function registerDiffCommand(program: Command): void {
  program
    .command('diff')
    .description('compare two topologies: the changes that silently lose state (renamed or removed stores and repartition topics, changed store layouts and partitioning)')
    .argument('<old-module>', 'module exporting the running topology (as for describe)')
    .argument('<new-module>', 'module exporting the topology to deploy')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (oldModule: string, newModule: string, options: { format: string }) => {
      const before = (await withStdoutToStderr(() => loadTopology(oldModule))).build();
      const after = (await withStdoutToStderr(() => loadTopology(newModule))).build();
      const changes = diffTopologies(before, after);
      process.stdout.write(options.format === 'json' ? `${JSON.stringify({ changes }, null, 2)}\n` : formatChanges(changes));
      if (changes.some((change) => change.severity === 'loses-state')) process.exitCode = 1;
    });
}

function formatChanges(changes: readonly TopologyChange[]): string {
  if (changes.length === 0) return 'no changes to stores or repartition topics\n';
  const lines = changes.map((change) => `${LABELS[change.severity].padEnd(11)}  ${change.message}`);
  const lost = changes.filter((change) => change.severity === 'loses-state').length;
  lines.push('', lost > 0 ? `${lost} change(s) lose state: reset the application, or keep the old names` : 'no change loses state');
  return `${lines.join('\n')}\n`;
}
