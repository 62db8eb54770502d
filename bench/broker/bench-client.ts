import type { KafkaClientName } from '../../src/runtime/app/streams-config.js';

const CLIENT_NAMES: readonly KafkaClientName[] = ['kafkajs', 'platformatic'];

/**
 * The client adapter a bench runs kstreams on, from `--client` or `BENCH_CLIENT` (`source` names which in the
 * error); platformatic, the runtime's default, when not given.
 */
export function benchClientOf(value: string | undefined, source: string): KafkaClientName {
  if (value === undefined || value === '') return 'platformatic';
  if (!(CLIENT_NAMES as readonly string[]).includes(value)) throw new Error(`${source} must be one of ${CLIENT_NAMES.join(', ')}, got ${value}`);
  return value as KafkaClientName;
}
