/** The most records one fetch hands over per partition (kafkajs' 1 MB per partition holds about as many small ones). */
export const FETCH_MAX_RECORDS = 500;

/** How long a reader waits after a fetch a fault rule failed with a retriable error, in wall-clock time. */
const FETCH_RETRY_MS = 10;

/**
 * Retries a failed fetch after a short wall-clock wait: readers must make progress whatever the cluster's clock
 * does (a `ManualClock` may never move), and the timer does not keep the process alive.
 */
export function retryAfter(fetch: () => void): void {
  setTimeout(fetch, FETCH_RETRY_MS).unref();
}
