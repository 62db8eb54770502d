import type { ErrorCoordinates } from '../core/errors.js';
import type { ProcessorContext } from '../core/processor.js';
import type { Record } from '../core/record.js';
import type { WindowedAggregateSettings } from './windowed-aggregate-settings.js';

/** The parts of its context a windowed aggregation uses to check and report input records. */
type InputContext = Pick<ProcessorContext, 'recordDropped' | 'currentStreamTimeMs' | 'taskId' | 'recordMetadata'>;

/**
 * Kafka Streams' time and session window aggregations drop only records without a key (counted and logged by the
 * task): a `null` value reaches the aggregator, so a windowed `count` counts it.
 */
export function hasKey(record: Record<unknown, unknown>, context: InputContext): boolean {
  if (record.key !== null && record.key !== undefined) return true;
  context.recordDropped?.('nullKey');
  return false;
}

/** The sliding-window aggregation also drops records without a value, as Kafka Streams' does. */
export function hasKeyAndValue(record: Record<unknown, unknown>, context: InputContext): boolean {
  if (record.key === null || record.key === undefined) context.recordDropped?.('nullKey');
  else if (record.value === null || record.value === undefined) context.recordDropped?.('nullValue');
  else return true;
  return false;
}

/**
 * Stream time as a windowed aggregation observes it, as Kafka Streams' processors track it: the largest timestamp of
 * the records the aggregation took. Records it drops (no key) or that never reach it (filtered upstream) do not
 * move it, so one bad record cannot close every window. Unlike Kafka Streams' it starts from the task's stream time
 * when the processor is initialised — restored from the committed offset metadata — so windows closed before a
 * restart stay closed after it.
 */
export class ObservedStreamTime {
  private timeMs = -1;

  init(context: InputContext): void {
    this.timeMs = Math.max(this.timeMs, context.currentStreamTimeMs());
  }

  /** Takes the record's timestamp into account and returns the stream time after it. */
  advance(record: Record<unknown, unknown>): number {
    if (record.timestamp > this.timeMs) this.timeMs = record.timestamp;
    return this.timeMs;
  }
}

/** Where a windowed aggregation's error happened, for `ProcessingError`s. */
export function aggregationCoordinates(context: InputContext, settings: WindowedAggregateSettings): ErrorCoordinates {
  return { ...context.recordMetadata(), taskId: context.taskId, processor: settings.processorName, store: settings.storeName };
}
