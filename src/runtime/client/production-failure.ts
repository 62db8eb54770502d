/**
 * Why a send, offset commit or transaction step failed, as the runtime must react to it:
 * - `fenced`: another producer took over the transactional id (the task moved): abort and re-create the task;
 * - `record`: the broker refused the records themselves (too large, invalid): the production handler decides;
 * - `other`: anything else (timeouts, lost connections after retries): the task's commit failed.
 */
export type ProductionFailureKind = 'fenced' | 'record' | 'other';

export class ProductionFailure extends Error {
  constructor(
    readonly kind: ProductionFailureKind,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProductionFailure';
  }
}
