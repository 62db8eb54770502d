import { describeError, StreamsError } from '../../core/errors.js';
import type { ResolvedStreamsConfig } from './streams-config.js';

/** Both adapters' words for credentials the broker refused (SASL_AUTHENTICATION_FAILED, "authentication failed"). */
const AUTHENTICATION_REFUSED = /SASL_AUTHENTICATION_FAILED|authentication failed|invalid credentials/i;

/**
 * The first connection failed: name the setting that is usually wrong. Refused credentials are
 * `AUTHENTICATION_FAILED`, naming the user and mechanism (never the password), and are never retried: trying again
 * cannot fix them. Anything else is `BROKER_UNAVAILABLE`, naming the addresses.
 */
export function firstConnectionError(config: Pick<ResolvedStreamsConfig, 'bootstrapServers' | 'sasl'>, cause: unknown): StreamsError {
  const where = config.bootstrapServers.length === 0 ? 'through the client given to KafkaStreams' : `at ${config.bootstrapServers.join(', ')}`;
  const reason = describeError(cause);
  if (config.sasl !== undefined && AUTHENTICATION_REFUSED.test(reason)) {
    const who = `user ${JSON.stringify(config.sasl.username)}, mechanism ${config.sasl.mechanism}`;
    return new StreamsError('AUTHENTICATION_FAILED', `Kafka ${where} refused the credentials (config "sasl": ${who}): ${reason}`, { cause });
  }
  const setting = config.bootstrapServers.length === 0 ? '' : ' (config "bootstrapServers")';
  return new StreamsError('BROKER_UNAVAILABLE', `cannot connect to Kafka ${where}${setting}: ${reason}`, { cause });
}
