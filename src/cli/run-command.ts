import type { Command } from 'commander';
import { describeError } from '../core/errors.js';
import { KafkaStreams } from '../runtime/app/kafka-streams.js';
import type { StreamsConfig } from '../runtime/app/streams-config.js';
import type { Topology } from '../topology/topology.js';
import { CliError, loadApplication } from './load-topology.js';

interface RunOptions {
  readonly bootstrapServers?: string;
  readonly applicationId?: string;
}

/**
 * `kstreams run <module>`: starts the topology a module exports with the `config` it exports (an object, or a function
 * returning one), prints each state change, and closes cleanly on SIGINT or SIGTERM (commit, leave the group, release
 * the state directory). Exits 0 after a clean close, 1 when the application fails.
 */
export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run the topology a module exports, with the StreamsConfig it exports as "config"; Ctrl-C closes it cleanly')
    .argument('<module>', 'module exporting a topology (as for describe) and its StreamsConfig as "config"')
    .option('-b, --bootstrap-servers <list>', 'overrides the config\'s bootstrapServers')
    .option('-a, --application-id <id>', 'overrides the config\'s applicationId')
    .action(async (modulePath: string, options: RunOptions) => {
      const { topology, config } = await loadApplication(modulePath);
      if (typeof config !== 'object' || config === null) throw new CliError(`${modulePath} exports no config: export its StreamsConfig as "config" (an object, or a function returning one)`);
      const overrides = { ...(options.bootstrapServers === undefined ? {} : { bootstrapServers: options.bootstrapServers }), ...(options.applicationId === undefined ? {} : { applicationId: options.applicationId }) };
      process.exitCode = await runUntilClosed(topology as Topology, { ...(config as StreamsConfig), ...overrides });
    });
}

async function runUntilClosed(topology: Topology, config: StreamsConfig): Promise<number> {
  let streams: KafkaStreams;
  try {
    streams = new KafkaStreams(topology, { ...config, installShutdownHook: false });
  } catch (error) {
    throw new CliError(`the config is not valid: ${describeError(error)}`);
  }
  const closed = new Promise<number>((resolve) => {
    streams.setStateListener((state, previous) => {
      process.stdout.write(`kstreams: ${previous} -> ${state}\n`);
      if (state === 'ERROR') resolve(1);
      if (state === 'NOT_RUNNING') resolve(0);
    });
  });
  const close = () => void streams.close();
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  try {
    await streams.start();
  } catch (error) {
    await streams.close();
    throw new CliError(`start failed: ${describeError(error)}`);
  }
  const code = await closed;
  process.off('SIGINT', close);
  process.off('SIGTERM', close);
  if (code !== 0) await streams.close();
  return code;
}
