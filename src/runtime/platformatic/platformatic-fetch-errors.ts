import { BrokerFailure } from '../client/broker-failure.js';

/**
 * Broker answers that Kafka's own clients wait out, under Kafka's names (which @platformatic/kafka keeps as the
 * `apiId` of its `ProtocolError`). The group answers are here too: a later attempt, after the member rejoined, can
 * get past them.
 */
const RETRIABLE_API_IDS = new Set([
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
  'UNKNOWN_MEMBER_ID',
  'ILLEGAL_GENERATION',
  'UNSTABLE_OFFSET_COMMIT',
  'FETCH_SESSION_ID_NOT_FOUND',
  'INVALID_FETCH_SESSION_EPOCH',
  'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH',
  'OFFSET_NOT_AVAILABLE',
  'NOT_CONTROLLER',
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
 * Every error in the tree @platformatic/kafka builds: retries nest their attempts' errors in `MultipleErrors`
 * (`errors`), a response with failed partitions holds one `ProtocolError` per partition, and connection errors wrap
 * the socket's (`cause`).
 */
function errorTree(error: unknown): ErrorNode[] {
  const nodes: ErrorNode[] = [];
  const pending: unknown[] = [error];
  while (pending.length > 0 && nodes.length < 64) {
    const current = pending.shift();
    if (typeof current !== 'object' || current === null) continue;
    const node = current as ErrorNode;
    nodes.push(node);
    if (node.cause !== undefined) pending.push(node.cause);
    if (Array.isArray(node.errors)) pending.push(...(node.errors as unknown[]));
  }
  return nodes;
}

/** The Kafka error names (`NOT_COORDINATOR`, …) the broker answered with, in the order the tree holds them. */
export function kafkaErrorNames(error: unknown): string[] {
  return errorTree(error).map((node) => node.apiId).filter((id): id is string => typeof id === 'string');
}

/**
 * Whether a @platformatic/kafka failure is one to wait out. The library's own `canRetry` is not enough: it calls a
 * request timeout final, and a closed client also carries the network code (that one is final: we are stopping).
 */
export function isRetriablePlatformaticError(error: unknown): boolean {
  const nodes = errorTree(error);
  if (nodes.some((node) => node.closed === true)) return false;
  const names = kafkaErrorNames(error);
  if (names.length > 0) return names.every((name) => RETRIABLE_API_IDS.has(name));
  return nodes.some((node) => node.code === 'PLT_KFK_NETWORK' || node.code === 'PLT_KFK_TIMEOUT' || RETRIABLE_SOCKET_CODES.has(String(node.code)));
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A @platformatic/kafka failure of `what` as a `BrokerFailure`, retriable or not, naming the broker's answer. */
export function platformaticBrokerFailure(what: string, error: unknown): BrokerFailure {
  if (error instanceof BrokerFailure) return error;
  const names = [...new Set(kafkaErrorNames(error))];
  return new BrokerFailure(`${what} failed${names.length === 0 ? '' : ` (${names.join(', ')})`}: ${reasonOf(error)}`, { retriable: isRetriablePlatformaticError(error), cause: error });
}

/** Runs one call to the brokers and turns its failure into a `BrokerFailure` saying whether to retry. */
export async function classifyPlatformaticFailures<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw platformaticBrokerFailure(what, error);
  }
}
