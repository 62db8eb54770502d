/**
 * When a store with a retention period deletes its expired rows: once per interval of time, when the retention
 * boundary enters a new interval, rather than on every write (Kafka Streams' segments). A deletion then removes an
 * interval's worth of rows at once, and the table holds at most a few intervals beyond the retention. Reads filter
 * by the exact boundary, so their results never depend on when the rows were deleted.
 */
export class IntervalExpiry {
  private reachedInterval = Number.NEGATIVE_INFINITY;

  constructor(readonly intervalMs: number) {}

  /** The number of the interval `time` falls in. */
  intervalOf(time: number): number {
    return Math.floor(time / this.intervalMs);
  }

  /**
   * The interval of `boundary` (the earliest live time) if expiry has not reached it yet, and from now on it has;
   * `null` while the boundary stays in an interval already reached. The rows before that interval are expired.
   */
  enterInterval(boundary: number): number | null {
    const interval = this.intervalOf(boundary);
    if (interval <= this.reachedInterval) return null;
    this.reachedInterval = interval;
    return interval;
  }
}
