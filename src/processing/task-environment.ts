import { describeError, ProcessingError, type ErrorCoordinates, type StreamsError } from '../core/errors.js';
import { Headers } from '../core/headers.js';
import type { Cancellable, PunctuationType, Punctuator } from '../core/processor.js';
import { stateFailureOf } from '../state/sqlite/state-failure.js';
import type { StateStore } from '../state/state-store.js';
import { DropWarnings } from './drop-warnings.js';
import { decide, type ErrorHandlerContext, type ExceptionHandler } from './exception-handlers.js';
import { lateRecord } from './late-record.js';
import { PunctuationQueue } from './punctuation-queue.js';
import type { RawRecord } from './raw-record.js';
import type { RecordCollector } from './record-collector.js';
import type { TaskLogger } from './task-logger.js';
import type { TaskMetricsRecorder } from './task-metrics.js';

/** The record a node is handling: the input record's coordinates with the timestamp and headers of the forward. */
export interface CurrentRecordContext {
  readonly topic: string | null;
  readonly partition: number | null;
  readonly offset: number | null;
  readonly timestamp: number;
  readonly headers: Headers;
}

/** Errors already run through the processing handler, so parents re-throw them instead of handling them twice. */
const decidedFailures = new WeakSet<object>();

export interface TaskEnvironmentOptions {
  readonly applicationId: string;
  readonly taskId: string;
  readonly clock: () => number;
  readonly streamTime: () => number;
  readonly recordCollector: RecordCollector;
  readonly processingExceptionHandler: ExceptionHandler;
  readonly metrics: TaskMetricsRecorder;
  readonly logger: TaskLogger;
  readonly onSkippedRecord?: ((record: RawRecord, context: ErrorHandlerContext) => void) | undefined;
  readonly lateRecordsTopic?: string | undefined;
  readonly outerJoinEmitIntervalMs?: number | undefined;
  /** Global stores by name, read-only: every processor of the task may read them without being connected. */
  readonly globalStores?: ReadonlyMap<string, StateStore> | undefined;
}

/**
 * What the nodes and processor contexts of one task share: the current record context, stores, punctuation
 * queues, the record collector and the processing-error policy. Owned by a `TaskEngine`.
 */
export class TaskEnvironment {
  readonly applicationId: string;
  readonly taskId: string;
  readonly recordCollector: RecordCollector;
  readonly metrics: TaskMetricsRecorder;
  readonly logger: TaskLogger;
  readonly stores = new Map<string, StateStore>();
  readonly globalStores: ReadonlyMap<string, StateStore>;
  readonly streamTimePunctuations = new PunctuationQueue();
  readonly wallClockPunctuations = new PunctuationQueue();
  /** Rate-limited warnings about records processors drop. */
  readonly dropWarnings: DropWarnings;
  /** `null` outside record processing (punctuations set their own context; flushes run without one). */
  recordContext: CurrentRecordContext | null = null;
  /** The consumed record being processed, for the skipped-record hook; `null` outside record processing. */
  currentInput: RawRecord | null = null;
  commitRequested = false;
  /** The input record last copied to the late-records topic, and by which processors (one copy each). */
  private lateCopies: { readonly input: RawRecord; readonly processors: Set<string> } | null = null;

  constructor(private readonly options: TaskEnvironmentOptions) {
    this.applicationId = options.applicationId;
    this.taskId = options.taskId;
    this.recordCollector = options.recordCollector;
    this.metrics = options.metrics;
    this.logger = options.logger;
    this.globalStores = options.globalStores ?? new Map();
    this.dropWarnings = new DropWarnings(options.logger, options.clock);
  }

  get outerJoinEmitIntervalMs(): number | undefined {
    return this.options.outerJoinEmitIntervalMs;
  }

  wallClockMs(): number {
    return this.options.clock();
  }

  streamTimeMs(): number {
    return this.options.streamTime();
  }

