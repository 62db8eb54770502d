import type { TaskLogger } from '../../processing/task-logger.js';

/**
 * The info line a stream thread writes every `logSummaryIntervalMs` (Kafka Streams' `log.summary.interval.ms`):
 * records processed, commits and their latency since the previous line, instead of a line per commit.
 */
export class CommitSummary {
  private processed = 0;
  private commits = 0;
  private tasksCommitted = 0;
  private latencySumMs = 0;
  private latencyMaxMs = 0;
  private lastLoggedMs: number;

  constructor(
    private readonly logger: TaskLogger,
    private readonly intervalMs: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.lastLoggedMs = clock();
  }

  recordsProcessed(count: number): void {
    this.processed += count;
  }

  committed(tasks: number, latencyMs: number): void {
    this.commits++;
    this.tasksCommitted += tasks;
    this.latencySumMs += latencyMs;
    this.latencyMaxMs = Math.max(this.latencyMaxMs, latencyMs);
  }

  /** Logs the summary once the interval has passed (`force`: now, when the thread stops), if anything happened. */
  maybeLog(force = false): void {
    const now = this.clock();
    if (!force && now - this.lastLoggedMs < this.intervalMs) return;
    if (this.processed > 0 || this.commits > 0) {
      const sinceMs = now - this.lastLoggedMs;
      const latency = this.commits === 0 ? {} : { commitLatencyAvgMs: round(this.latencySumMs / this.commits), commitLatencyMaxMs: round(this.latencyMaxMs) };
      this.logger.info({ sinceMs, processed: this.processed, commits: this.commits, tasksCommitted: this.tasksCommitted, ...latency }, 'processing summary');
    }
    this.lastLoggedMs = now;
    this.processed = 0;
    this.commits = 0;
    this.tasksCommitted = 0;
    this.latencySumMs = 0;
    this.latencyMaxMs = 0;
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
