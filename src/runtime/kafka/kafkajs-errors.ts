import { ProductionFailure } from '../client/production-failure.js';

/** Broker answers meaning another producer now owns the transactional id (or ours is no longer valid). */
const FENCED_TYPES = new Set([
  'PRODUCER_FENCED',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'INVALID_TXN_STATE',
]);

/** Broker answers about the records themselves, which no retry can fix. */
const RECORD_TYPES = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'INVALID_TIMESTAMP',
  'TOPIC_AUTHORIZATION_FAILED',
  'UNKNOWN_TOPIC_OR_PARTITION',
]);

/** kafkajs wraps the broker's error in retry errors; the first `type` down the cause chain tells what happened. */
function kafkaErrorType(error: unknown): string | undefined {
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    const { type, cause, originalError } = current as { type?: unknown; cause?: unknown; originalError?: unknown };
    if (typeof type === 'string') return type;
    current = cause ?? originalError;
  }
  return undefined;
}

/** Runs one producer call and turns its failure into a `ProductionFailure` the runtime can act on. */
export async function classifyFailures<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const type = kafkaErrorType(error);
    const kind = type !== undefined && FENCED_TYPES.has(type) ? 'fenced' : type !== undefined && RECORD_TYPES.has(type) ? 'record' : 'other';
    const reason = error instanceof Error ? error.message : String(error);
    throw new ProductionFailure(kind, `${what} failed${type === undefined ? '' : ` (${type})`}: ${reason}`, { cause: error });
  }
}
