import { describeError, StreamsError } from '../../core/errors.js';
import type { WrittenOffsets } from '../client/kafka-client.js';
import { ProductionFailure } from '../client/production-failure.js';
import type { OutgoingRecord } from '../task/record-collector.js';
import type { ActiveTask } from './active-task.js';
import { decideOnProductionError, type ProductionExceptionHandler } from './production-exception-handler.js';

type Send = (records: readonly OutgoingRecord[]) => Promise<WrittenOffsets>;

/** What the send path needs of a task: its id and logger, and the counter of refused records it dropped. */
export type OutputOwner = Pick<ActiveTask, 'id' | 'logger' | 'countProductionError'>;

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

function skipOrFail(record: OutgoingRecord, error: ProductionFailure, task: OutputOwner, handler: ProductionExceptionHandler): void {
  const context = { error, taskId: task.id, topic: record.topic, partition: record.partition ?? null, timestamp: record.timestamp };
  const coordinates = { topic: record.topic, taskId: task.id, ...(record.partition === undefined ? {} : { partition: record.partition }) };
  let response;
  try {
    response = decideOnProductionError(handler, context);
  } catch (handlerError) {
    throw new StreamsError('PRODUCTION_FAILED', 'production exception handler failed', { cause: handlerError, coordinates });
  }
  if (response === 'fail') throw new StreamsError('PRODUCTION_FAILED', `cannot send record: ${describeError(error)}`, { cause: error, coordinates });
  task.countProductionError();
  task.logger.warn({ ...coordinates, error: describeError(error) }, 'dropping output record the broker refused');
}
