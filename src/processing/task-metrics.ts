/** Counters of one task; plain numbers so the Kafka runtime can publish them however it likes. */
export interface TaskMetrics {
  readonly processedRecords: number;
  readonly punctuations: number;
  readonly droppedRecords: {
    readonly total: number;
    readonly deserializationErrors: number;
    readonly processingErrors: number;
    /** Skipped because their extracted timestamp was invalid (`invalidTimestampPolicy`). */
    readonly invalidTimestamps: number;
    /** Dropped by a processor because they have no key (`ProcessorContext.recordDropped`). */
    readonly nullKeys: number;
    /** Dropped by a processor because they have no value. */
    readonly nullValues: number;
    /**
     * Dropped as late by a processor (`ProcessorContext.recordDropped('lateRecord')`), such as a windowed aggregation
     * whose window had closed (stream time ≥ window end + grace); one count per report.
     */
    readonly lateRecords: number;
    /** Dropped as superseded (`ProcessorContext.recordDropped('staleRecord')`), e.g. a stale foreign-key join response. */
    readonly staleRecords: number;
  };
}

export type DropReason = 'deserializationErrors' | 'processingErrors' | 'invalidTimestamps' | 'nullKeys' | 'nullValues' | 'lateRecords' | 'staleRecords';

export class TaskMetricsRecorder {
  private processed = 0;
  private punctuated = 0;
  private readonly dropped: Record<DropReason, number> = { deserializationErrors: 0, processingErrors: 0, invalidTimestamps: 0, nullKeys: 0, nullValues: 0, lateRecords: 0, staleRecords: 0 };

  recordProcessed(): void {
    this.processed++;
  }

  recordPunctuation(): void {
    this.punctuated++;
  }

  recordDropped(reason: DropReason): void {
    this.dropped[reason]++;
  }

  snapshot(): TaskMetrics {
    const dropped = this.dropped;
    let total = 0;
    for (const count of Object.values(dropped)) total += count;
    return { processedRecords: this.processed, punctuations: this.punctuated, droppedRecords: { total, ...dropped } };
  }
}
