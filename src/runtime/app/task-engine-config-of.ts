import type { TaskEngineConfig } from '../../processing/task-engine-config.js';
import type { ResolvedStreamsConfig } from './streams-config.js';

/** The task-level settings of a streams config, for stream tasks and the global state task alike. */
export function taskEngineConfigOf(config: ResolvedStreamsConfig): TaskEngineConfig {
  return {
    applicationId: config.applicationId,
    ...(config.defaultKeySerde === undefined ? {} : { defaultKeySerde: config.defaultKeySerde }),
    ...(config.defaultValueSerde === undefined ? {} : { defaultValueSerde: config.defaultValueSerde }),
    deserializationExceptionHandler: config.deserializationExceptionHandler,
    processingExceptionHandler: config.processingExceptionHandler,
    cacheMaxBytes: config.cacheMaxBytes,
    ...(config.defaultTimestampExtractor === undefined ? {} : { defaultTimestampExtractor: config.defaultTimestampExtractor }),
    invalidTimestampPolicy: config.invalidTimestampPolicy,
    ...(config.lateRecordsTopic === undefined ? {} : { lateRecordsTopic: config.lateRecordsTopic }),
    outerJoinEmitIntervalMs: config.outerJoinEmitIntervalMs,
    logger: config.logger,
  };
}
