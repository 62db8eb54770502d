import { pino } from 'pino';
import type { StreamsConfig } from '../../../src/index.js';
import { wordCountTopology } from '../streams/streams-support.js';

/** The module `kstreams run` is given in the CLI test: word count over the topics and application the test names in its environment. */
const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

export const topology = () => wordCountTopology(env('CLI_APP_INPUT'), env('CLI_APP_OUTPUT'));

export const config = (): StreamsConfig => ({
  applicationId: env('CLI_APP_ID'),
  bootstrapServers: env('KAFKA_BROKERS'),
  stateDir: env('CLI_APP_STATE_DIR'),
  processingGuarantee: 'exactly_once',
  logger: pino({ level: 'silent' }),
});