  /** Kafka Streams' alignment: stream-time schedules start at 0, wall-clock ones one interval from now. */
  schedule(nodeName: string, intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable {
    if (!Number.isFinite(intervalMs) || intervalMs < 1) {
      throw new ProcessingError(`punctuation interval must be at least 1 ms, got ${intervalMs}`, { coordinates: this.coordinates(nodeName) });
    }
    return type === 'stream-time'
      ? this.streamTimePunctuations.schedule(nodeName, 0, intervalMs, punctuator)
      : this.wallClockPunctuations.schedule(nodeName, this.wallClockMs() + intervalMs, intervalMs, punctuator);
  }

  /**
   * Applies the processing handler to an error thrown by `nodeName`: throws a `ProcessingError` naming the
   * record's coordinates on `'fail'`, counts and logs the skipped record on `'continue'`.
   */
  handleProcessingError(nodeName: string, error: unknown): void {
    if (typeof error === 'object' && error !== null && decidedFailures.has(error)) throw error;
    const coordinates = this.coordinates(nodeName);
    // A store failure (storage, a full buffer, a misused store) is not about the record: skipping the record would
    // leave the stores out of step with what the task emitted. It leaves the task with its own code, for the
    // runtime's policy of that code, naming the record and processor that met it.
    const stateFailure = stateFailureOf(error);
    if (stateFailure !== undefined) throw decided(stateFailure.locatedAt(coordinates));
    let response;
    const handlerContext = this.handlerContext(nodeName, error);
    try {
      response = decide(this.options.processingExceptionHandler, handlerContext);
    } catch (handlerError) {
      throw decided(new ProcessingError(`processing exception handler failed after an error in ${nodeName}`, { cause: handlerError, coordinates }));
    }
    if (response === 'fail') {
      throw decided(new ProcessingError(`Exception caught in processor ${nodeName}: ${describeError(error)}`, { cause: error, coordinates }));
    }
    this.metrics.recordDropped('processingErrors');
    const deadLettered = this.currentInput !== null && this.notifySkipped(this.currentInput, handlerContext);
    this.dropWarnings.note('processingError', { ...coordinates, error: describeError(error), deadLettered });
  }

  /** Hands a skipped input record to the runtime's hook (the dead-letter topic); `false` when there is none. */
  notifySkipped(record: RawRecord, context: ErrorHandlerContext): boolean {
    const hook = this.options.onSkippedRecord;
    hook?.(record, context);
    return hook !== undefined;
  }

  /**
   * Copies the input record being processed to the late-records topic, if one is configured, through the record
   * collector (so under exactly-once it joins the task's transaction). A processor that reports the same record late
   * more than once (for several windows) writes one copy; nothing is written inside punctuations.
   */
  copyLateRecord(nodeName: string): void {
    const topic = this.options.lateRecordsTopic;
    const input = this.currentInput;
    const context = this.recordContext;
    if (topic === undefined || input === null || context === null) return;
    if (this.lateCopies?.input !== input) this.lateCopies = { input, processors: new Set() };
    if (this.lateCopies.processors.has(nodeName)) return;
    this.lateCopies.processors.add(nodeName);
    this.recordCollector.send(lateRecord(topic, input, context.timestamp, nodeName));
  }

  coordinates(nodeName: string): ErrorCoordinates {
    const context = this.recordContext;
    return {
      ...(context?.topic == null ? {} : { topic: context.topic }),
      ...(context?.partition == null ? {} : { partition: context.partition }),
      ...(context?.offset == null ? {} : { offset: context.offset }),
      taskId: this.taskId,
      processor: nodeName,
    };
  }

  private handlerContext(nodeName: string, error: unknown): ErrorHandlerContext {
    const context = this.recordContext;
    return {
      kind: 'processing',
      error,
      taskId: this.taskId,
      processorNodeId: nodeName,
      topic: context?.topic ?? null,
      partition: context?.partition ?? null,
      offset: context?.offset ?? null,
      timestamp: context?.timestamp ?? this.streamTimeMs(),
      headers: context?.headers ?? Headers.EMPTY,
    };
  }
}

function decided<E extends StreamsError>(error: E): E {
  decidedFailures.add(error);
  return error;
}
