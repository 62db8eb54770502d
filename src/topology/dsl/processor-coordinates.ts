import type { ErrorCoordinates } from '../../core/errors.js';
import type { ProcessorContext } from '../../core/processor.js';

/**
 * Where a DSL processor's error happened: the input record's topic, partition and offset (none inside a
 * punctuation), the task, the processor and, when it has one, its store.
 */
export function processorCoordinates(
  context: Pick<ProcessorContext, 'taskId' | 'recordMetadata'>,
  processor: string,
  store?: string,
): ErrorCoordinates {
  return { ...context.recordMetadata(), taskId: context.taskId, processor, ...(store === undefined ? {} : { store }) };
}
