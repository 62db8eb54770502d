/**
 * A call to the brokers that failed, as the client adapter judged it. `retriable` failures are the ones Kafka's
 * own clients wait out: the broker down or restarting (connection refused or reset, timeouts), a partition leader
 * or a group or transaction coordinator moving or still loading, a transaction still completing. The runtime
 * retries them with backoff, up to its task timeout; anything else is final.
 */
export class BrokerFailure extends Error {
  readonly retriable: boolean;

  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
  }
}

/** Whether `error` is a broker failure that a later attempt can get past. */
export function isRetriable(error: unknown): boolean {
  return error instanceof BrokerFailure && error.retriable;
}
