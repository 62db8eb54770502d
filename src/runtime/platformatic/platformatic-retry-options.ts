import type { BaseOptions } from '@platformatic/kafka';
import { isConcurrentTransactions } from './platformatic-errors.js';

/**
 * How often the library itself retries a failed request: enough to ride out a leader or coordinator moving, a
 * coordinator still loading or a connection reset (about 5.5 s in all, as kafkajs' defaults give about 9 s), short
 * enough that a broker outage reaches the runtime soon. The runtime then retries the task with its own backoff up
 * to its task timeout, and logs it. The library's defaults (3 retries 1 s apart) wait longer before the first
 * retry than most coordinator moves take, and an idempotent producer without `retries` retries for ever.
 */
export const PLATFORMATIC_RETRIES = 8;

const FIRST_RETRY_DELAY_MS = 100;
const MAX_RETRY_DELAY_MS = 1_000;
/**
 * Right after a commit the coordinator may still be writing the previous transaction's markers, and answers the
 * next transaction's first request with CONCURRENT_TRANSACTIONS for a few milliseconds. Kafka's Java producer
 * retries it after 20 ms; a second's wait would hold every commit behind it.
 */
const CONCURRENT_TRANSACTIONS_DELAY_MS = 20;

/** The wait before retry `attempt` (1, 2, …) of a request that failed with `error`. */
export function retryDelayMs(attempt: number, error: unknown): number {
  if (isConcurrentTransactions(error)) return CONCURRENT_TRANSACTIONS_DELAY_MS * attempt;
  return Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** (attempt - 1));
}

/** The retry settings of the adapter's producers. */
export const platformaticRetryOptions: Pick<BaseOptions, 'retries' | 'retryDelay'> = {
  retries: PLATFORMATIC_RETRIES,
  retryDelay: (_client, _operation, attempt, _retries, error) => retryDelayMs(attempt, error),
};

/**
 * The admin's: its offset look-ups retry a per-broker request inside a retried whole (the two limits multiply),
 * so fewer retries give about the same wait: up to 16 attempts in about 3.5 s for committed and end offsets.
 */
export const platformaticAdminRetryOptions: Pick<BaseOptions, 'retries' | 'retryDelay'> = {
  retries: 3,
  retryDelay: platformaticRetryOptions.retryDelay!,
};

/**
 * Runs a request the adapter makes itself (outside the library's retries) with the same retries and delays, again
 * while `retriable(error)` holds; `beforeRetry` runs before each new attempt (to look a coordinator up again, say).
 */
export async function withRetries<T>(call: () => Promise<T>, retriable: (error: unknown) => boolean, beforeRetry: () => void = () => undefined): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt > PLATFORMATIC_RETRIES || !retriable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt, error)));
      beforeRetry();
    }
  }
}
