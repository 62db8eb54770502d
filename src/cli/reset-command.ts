import { Option, type Command } from 'commander';
import { ConfigError } from '../core/errors.js';
import type { KafkaClientName } from '../runtime/app/streams-config.js';
import { parseIsoDatetime, parseIsoDuration } from '../runtime/reset/iso-time.js';
import { resetApplication } from '../runtime/reset/reset-application.js';
import type { ResetTarget } from '../runtime/reset/reset-target.js';
import { formatResetReport } from './format-reset-report.js';
import { UsageError } from './usage-error.js';

interface ResetCommandOptions {
  readonly applicationId: string;
  readonly bootstrapServers: string;
  readonly inputTopics?: string[];
  readonly intermediateTopics?: string[];
  readonly internalTopics?: string[];
  readonly toEarliest?: true;
  readonly toLatest?: true;
  readonly toDatetime?: string;
  readonly byDuration?: string;
  readonly stateDir?: string;
  readonly client?: KafkaClientName;
  readonly dryRun?: true;
}

const TARGETS = ['toEarliest', 'toLatest', 'toDatetime', 'byDuration'];
const list = (value: string): string[] => value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
/** Commander names conflicting options by their attribute names. */
const exclusive = (name: string) => TARGETS.filter((t) => t !== name);

/**
 * `kstreams reset`: Kafka's `kafka-streams-application-reset`, with the same option names, for a stopped kstreams
 * application; it also removes the application's local state under `--state-dir`.
 */
export function registerResetCommand(program: Command): void {
  program
    .command('reset')
    .description('reset an application so that it processes its input again: move its input offsets, delete its internal topics, remove its local state (stop every instance first)')
    .requiredOption('--application-id <id>', 'the application id (its consumer group and the prefix of its internal topics)')
    .requiredOption('--bootstrap-servers <list>', 'the brokers, host:port[,host:port…]')
    .option('--input-topics <list>', 'comma-separated input topics whose offsets are reset', list)
    .option('--intermediate-topics <list>', 'comma-separated topics the application writes and reads again: offsets to their end', list)
    .option('--internal-topics <list>', 'delete only these internal topics (a subset of those a dry run lists)', list)
    .addOption(new Option('--to-earliest', 'reset input offsets to the log start (the default)').conflicts(exclusive('toEarliest')))
    .addOption(new Option('--to-latest', 'reset input offsets to the end').conflicts(exclusive('toLatest')))
    .addOption(new Option('--to-datetime <iso>', 'reset input offsets to the first record at or after this time, e.g. 2026-01-31T12:00:00.000Z').conflicts(exclusive('toDatetime')))
    .addOption(new Option('--by-duration <duration>', 'reset input offsets to this long ago (ISO-8601, e.g. PT1H, P1DT12H)').conflicts(exclusive('byDuration')))
    .option('--state-dir <dir>', 'the state directory of the application (StreamsConfig.stateDir; default <tmpdir>/kstreams)')
    .addOption(new Option('--client <name>', 'the Kafka client adapter (default: the default of StreamsConfig.client)').choices(['kafkajs', 'platformatic']))
    .option('--dry-run', 'print what would be done, change nothing')
    .action(async (options: ResetCommandOptions) => {
      const [to, described] = resetTarget(options);
      const report = await resetApplication({
        applicationId: options.applicationId,
        bootstrapServers: options.bootstrapServers,
        ...(options.client === undefined ? {} : { client: options.client }),
        to,
        dryRun: options.dryRun === true,
        ...(options.inputTopics === undefined ? {} : { inputTopics: options.inputTopics }),
        ...(options.intermediateTopics === undefined ? {} : { intermediateTopics: options.intermediateTopics }),
        ...(options.internalTopics === undefined ? {} : { internalTopics: options.internalTopics }),
        ...(options.stateDir === undefined ? {} : { stateDir: options.stateDir }),
      });
      process.stdout.write(formatResetReport(report, described));
    });
}

/** The target of the options, and how the report names it; a malformed time is a usage error. */
function resetTarget(options: ResetCommandOptions): [ResetTarget, string] {
  try {
    if (options.toLatest) return ['latest', 'the end'];
    if (options.toDatetime !== undefined) return [{ datetime: parseIsoDatetime('--to-datetime', options.toDatetime) }, options.toDatetime];
    if (options.byDuration !== undefined) return [{ byDurationMs: parseIsoDuration('--by-duration', options.byDuration) }, `${options.byDuration} ago`];
    return ['earliest', 'the log start'];
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}
