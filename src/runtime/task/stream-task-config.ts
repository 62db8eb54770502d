import type { Serde } from '../../core/serde.js';
import type { ChangelogWriter } from '../../state/changelog.js';
import type { TaskDatabase } from '../../state/sqlite/task-database.js';
import type { ErrorHandlerContext, ExceptionHandler } from './exception-handlers.js';
import type { RawRecord } from './raw-record.js';
import type { RecordCollector } from './record-collector.js';
import type { TaskLogger } from './task-logger.js';

/** Kafka Streams' default `statestore.cache.max.bytes`. */
export const DEFAULT_CACHE_MAX_BYTES = 10 * 1024 * 1024;

/**
 * The settings of one task. `StreamsConfig` and the test driver's config take their task-level fields from here,
 * so each is written, and documented, once.
 */
export interface StreamTaskConfig {
  readonly applicationId: string;
  /** Used by every source and sink that has no key serde of its own. */
  readonly defaultKeySerde?: Serde<unknown>;
  /** Used by every source and sink that has no value serde of its own. */
  readonly defaultValueSerde?: Serde<unknown>;
  /** Defaults to `'fail'`. */
  readonly deserializationExceptionHandler?: ExceptionHandler;
  /** Defaults to `'fail'`. */
  readonly processingExceptionHandler?: ExceptionHandler;
  /** Record-cache budget of the task's caching stores; defaults to 10 MiB, `0` disables caching. */
  readonly cacheMaxBytes?: number;
  /** A pino logger (or anything with the same methods); defaults to silence. */
  readonly logger?: TaskLogger;
  /** Wall clock in ms; the test driver passes its mock clock. Defaults to `Date.now`. */
  readonly clock?: () => number;
  /**
   * Called with the input record (as consumed) each time a deserialization or processing handler skips it with
   * `'continue'`; the Kafka runtime writes it to the dead-letter topic. Not called for failures in punctuations.
   */
  readonly onSkippedRecord?: (record: RawRecord, context: ErrorHandlerContext) => void;
}

/** What the task writes to: supplied by the Kafka runtime, or by the test driver in memory. */
export interface StreamTaskResources {
  readonly database: TaskDatabase;
  readonly changelog: ChangelogWriter | null;
  readonly recordCollector: RecordCollector;
}
