import type { ExceptionHandlerResponse } from '../../processing/exception-handlers.js';

/** What the production handler learns about a record the broker refused; never the record's key or value. */
export interface ProductionErrorContext {
  readonly error: unknown;
  readonly taskId: string;
  readonly topic: string;
  /** `null` when the producer was to choose the partition. */
  readonly partition: number | null;
  readonly timestamp: number;
  /**
   * The input record the refused record was produced from; `null` when it was produced outside record processing
   * (a punctuation, a cache flush at commit) or is a changelog record.
   */
  readonly input: { readonly topic: string; readonly partition: number; readonly offset: number } | null;
}

/**
 * The policy for output records the broker refuses (too large, invalid, unknown topic): `'fail'` fails the task,
 * `'continue'` drops the record (counted and logged; with a dead-letter topic, the input record it came from is
 * written there). A function decides per record; if it throws, the task fails.
 */
export type ProductionExceptionHandler = ExceptionHandlerResponse | ((context: ProductionErrorContext) => ExceptionHandlerResponse);

/** Anything but an explicit `'continue'` fails, so a buggy handler cannot hide errors. */
export function decideOnProductionError(handler: ProductionExceptionHandler, context: ProductionErrorContext): ExceptionHandlerResponse {
  const response = typeof handler === 'function' ? handler(context) : handler;
  return response === 'continue' ? 'continue' : 'fail';
}
