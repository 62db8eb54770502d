#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { StreamsError } from '../core/errors.js';
import { BrokerFailure } from '../runtime/client/broker-failure.js';
import { registerDescribeCommand } from './describe-command.js';
import { registerDiffCommand } from './diff-command.js';
import { registerQueryCommand } from './query-command.js';
import { registerRunCommand } from './run-command.js';
import { CliError } from './load-topology.js';
import { packageVersion } from './package-version.js';
import { registerResetCommand } from './reset-command.js';
import { UsageError } from './usage-error.js';

/** Exit codes: 0 done, 1 refused or failed, 2 a usage error (commander's, or options that do not parse). */
const program = new Command().name('kstreams').description('Kafka Streams for TypeScript: tools for kstreams applications').version(packageVersion()).exitOverride();
registerDescribeCommand(program);
registerDiffCommand(program);
registerRunCommand(program);
registerResetCommand(program);
registerQueryCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has printed its message (or the help) already.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    const expected = error instanceof CliError || error instanceof StreamsError || error instanceof BrokerFailure;
    const message = expected ? error.message : `unexpected failure: ${error instanceof Error ? error.message : String(error)}`;
    process.stderr.write(`kstreams: ${message.split('\n')[0]}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  }
}
