/** Bucket bounds in seconds for commit latencies: a commit takes milliseconds on a healthy broker, seconds when it is not. */
export const COMMIT_LATENCY_BUCKETS_S: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** A histogram as plain data: what crosses from a worker thread and what the Prometheus side renders. */
export interface HistogramSnapshot {
  /** Upper bounds, ascending (the `+Inf` bucket is `count`). */
  readonly bounds: readonly number[];
  /** Observations at or below each bound, cumulative as Prometheus buckets are. */
  readonly cumulative: readonly number[];
  readonly sum: number;
  readonly count: number;
}

/**
 * Observations counted into fixed buckets with plain numbers, so that recording costs a loop over a dozen bounds
 * and nothing else; Prometheus reads `snapshot()` at scrape time.
 */
export class LatencyHistogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;

  constructor(private readonly bounds: readonly number[] = COMMIT_LATENCY_BUCKETS_S) {
    this.counts = bounds.map(() => 0);
  }

  observe(seconds: number): void {
    this.sum += seconds;
    this.count++;
    const index = this.bounds.findIndex((bound) => seconds <= bound);
    if (index >= 0) this.counts[index]!++;
  }

  snapshot(): HistogramSnapshot {
    let running = 0;
    const cumulative = this.counts.map((n) => (running += n));
    return { bounds: this.bounds, cumulative, sum: this.sum, count: this.count };
  }
}
