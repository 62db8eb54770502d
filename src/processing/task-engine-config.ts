import type { Serde } from '../core/serde.js';
import type { ChangelogWriter } from '../state/changelog.js';
import type { StateStore } from '../state/state-store.js';
import type { TaskDatabase } from '../state/sqlite/task-database.js';
import type { TimestampExtractor } from '../topology/node-options.js';
import type { ErrorHandlerContext, ExceptionHandler } from './exception-handlers.js';
import type { RawRecord } from './raw-record.js';
import type { RecordCollector } from './record-collector.js';
import type { TaskLogger } from './task-logger.js';

/**
 * What happens to an input record whose extracted timestamp is invalid (negative, `NaN`, fractional, not a number):
 * - `'fail'` stops the task with an error naming the record's coordinates and the bad value (Kafka Streams'
 *   default, `FailOnInvalidTimestamp`);
 * - `'skip'` drops the record, counted as `droppedRecords.invalidTimestamps`, logged, and written to the dead-letter
 *   topic when one is configured;
 * - `'usePartitionTime'` processes it at the largest timestamp seen on its partition so far (Kafka Streams'
 *   `UsePartitionTimeOnInvalidTimestamp`), and skips it as `'skip'` does when the partition has no time yet.
 */
export type InvalidTimestampPolicy = 'fail' | 'skip' | 'usePartitionTime';

/** Kafka Streams' default of `__emit.interval.ms.kstreams.outer.join.spurious.results.fix__`. */
export const DEFAULT_OUTER_JOIN_EMIT_INTERVAL_MS = 1000;

/** Kafka Streams' default `statestore.cache.max.bytes`. */
export const DEFAULT_CACHE_MAX_BYTES = 10 * 1024 * 1024;

/**
 * The settings of one task. `StreamsConfig` and the test driver's config take their task-level fields from here,
 * so each is written, and documented, once.
 */
export interface TaskEngineConfig {
  readonly applicationId: string;
  /** Used by every source and sink that has no key serde of its own. */
  readonly defaultKeySerde?: Serde<unknown>;
  /** Used by every source and sink that has no value serde of its own. */
  readonly defaultValueSerde?: Serde<unknown>;
  /** Used by every source that has no timestamp extractor of its own; defaults to the record's Kafka timestamp. */
  readonly defaultTimestampExtractor?: TimestampExtractor;
  /** Defaults to `'fail'`. */
  readonly invalidTimestampPolicy?: InvalidTimestampPolicy;
  /**
   * When a processor drops a record as late (`context.recordDropped('lateRecord')`), the input record (its original
   * key, value, timestamp and headers) is also written here, with `__kstreams.late.*` headers naming where it came
   * from, the event time judged late and the processor. Under exactly-once, in the task's transaction.
   */
  readonly lateRecordsTopic?: string;
  /** Defaults to `'fail'`. */
  readonly deserializationExceptionHandler?: ExceptionHandler;
  /** Defaults to `'fail'`. */
  readonly processingExceptionHandler?: ExceptionHandler;
  /**
   * How often, at most, a left or outer stream-stream join scans for records whose window closed without a
   * partner, in wall-clock ms (Kafka Streams' internal `__emit.interval.ms.kstreams.outer.join.spurious.results.fix__`,
   * whose default, 1000, this is too). Throttling makes emission depend on the wall clock: `0` emits as soon as
   * stream time closes a window, which makes results reproducible record by record.
   */
  readonly outerJoinEmitIntervalMs?: number;
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
export interface TaskEngineResources {
  readonly database: TaskDatabase;
  readonly changelog: ChangelogWriter | null;
  readonly recordCollector: RecordCollector;
  /** The global stores (read-only views), which every processor may read by name. */
  readonly globalStores?: ReadonlyMap<string, StateStore>;
}
