import type { Headers } from '../core/headers.js';

export type ExceptionHandlerResponse = 'fail' | 'continue';

/** What a deserialization or processing handler learns about the failure; never the record's key or value. */
export interface ErrorHandlerContext {
  /**
   * The skipped-record hook also gets `'deserialization'` for a record skipped for an invalid timestamp, and
   * `'production'` for an input record whose output the broker refused and the production handler dropped.
   */
  readonly kind: 'deserialization' | 'processing' | 'production';
  readonly error: unknown;
  readonly taskId: string;
  /** The source node (deserialization), the processor, sink or punctuating node that threw, or the sink whose output was refused. */
  readonly processorNodeId: string;
  /** Coordinates of the input record; `null` inside punctuations and store flushes. */
  readonly topic: string | null;
  readonly partition: number | null;
  readonly offset: number | null;
  readonly timestamp: number;
  readonly headers: Headers;
}

/**
 * A policy for bad input or failing user code: `'fail'` stops the task with an error naming the record's
 * coordinates, `'continue'` skips the record (counted in the task's metrics and logged). A function decides per
 * failure; if it throws, the task fails.
 */
export type ExceptionHandler = ExceptionHandlerResponse | ((context: ErrorHandlerContext) => ExceptionHandlerResponse);

/** Applies a handler; anything but an explicit `'continue'` fails, so a buggy handler cannot hide errors. */
export function decide(handler: ExceptionHandler, context: ErrorHandlerContext): ExceptionHandlerResponse {
  const response = typeof handler === 'function' ? handler(context) : handler;
  return response === 'continue' ? 'continue' : 'fail';
}
