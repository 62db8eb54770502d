/** Kafka Streams' `ConsumerRecord.NO_TIMESTAMP`: stream time before the join saw any record. */
const NO_TIMESTAMP = -1;

/** Kafka Streams' `Long.MAX_VALUE` sentinel for "no record waiting for a partner". */
export const NO_MIN_TIME = Number.MAX_SAFE_INTEGER;

/**
 * The time both sides of one stream-stream join share within a task (Kafka Streams' `KStreamImplJoin.TimeTracker`):
 * the largest timestamp either side has seen, the earliest timestamp of a record waiting in the shared store for a
 * partner, and when (wall clock) the shared store may next be scanned for records whose window closed.
 */
export class JoinTimeTracker {
  streamTime = NO_TIMESTAMP;
  minTime = NO_MIN_TIME;
  nextTimeToEmit = 0;

  constructor(readonly emitIntervalMs: number) {}

  advanceStreamTime(timestamp: number): void {
    if (timestamp > this.streamTime) this.streamTime = timestamp;
  }

  updateMinTime(timestamp: number): void {
    if (timestamp < this.minTime) this.minTime = timestamp;
  }
}

/**
 * One tracker per task for one join, created by whichever of the join's two processors starts first and dropped
 * when one closes (Kafka Streams' `TimeTrackerSupplier`).
 */
export class JoinTimeTrackers {
  private readonly byTask = new Map<string, JoinTimeTracker>();

  get(taskId: string, emitIntervalMs: number): JoinTimeTracker {
    let tracker = this.byTask.get(taskId);
    if (tracker === undefined) {
      tracker = new JoinTimeTracker(emitIntervalMs);
      this.byTask.set(taskId, tracker);
    }
    return tracker;
  }

  remove(taskId: string): void {
    this.byTask.delete(taskId);
  }
}
