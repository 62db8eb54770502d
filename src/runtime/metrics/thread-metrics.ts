import type { PartitionLag } from '../tasks/records-lag.js';
import type { RestoringStore } from '../tasks/restore-progress.js';
import { ClientCounters, type ClientCountersSnapshot } from './client-meter.js';
import { LatencyHistogram, type HistogramSnapshot } from './latency-histogram.js';

/** What one stream thread (or the global stores' updater) counts besides its tasks' counters: plain data. */
export interface ThreadMetricsSnapshot {
  /** `StreamThread-<n>` as Kafka Streams names its threads, or `GlobalStreamThread`. */
  readonly thread: string;
  /** Commits that committed at least one task, from the start of the commit to its end. */
  readonly commitLatency: HistogramSnapshot;
  readonly rebalances: number;
  readonly client: ClientCountersSnapshot;
  readonly recordsLag: readonly PartitionLag[];
  readonly restoring: readonly RestoringStore[];
}

/** A thread's counters, in plain numbers. */
export class ThreadMetricsRecorder {
  readonly commitLatency = new LatencyHistogram();
  readonly client = new ClientCounters();
  private rebalanceCount = 0;

  constructor(readonly thread: string) {}

  rebalanced(): void {
    this.rebalanceCount++;
  }

  snapshot(recordsLag: readonly PartitionLag[], restoring: readonly RestoringStore[]): ThreadMetricsSnapshot {
    return { thread: this.thread, commitLatency: this.commitLatency.snapshot(), rebalances: this.rebalanceCount, client: this.client.snapshot(), recordsLag, restoring };
  }
}
