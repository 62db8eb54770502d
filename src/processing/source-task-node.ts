import { describeError, ProcessingError, SerdeError } from '../core/errors.js';
import { Record } from '../core/record.js';
import type { Serde } from '../core/serde.js';
import type { TimestampExtractor } from '../topology/node-options.js';
import { decide, type ErrorHandlerContext, type ExceptionHandler } from './exception-handlers.js';
import type { ProcessorNodeContext } from './processor-node-context.js';
import type { RawRecord } from './raw-record.js';
import { stampedRecord, type StampedRecord } from './record-queue.js';
import type { InvalidTimestampPolicy } from './task-engine-config.js';
import type { TaskEnvironment } from './task-environment.js';
import type { TaskNode } from './task-node.js';

export interface SourceNodeSettings {
  readonly keySerde: Serde<unknown>;
  readonly valueSerde: Serde<unknown>;
  /** `undefined` takes the record's Kafka timestamp (the common case, without a call per record). */
  readonly timestampExtractor: TimestampExtractor | undefined;
  readonly invalidTimestampPolicy: InvalidTimestampPolicy;
  readonly deserializationExceptionHandler: ExceptionHandler;
}

type Coordinates = { topic: string; partition: number; offset: number; taskId: string; processor: string };

/** Reads one or more topics: decodes raw records for the partition queues, then forwards them to its children. */
export class SourceTaskNode implements TaskNode {
  readonly children: TaskNode[] = [];
  context!: ProcessorNodeContext;

  constructor(
    readonly name: string,
    private readonly environment: TaskEnvironment,
    private readonly settings: SourceNodeSettings,
  ) {}

  process(record: Record<unknown, unknown>): void {
    this.context.forward(record);
  }

  /**
   * Deserializes and timestamps a raw record. Bad bytes go to the deserialization handler; an invalid timestamp to
   * the invalid-timestamp policy. Returns `null` for a skipped record.
   */
  decode(raw: RawRecord, partitionTimeMs: number): StampedRecord | null {
    let key: unknown;
    let value: unknown;
    try {
      key = this.settings.keySerde.deserialize(raw.topic, raw.key, raw.headers);
      value = this.settings.valueSerde.deserialize(raw.topic, raw.value, raw.headers);
    } catch (error) {
      this.handleDeserializationError(raw, error);
      return null;
    }
    const extracted: unknown = this.extractTimestamp(raw, key, value, partitionTimeMs);
    const timestamp = isValidTimestamp(extracted) ? extracted : this.handleInvalidTimestamp(raw, extracted, partitionTimeMs);
    return timestamp === null ? null : stampedRecord(raw, key, value, timestamp);
  }

  /** Makes the decoded record the current record context and runs it through the sub-topology. */
  processStamped(stamped: StampedRecord): void {
    this.environment.recordContext = stamped;
    this.environment.currentInput = stamped.raw;
    try {
      this.process(new Record(stamped.key, stamped.value, stamped.timestamp, stamped.headers));
    } finally {
      this.environment.recordContext = null;
      this.environment.currentInput = null;
    }
  }

  private extractTimestamp(raw: RawRecord, key: unknown, value: unknown, partitionTimeMs: number): number {
    const extractor = this.settings.timestampExtractor;
    if (extractor === undefined) return raw.timestamp;
    try {
      return extractor({ ...raw, key, value }, partitionTimeMs);
    } catch (error) {
      throw new ProcessingError(`timestamp extractor of source ${this.name} failed: ${describeError(error)}`, { cause: error, coordinates: this.coordinates(raw) });
    }
  }

  /** Applies the invalid-timestamp policy: the timestamp to use instead, `null` to skip, or a thrown error. */
  private handleInvalidTimestamp(raw: RawRecord, extracted: unknown, partitionTimeMs: number): number | null {
    const { invalidTimestampPolicy: policy } = this.settings;
    const coordinates = this.coordinates(raw);
    const found = describeTimestamp(extracted);
    if (policy === 'usePartitionTime' && partitionTimeMs >= 0) {
      this.environment.logger.debug({ ...coordinates, timestamp: found, partitionTime: partitionTimeMs }, 'using partition time for a record with an invalid timestamp');
      return partitionTimeMs;
    }
    const error = new ProcessingError(`source ${this.name} extracted the invalid timestamp ${found}: event time must be an integer of at least 0`, { coordinates });
    if (policy === 'fail') throw error;
    this.environment.metrics.recordDropped('invalidTimestamps');
    const deadLettered = this.environment.notifySkipped(raw, this.handlerContext(raw, error));
    this.environment.dropWarnings.note('invalidTimestamp', { ...coordinates, timestamp: found, deadLettered });
    return null;
  }

  private handleDeserializationError(raw: RawRecord, error: unknown): void {
    const coordinates = this.coordinates(raw);
    let response;
    const handlerContext = this.handlerContext(raw, error);
    try {
      response = decide(this.settings.deserializationExceptionHandler, handlerContext);
    } catch (handlerError) {
      throw new SerdeError(`deserialization exception handler failed after an error in source ${this.name}`, { cause: handlerError, coordinates });
    }
    if (response === 'fail') {
      const schemaId = error instanceof SerdeError ? error.schemaId : undefined;
      throw new SerdeError(`cannot deserialize record for source ${this.name} (deserializationExceptionHandler: 'fail'): ${describeError(error)}`, { cause: error, coordinates, schemaId });
    }
    this.environment.metrics.recordDropped('deserializationErrors');
    const deadLettered = this.environment.notifySkipped(raw, handlerContext);
    this.environment.dropWarnings.note('deserializationError', { ...coordinates, error: describeError(error), deadLettered });
  }

  /** An invalid timestamp counts as bad input found while decoding, as undeserializable bytes do. */
  private handlerContext(raw: RawRecord, error: unknown): ErrorHandlerContext {
    return {
      kind: 'deserialization',
      error,
      taskId: this.environment.taskId,
      processorNodeId: this.name,
      topic: raw.topic,
      partition: raw.partition,
      offset: raw.offset,
      timestamp: raw.timestamp,
      headers: raw.headers,
    };
  }

  private coordinates(raw: RawRecord): Coordinates {
    return { topic: raw.topic, partition: raw.partition, offset: raw.offset, taskId: this.environment.taskId, processor: this.name };
  }
}

/** Event time must be a whole, non-negative number of milliseconds that an int64 (the record format) holds exactly. */
function isValidTimestamp(timestamp: unknown): timestamp is number {
  return Number.isSafeInteger(timestamp) && (timestamp as number) >= 0;
}

/** The bad value for errors and logs: numbers as they print (`NaN`, `-1`, `1.5`), anything else with its type. */
function describeTimestamp(timestamp: unknown): string {
  if (typeof timestamp === 'number') return String(timestamp);
  if (typeof timestamp === 'string') return `${JSON.stringify(timestamp)} (a string)`;
  return `${String(timestamp)} (${typeof timestamp})`;
}
