/** Counters of one task; plain numbers so the Kafka runtime can publish them however it likes. */
export interface TaskMetrics {
  readonly processedRecords: number;
  readonly punctuations: number;
  readonly droppedRecords: {
    readonly total: number;
    readonly deserializationErrors: number;
    readonly processingErrors: number;
    readonly negativeTimestamps: number;
  };
}

export type DropReason = 'deserializationErrors' | 'processingErrors' | 'negativeTimestamps';

export class TaskMetricsRecorder {
  private processed = 0;
  private punctuated = 0;
  private readonly dropped: Record<DropReason, number> = { deserializationErrors: 0, processingErrors: 0, negativeTimestamps: 0 };

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
    const { deserializationErrors, processingErrors, negativeTimestamps } = this.dropped;
    return {
      processedRecords: this.processed,
      punctuations: this.punctuated,
      droppedRecords: { total: deserializationErrors + processingErrors + negativeTimestamps, deserializationErrors, processingErrors, negativeTimestamps },
    };
  }
}
