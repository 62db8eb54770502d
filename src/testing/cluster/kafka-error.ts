import { BrokerFailure } from '../../runtime/client/broker-failure.js';
import { ProductionFailure, type ProductionFailureKind } from '../../runtime/client/production-failure.js';

/** Kafka's error names (as in its protocol) that the in-memory cluster answers with, or a fault rule may throw. */
export type KafkaErrorCode =
  | 'UNKNOWN_TOPIC_OR_PARTITION'
  | 'INVALID_PARTITIONS'
  | 'INVALID_RECORD'
  | 'MESSAGE_TOO_LARGE'
  | 'PRODUCER_FENCED'
  | 'INVALID_PRODUCER_EPOCH'
  | 'INVALID_TXN_STATE'
  | 'CONCURRENT_TRANSACTIONS'
  | 'REBALANCE_IN_PROGRESS'
  | 'UNKNOWN_MEMBER_ID'
  | 'ILLEGAL_GENERATION'
  | 'FENCED_INSTANCE_ID'
  | 'NOT_COORDINATOR'
  | 'COORDINATOR_NOT_AVAILABLE'
  | 'COORDINATOR_LOAD_IN_PROGRESS'
  | 'NOT_LEADER_OR_FOLLOWER'
  | 'LEADER_NOT_AVAILABLE'
  | 'REQUEST_TIMED_OUT'
  | 'NETWORK_EXCEPTION'
  | 'NOT_ENOUGH_REPLICAS'
  | 'KAFKA_STORAGE_ERROR'
  | 'UNSTABLE_OFFSET_COMMIT'
  /** Not a protocol error: the broker could not be reached (a refused or reset connection). */
  | 'CONNECTION_REFUSED';

/**
 * How the kafkajs adapter (`runtime/kafka/kafkajs-errors.ts`) classifies the same broker answer: whether a retry
 * can get past it, and what it means to a producer. The in-memory cluster must fail the runtime the same way.
 */
const CLASSIFICATION: Readonly<Record<KafkaErrorCode, { retriable: boolean; production: ProductionFailureKind }>> = {
  UNKNOWN_TOPIC_OR_PARTITION: { retriable: false, production: 'record' },
  INVALID_PARTITIONS: { retriable: false, production: 'other' },
  INVALID_RECORD: { retriable: false, production: 'record' },
  MESSAGE_TOO_LARGE: { retriable: false, production: 'record' },
  PRODUCER_FENCED: { retriable: false, production: 'fenced' },
  INVALID_PRODUCER_EPOCH: { retriable: false, production: 'fenced' },
  INVALID_TXN_STATE: { retriable: false, production: 'fenced' },
  CONCURRENT_TRANSACTIONS: { retriable: true, production: 'other' },
  REBALANCE_IN_PROGRESS: { retriable: true, production: 'other' },
  UNKNOWN_MEMBER_ID: { retriable: false, production: 'other' },
  ILLEGAL_GENERATION: { retriable: false, production: 'other' },
  FENCED_INSTANCE_ID: { retriable: false, production: 'other' },
  NOT_COORDINATOR: { retriable: true, production: 'other' },
  COORDINATOR_NOT_AVAILABLE: { retriable: true, production: 'other' },
  COORDINATOR_LOAD_IN_PROGRESS: { retriable: true, production: 'other' },
  NOT_LEADER_OR_FOLLOWER: { retriable: true, production: 'other' },
  LEADER_NOT_AVAILABLE: { retriable: true, production: 'other' },
  REQUEST_TIMED_OUT: { retriable: true, production: 'other' },
  NETWORK_EXCEPTION: { retriable: true, production: 'other' },
  NOT_ENOUGH_REPLICAS: { retriable: true, production: 'other' },
  KAFKA_STORAGE_ERROR: { retriable: true, production: 'other' },
  UNSTABLE_OFFSET_COMMIT: { retriable: true, production: 'other' },
  CONNECTION_REFUSED: { retriable: true, production: 'other' },
};

/** A broker's error answer. Fault rules throw these; the port classes turn them into the runtime's failures. */
export class KafkaError extends Error {
  constructor(
    readonly code: KafkaErrorCode,
    message: string = code,
  ) {
    super(message);
    this.name = new.target.name;
  }

  get retriable(): boolean {
    return CLASSIFICATION[this.code].retriable;
  }
}

function describe(what: string, error: unknown): string {
  if (error instanceof KafkaError) return `${what} failed (${error.code}): ${error.message}`;
  return `${what} failed: ${error instanceof Error ? error.message : String(error)}`;
}

/** An admin or consumer call's failure as the runtime expects it: a `BrokerFailure`, retriable or not. */
export function toBrokerFailure(what: string, error: unknown): BrokerFailure {
  if (error instanceof BrokerFailure) return error;
  return new BrokerFailure(describe(what, error), { retriable: error instanceof KafkaError && error.retriable, cause: error });
}

/** A producer call's failure as the runtime expects it: a `ProductionFailure` of the kind the error means. */
export function toProductionFailure(what: string, error: unknown): ProductionFailure {
  if (error instanceof ProductionFailure) return error;
  const kind = error instanceof KafkaError ? CLASSIFICATION[error.code].production : 'other';
  return new ProductionFailure(kind, describe(what, error), { cause: error, retriable: error instanceof KafkaError && error.retriable });
}
