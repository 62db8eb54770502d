import { ConfigError } from '../../../core/errors.js';
import type { StreamsConfig } from '../streams-config.js';

/** Settings that hold code, which a worker thread cannot receive: where to put them instead. */
const CODE_SETTINGS: ReadonlyMap<keyof StreamsConfig, string> = new Map<keyof StreamsConfig, string>([
  ['defaultKeySerde', 'give the serdes on the operations of the topology module instead'],
  ['defaultValueSerde', 'give the serdes on the operations of the topology module instead'],
  ['defaultTimestampExtractor', 'give the extractor on the sources of the topology module instead'],
  ['deserializationExceptionHandler', "only 'fail' or 'continue' (or a deadLetterTopic) can be used"],
  ['processingExceptionHandler', "only 'fail' or 'continue' (or a deadLetterTopic) can be used"],
  ['productionExceptionHandler', "only 'fail' or 'continue' (or a deadLetterTopic) can be used"],
]);

/**
 * The config as each stream thread's worker receives it: the user's settings as given (each worker resolves them
 * again, so they mean the same there), without the logger, which stays on the main thread and writes the workers'
 * lines (`relayLog`), and without the query server, which the main thread runs. Worker threads receive data, not functions, so a setting holding code is a `ConfigError`
 * saying where to put it; so is a client object given to `KafkaStreams`, which cannot be shared between threads.
 */
export function workerConfigOf(config: StreamsConfig, clientGiven: boolean): StreamsConfig {
  if (clientGiven) {
    throw new ConfigError('numStreamThreads', 'above 1 each stream thread connects a client of its own in its worker: a client given to KafkaStreams cannot be shared with them');
  }
  for (const [key, advice] of CODE_SETTINGS) {
    const value = config[key];
    if (value !== undefined && typeof value !== 'string') {
      throw new ConfigError(key, `holds code, which the worker threads of numStreamThreads > 1 cannot receive: ${advice}`);
    }
  }
  // The main thread keeps what is not data, or what it does for every thread: logs, metrics, the restore listener, queries.
  const { logger: _logger, logLevel: _logLevel, queryServer: _queryServer, metricsRegistry: _registry, metricsPort: _port, metricsHost: _host, stateRestoreListener: _listener, ...rest } = config;
  try {
    return structuredClone(rest);
  } catch (cause) {
    throw new ConfigError('numStreamThreads', `above 1 the config is sent to worker threads, which receive plain data only: ${(cause as Error).message}`);
  }
}
