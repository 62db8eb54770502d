import type { BrokerFailure } from '../client/broker-failure.js';
import { classifyBrokerFailures, isRetriablePlatformaticError, platformaticBrokerFailure } from './platformatic-errors.js';

/**
 * What the read side (fetches, the group member's joins, heartbeats and commits) waits out beyond the adapter's
 * retriable answers (`platformatic-errors.ts`, which owns the walk of the library's error tree). A group answer
 * saying the member or its generation is unknown is got past by a later attempt once the member rejoined, whereas
 * on the write side it is final: in transactional offsets it means the task has migrated (a `fenced` failure). The
 * fetch session answers only come from fetches.
 */
const READ_SIDE_RETRIABLE_API_IDS: ReadonlySet<string> = new Set(['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'FETCH_SESSION_ID_NOT_FOUND', 'INVALID_FETCH_SESSION_EPOCH']);

/** Whether a failure of the read side is one to wait out. */
export function isRetriableReadError(error: unknown): boolean {
  return isRetriablePlatformaticError(error, READ_SIDE_RETRIABLE_API_IDS);
}

/** A read side failure of `what` as a `BrokerFailure`, retriable or not, naming the broker's answers. */
export function readBrokerFailure(what: string, error: unknown): BrokerFailure {
  return platformaticBrokerFailure(what, error, READ_SIDE_RETRIABLE_API_IDS);
}

/** Runs one read side call to the brokers and turns its failure into a `BrokerFailure` saying whether to retry. */
export function classifyReadFailures<T>(what: string, call: () => Promise<T>): Promise<T> {
  return classifyBrokerFailures(what, call, READ_SIDE_RETRIABLE_API_IDS);
}
