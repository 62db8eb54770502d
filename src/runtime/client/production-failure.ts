import { BrokerFailure } from './broker-failure.js';

/**
 * Why a send, offset commit or transaction step failed, as the runtime must react to it:
 * - `fenced`: another producer took over the transactional id (the task moved): abort and re-create the task;
 * - `record`: the broker refused the records themselves (too large, invalid): the production handler decides;
 * - `other`: anything else (timeouts, lost connections after retries): the task's commit failed. Such a failure
 *   is `retriable` when the broker is down, restarting or moving a leader or coordinator.
 */
export type ProductionFailureKind = 'fenced' | 'record' | 'other';

export class ProductionFailure extends BrokerFailure {
  constructor(
    readonly kind: ProductionFailureKind,
    message: string,
    options: { cause?: unknown; retriable?: boolean } = {},
  ) {
    super(message, { ...options, retriable: kind === 'other' && options.retriable === true });
  }
}
