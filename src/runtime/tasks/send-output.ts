import { describeError, StreamsError, type ErrorCoordinates } from '../../core/errors.js';
import type { WrittenOffsets } from '../client/kafka-client.js';
import { ProductionFailure } from '../client/production-failure.js';
import type { OutgoingRecord } from '../../processing/record-collector.js';
import type { TaskEngine } from '../../processing/task-engine.js';
import type { ActiveTask } from './active-task.js';
import { decideOnProductionError, type ProductionErrorContext, type ProductionExceptionHandler } from './production-exception-handler.js';

type Send = (records: readonly OutgoingRecord[]) => Promise<WrittenOffsets>;

/**
 * What the send path needs of a task: its id and logger, the counter of refused records it dropped, and the hook
 * that dead-letters the input record of a dropped one.
 */
export type OutputOwner = Pick<ActiveTask, 'id' | 'logger' | 'countProductionError'> & { readonly engine: Pick<TaskEngine, 'notifyRefusedOutput'> };

/** Whether the broker refused the records themselves (too large, invalid, unknown topic): the production handler's case. */
export function isRefusedRecord(error: unknown): error is ProductionFailure {
  return error instanceof ProductionFailure && error.kind === 'record';
}

/**
 * At-least-once: sends a task's output. When the broker refuses records, the records are sent again one by one so
 * the production handler decides about each refused record alone. Records of the batch that did reach the broker
 * are written twice, which at-least-once allows; exactly-once starts its transaction over instead.
 */
export async function sendOutput(send: Send, records: readonly OutgoingRecord[], task: OutputOwner, handler: ProductionExceptionHandler): Promise<WrittenOffsets> {
  try {
    return await send(records);
  } catch (error) {
    if (!isRefusedRecord(error)) throw error;
  }
  return (await sendOneByOne(send, records, task, handler)).written;
}

/**
 * Sends records one at a time. For each record the broker refuses, the production handler decides: `'continue'`
 * drops it (counted and logged), `'fail'` fails with `PRODUCTION_FAILED`. Other failures propagate unchanged.
 * Returns the offsets written and the records the broker accepted.
 */
export async function sendOneByOne(
  send: Send,
  records: readonly OutgoingRecord[],
  task: OutputOwner,
  handler: ProductionExceptionHandler,
): Promise<{ written: WrittenOffsets; accepted: OutgoingRecord[] }> {
  const written: WrittenOffsets = new Map();
  const accepted: OutgoingRecord[] = [];
  for (const record of records) {
    try {
      for (const [key, offset] of await send([record])) written.set(key, Math.max(offset, written.get(key) ?? -1));
      accepted.push(record);
    } catch (error) {
      if (!isRefusedRecord(error)) throw error;
      skipOrFail(record, error, task, handler);
    }
  }
  return { written, accepted };
}

/**
 * The production handler's decision about one refused record. Errors and logs name the input record it came from
 * (topic, partition, offset), the sink and the output topic. A dropped record's input goes to the dead-letter topic
 * when one is set; it joins the task's output, which the committers send before committing.
 */
function skipOrFail(record: OutgoingRecord, error: ProductionFailure, task: OutputOwner, handler: ProductionExceptionHandler): void {
  const { input } = record;
  const inputCoordinates = input === undefined ? null : { topic: input.topic, partition: input.partition, offset: input.offset };
  const context: ProductionErrorContext = { error, taskId: task.id, topic: record.topic, partition: record.partition ?? null, timestamp: record.timestamp, input: inputCoordinates };
  const coordinates: ErrorCoordinates = { ...inputCoordinates, taskId: task.id, ...(record.sink === undefined ? {} : { processor: record.sink }) };
  const output = `topic ${record.topic}${record.partition === undefined ? '' : ` partition ${record.partition}`}`;
  let response;
  try {
    response = decideOnProductionError(handler, context);
  } catch (handlerError) {
    throw new StreamsError('PRODUCTION_FAILED', `production exception handler failed for a record refused by ${output}`, { cause: handlerError, coordinates });
  }
  if (response === 'fail') throw new StreamsError('PRODUCTION_FAILED', `cannot send record to ${output}: ${describeError(error)}`, { cause: error, coordinates });
  task.countProductionError();
  const deadLettered = input !== undefined && task.engine.notifyRefusedOutput(input, record, error);
  const outputFields = { outputTopic: record.topic, ...(record.partition === undefined ? {} : { outputPartition: record.partition }) };
  task.logger.warn({ ...coordinates, ...outputFields, error: describeError(error), deadLettered }, 'dropping output record the broker refused');
}
