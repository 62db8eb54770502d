import { BrokerFailure } from '../client/broker-failure.js';
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

/**
 * Broker answers that Kafka's clients retry, under kafkajs' names (Kafka's NOT_COORDINATOR is
 * NOT_COORDINATOR_FOR_GROUP here, COORDINATOR_LOAD_IN_PROGRESS is GROUP_LOAD_IN_PROGRESS, NOT_LEADER_OR_FOLLOWER is
 * NOT_LEADER_FOR_PARTITION). kafkajs marks most of them `retriable`, but not all (CONCURRENT_TRANSACTIONS,
 * REBALANCE_IN_PROGRESS), and gives up on them after a few seconds of retries.
 */
const RETRIABLE_TYPES = new Set([
  'NOT_COORDINATOR_FOR_GROUP',
  'GROUP_LOAD_IN_PROGRESS',
  'GROUP_COORDINATOR_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
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
  'FETCH_SESSION_ID_NOT_FOUND',
  'INVALID_FETCH_SESSION_EPOCH',
  'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH',
  'OFFSET_NOT_AVAILABLE',
  'NOT_CONTROLLER',
]);

/** kafkajs errors (no broker `type`) that mean the broker was unreachable or slow, or its metadata not there yet. */
const RETRIABLE_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSStaleTopicMetadataAssignment',
  'KafkaJSLockTimeout',
]);

/** Socket errors of a broker that is down, restarting or unreachable for a moment. */
const RETRIABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

interface ErrorLink {
  readonly type?: unknown;
  readonly name?: unknown;
  readonly code?: unknown;
  readonly cause?: unknown;
  readonly originalError?: unknown;
}

/** The error and what it wraps: kafkajs nests the broker's answer in retry errors (`cause`, `originalError`). */
function causeChain(error: unknown): ErrorLink[] {
  const chain: ErrorLink[] = [];
  for (let current = error; typeof current === 'object' && current !== null && chain.length < 8; ) {
    const link = current as ErrorLink;
    chain.push(link);
    current = link.cause ?? link.originalError;
  }
  return chain;
}

/** kafkajs wraps the broker's error in retry errors; the first `type` down the cause chain tells what happened. */
export function kafkaErrorType(error: unknown): string | undefined {
  return causeChain(error).map((link) => link.type).find((type): type is string => typeof type === 'string');
}

/** The transaction coordinator is still completing the producer's previous transaction (writing its markers). */
export function isConcurrentTransactions(error: unknown): boolean {
  return kafkaErrorType(error) === 'CONCURRENT_TRANSACTIONS';
}

/**
 * Whether a kafkajs failure is one to wait out: the broker's answer (the first `type` down the chain) is a
 * retriable one, or, without one, the chain holds a connection or timeout error. kafkajs' own `retriable` flag is
 * not enough: it calls "group coordinator not found" (every broker unreachable) final.
 */
export function isRetriableKafkaError(error: unknown): boolean {
  const type = kafkaErrorType(error);
  if (type !== undefined) return RETRIABLE_TYPES.has(type);
  return causeChain(error).some((link) => RETRIABLE_NAMES.has(String(link.name)) || RETRIABLE_CODES.has(String(link.code)));
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs one call to the brokers (admin, consumer) and turns its failure into a `BrokerFailure` saying whether to retry. */
export async function classifyBrokerFailures<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof BrokerFailure) throw error;
    throw brokerFailure(what, error);
  }
}

/** A kafkajs failure of `what` as a `BrokerFailure` (retriable or not). */
export function brokerFailure(what: string, error: unknown): BrokerFailure {
  const type = kafkaErrorType(error);
  return new BrokerFailure(`${what} failed${type === undefined ? '' : ` (${type})`}: ${reasonOf(error)}`, { retriable: isRetriableKafkaError(error), cause: error });
}

/** Runs one producer call and turns its failure into a `ProductionFailure` the runtime can act on. */
export async function classifyFailures<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const type = kafkaErrorType(error);
    const kind = type !== undefined && FENCED_TYPES.has(type) ? 'fenced' : type !== undefined && RECORD_TYPES.has(type) ? 'record' : 'other';
    throw new ProductionFailure(kind, `${what} failed${type === undefined ? '' : ` (${type})`}: ${reasonOf(error)}`, { cause: error, retriable: isRetriableKafkaError(error) });
  }
}
