import { describeError, ProcessingError, SerdeError } from '../../core/errors.js';
import { Record } from '../../core/record.js';
import type { Serde } from '../../core/serde.js';
import type { TimestampExtractor } from '../../topology/node-options.js';
import { decide, type ErrorHandlerContext, type ExceptionHandler } from './exception-handlers.js';
import type { ProcessorNodeContext } from './processor-node-context.js';
import type { RawRecord } from './raw-record.js';
import type { StampedRecord } from './record-queue.js';
import type { TaskEnvironment } from './task-environment.js';
import type { TaskNode } from './task-node.js';

export interface SourceNodeSettings {
  readonly keySerde: Serde<unknown>;
  readonly valueSerde: Serde<unknown>;
  readonly timestampExtractor: TimestampExtractor | undefined;
  readonly deserializationExceptionHandler: ExceptionHandler;
}

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
   * Deserializes and timestamps a raw record. Bad bytes go to the deserialization handler; a negative timestamp
   * drops the record, as in Kafka Streams. Returns `null` for a skipped record.
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
    const timestamp = this.extractTimestamp(raw, key, value, partitionTimeMs);
    if (timestamp < 0) {
      this.environment.metrics.recordDropped('negativeTimestamps');
      this.environment.logger.warn({ ...this.coordinates(raw), timestamp }, 'skipping record with a negative timestamp');
      return null;
    }
    return { raw, key, value, timestamp };
  }

  /** Puts the decoded record on the current record context and runs it through the sub-topology. */
  processStamped(stamped: StampedRecord): void {
    const { raw } = stamped;
    this.environment.recordContext = { topic: raw.topic, partition: raw.partition, offset: raw.offset, timestamp: stamped.timestamp, headers: raw.headers };
    this.environment.currentInput = raw;
    try {
      this.process(new Record(stamped.key, stamped.value, stamped.timestamp, raw.headers));
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

  private handleDeserializationError(raw: RawRecord, error: unknown): void {
    const coordinates = this.coordinates(raw);
    let response;
    const handlerContext: ErrorHandlerContext = {
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
    try {
      response = decide(this.settings.deserializationExceptionHandler, handlerContext);
    } catch (handlerError) {
      throw new SerdeError(`deserialization exception handler failed after an error in source ${this.name}`, { cause: handlerError, coordinates });
    }
    if (response === 'fail') {
      throw new SerdeError(`cannot deserialize record for source ${this.name}: ${describeError(error)}`, { cause: error, coordinates });
    }
    this.environment.metrics.recordDropped('deserializationErrors');
    this.environment.logger.warn({ ...coordinates, error: describeError(error) }, 'skipping record that cannot be deserialized');
    this.environment.notifySkipped(raw, handlerContext);
  }

  private coordinates(raw: RawRecord): { topic: string; partition: number; offset: number; taskId: string; processor: string } {
    return { topic: raw.topic, partition: raw.partition, offset: raw.offset, taskId: this.environment.taskId, processor: this.name };
  }
}
