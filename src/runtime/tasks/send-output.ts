import { StreamsError } from '../../core/errors.js';
import type { WrittenOffsets } from '../client/kafka-client.js';
import { ProductionFailure } from '../client/production-failure.js';
import { describeError } from '../task/task-environment.js';
import type { OutgoingRecord } from '../task/record-collector.js';
import type { ActiveTask } from './active-task.js';
import { decideOnProductionError, type ProductionExceptionHandler } from './production-exception-handler.js';

type Send = (records: readonly OutgoingRecord[]) => Promise<WrittenOffsets>;

/**
 * Sends a task's output. When the broker refuses records (too large, invalid, unknown topic) the records are
 * retried one by one so the production handler decides about each refused record alone: `'continue'` drops it
 * (logged), `'fail'` fails the commit with `PRODUCTION_FAILED`. Other failures propagate unchanged.
 */
export async function sendOutput(send: Send, records: readonly OutgoingRecord[], task: ActiveTask, handler: ProductionExceptionHandler): Promise<WrittenOffsets> {
  try {
    return await send(records);
  } catch (error) {
    if (!(error instanceof ProductionFailure) || error.kind !== 'record') throw error;
  }
  const written: WrittenOffsets = new Map();
  for (const record of records) {
    try {
      for (const [key, offset] of await send([record])) written.set(key, Math.max(offset, written.get(key) ?? -1));
    } catch (error) {
      if (!(error instanceof ProductionFailure) || error.kind !== 'record') throw error;
      skipOrFail(record, error, task, handler);
    }
  }
  return written;
}

function skipOrFail(record: OutgoingRecord, error: ProductionFailure, task: ActiveTask, handler: ProductionExceptionHandler): void {
  const context = { error, taskId: task.id, topic: record.topic, partition: record.partition ?? null, timestamp: record.timestamp };
  const coordinates = { topic: record.topic, taskId: task.id, ...(record.partition === undefined ? {} : { partition: record.partition }) };
  let response;
  try {
    response = decideOnProductionError(handler, context);
  } catch (handlerError) {
    throw new StreamsError('PRODUCTION_FAILED', 'production exception handler failed', { cause: handlerError, coordinates });
  }
  if (response === 'fail') throw new StreamsError('PRODUCTION_FAILED', `cannot send record: ${describeError(error)}`, { cause: error, coordinates });
  task.logger.warn({ ...coordinates, error: describeError(error) }, 'dropping output record the broker refused');
}
