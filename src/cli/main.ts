#!/usr/bin/env node
import { Command } from 'commander';
import { registerDescribeCommand } from './describe-command.js';
import { registerDiffCommand } from './diff-command.js';
import { registerRunCommand } from './run-command.js';
import { CliError } from './load-topology.js';
import { packageVersion } from './package-version.js';

const program = new Command().name('kstreams').description('Kafka Streams for TypeScript: tools for kstreams applications').version(packageVersion());
registerDescribeCommand(program);
registerDiffCommand(program);
registerRunCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const message = error instanceof CliError ? error.message : `unexpected failure: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`kstreams: ${message}\n`);
  process.exitCode = 1;
}
