#!/usr/bin/env node
import { Command } from 'commander';
import { registerDescribeCommand } from './describe-command.js';
import { CliError } from './load-topology.js';

const program = new Command().name('kstreams').description('Kafka Streams for TypeScript: tools for kstreams applications');
registerDescribeCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const message = error instanceof CliError ? error.message : `unexpected failure: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`kstreams: ${message}\n`);
  process.exitCode = 1;
}
