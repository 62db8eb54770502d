import { BrokerFailure } from '../client/broker-failure.js';
import { ProductionFailure, type ProductionFailureKind } from '../client/production-failure.js';

// How the adapter judges @platformatic/kafka's failures: the one walk of the library's error tree, the broker's
// answers in it, what is waited out, and the failures the admin and the producers throw. The read side waits out a
// few answers more, through the same functions (`platformatic-fetch-errors.ts`).

/**
 * Broker answers meaning another producer now owns the transactional id, or ours is no longer valid (the
 * coordinator aborted our transaction on its timeout and bumped the epoch). @platformatic/kafka keeps Kafka's names
 * as the `apiId` of its `ProtocolError`. The group answers come from transactional offsets sent with a member
 * (KIP-447): the member is no longer in the group's generation, so its tasks may be another member's by now; Kafka
 * Streams treats them as it treats a fenced producer (TaskMigratedException), and so does the runtime.
 */
const FENCED_API_IDS = new Set([
  'PRODUCER_FENCED',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'INVALID_TXN_STATE',
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
  'FENCED_INSTANCE_ID',
]);

/** Broker answers about the records themselves, which no retry can fix: the production handler decides. */
const RECORD_API_IDS = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'INVALID_TIMESTAMP',
  'TOPIC_AUTHORIZATION_FAILED',
  'UNKNOWN_TOPIC_OR_PARTITION',
]);

/**
 * Broker answers Kafka's own clients wait out, on every call of the adapter. The library marks most of them
 * `canRetry` and retries them a few times itself; what is still failing after that reaches the runtime, which
 * retries with its own backoff up to its task timeout. The read side waits out a few more
 * (`platformatic-fetch-errors.ts`).
 */
const RETRIABLE_API_IDS: ReadonlySet<string> = new Set([
  'NOT_COORDINATOR',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'COORDINATOR_NOT_AVAILABLE',
  'NOT_LEADER_OR_FOLLOWER',
  'LEADER_NOT_AVAILABLE',
  'REPLICA_NOT_AVAILABLE',
  'REQUEST_TIMED_OUT',
  'NETWORK_EXCEPTION',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'KAFKA_STORAGE_ERROR',
  'CONCURRENT_TRANSACTIONS',
  'REBALANCE_IN_PROGRESS',
  'UNSTABLE_OFFSET_COMMIT',
  'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH',
  'OFFSET_NOT_AVAILABLE',
  'NOT_CONTROLLER',
  'THROTTLING_QUOTA_EXCEEDED',
]);

/** Socket errors of a broker that is down, restarting or unreachable for a moment. */
const RETRIABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

interface ErrorNode {
  readonly code?: unknown;
  readonly apiId?: unknown;
  readonly closed?: unknown;
  readonly cause?: unknown;
  readonly errors?: unknown;
}

/**
 * Every error of the tree the library builds: its retries collect each attempt's error in a `MultipleErrors`
 * (`errors`), a response with failed partitions holds one `ProtocolError` per partition, and connection errors wrap
 * the socket's (`cause`).
 */
function errorTree(error: unknown): ErrorNode[] {
  const nodes: ErrorNode[] = [];
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  // Retries inside retries multiply: an admin offset look-up holds up to 16 attempts' errors.
  while (pending.length > 0 && nodes.length < 1_000) {
    const current = pending.shift();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const node = current as ErrorNode;
    nodes.push(node);
    if (node.cause !== undefined) pending.push(node.cause);
    if (Array.isArray(node.errors)) pending.push(...(node.errors as unknown[]));
  }
  return nodes;
}

/** The Kafka error names the broker answered with (@platformatic/kafka keeps them as the `apiId` of its `ProtocolError`), first to last, each once. */
export function brokerAnswers(error: unknown): string[] {
  return [...new Set(errorTree(error).map((node) => node.apiId).filter((id): id is string => typeof id === 'string'))];
}

/** The coordinator is still completing the producer's previous transaction (writing its markers). */
export function isConcurrentTransactions(error: unknown): boolean {
  return brokerAnswers(error).includes('CONCURRENT_TRANSACTIONS');
}

/**
 * Whether a failure is one to wait out: every broker answer in it is retriable (one of the adapter's, or of
 * `alsoRetriable`), or, without any, it is a network failure (refused or reset connections, request timeouts, which
 * the library calls final). A closed client carries the network code too, but is final: we are stopping it.
 */
export function isRetriablePlatformaticError(error: unknown, alsoRetriable: ReadonlySet<string> = new Set()): boolean {
  const nodes = errorTree(error);
  if (nodes.some((node) => node.closed === true)) return false;
  const answers = brokerAnswers(error);
  if (answers.length > 0) return answers.every((answer) => RETRIABLE_API_IDS.has(answer) || alsoRetriable.has(answer));
  return nodes.some((node) => node.code === 'PLT_KFK_NETWORK' || node.code === 'PLT_KFK_TIMEOUT' || RETRIABLE_SOCKET_CODES.has(String(node.code)));
}

/** `<what> failed (<the broker's answers>): <the error's message>`. */
function describeFailure(what: string, error: unknown): string {
  const answers = brokerAnswers(error);
  return `${what} failed${answers.length === 0 ? '' : ` (${answers.join(', ')})`}: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * A failure of `what` (an admin call by default) as a `BrokerFailure` saying whether to retry (see
 * `isRetriablePlatformaticError`), naming the broker's answers.
 */
export function platformaticBrokerFailure(what: string, error: unknown, alsoRetriable?: ReadonlySet<string>): BrokerFailure {
  if (error instanceof BrokerFailure) return error;
  return new BrokerFailure(describeFailure(what, error), { retriable: isRetriablePlatformaticError(error, alsoRetriable), cause: error });
}

/** Runs one call and turns its failure into a `BrokerFailure`, as `platformaticBrokerFailure` does. */
export async function classifyBrokerFailures<T>(what: string, call: () => Promise<T>, alsoRetriable?: ReadonlySet<string>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw platformaticBrokerFailure(what, error, alsoRetriable);
  }
}

function productionKind(error: unknown): ProductionFailureKind {
  const answers = brokerAnswers(error);
  if (answers.some((answer) => FENCED_API_IDS.has(answer))) return 'fenced';
  if (answers.some((answer) => RECORD_API_IDS.has(answer))) return 'record';
  return 'other';
}

/** A failure of a producer call as the `ProductionFailure` the runtime acts on (fenced, refused record, other). */
export function productionFailure(what: string, error: unknown): ProductionFailure {
  if (error instanceof ProductionFailure) return error;
  return new ProductionFailure(productionKind(error), describeFailure(what, error), { cause: error, retriable: isRetriablePlatformaticError(error) });
}

/** Runs one producer call and turns its failure into a `ProductionFailure`. */
export async function classifyProductionFailures<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw productionFailure(what, error);
  }
}
