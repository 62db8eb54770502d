import type { Cancellable, Punctuator } from '../core/processor.js';

interface Schedule {
  readonly nodeName: string;
  readonly intervalMs: number;
  readonly punctuator: Punctuator;
  nextMs: number;
  cancelled: boolean;
}

/** Runs one punctuation on behalf of the node that scheduled it. */
export type PunctuationRunner = (nodeName: string, timestampMs: number, punctuator: Punctuator) => void;

/**
 * Punctuations of one type (stream-time or wall-clock) of one task, due in time order. Semantics as Kafka Streams'
 * `PunctuationQueue`: a due schedule fires once with the current time, then moves to its next aligned slot after
 * that time, so a jump over several intervals fires it once rather than once per missed interval.
 */
export class PunctuationQueue {
  /** Kept sorted by due time; equal due times fire in the order they were (re)scheduled. */
  private schedules: Schedule[] = [];

  schedule(nodeName: string, startMs: number, intervalMs: number, punctuator: Punctuator): Cancellable {
    const schedule: Schedule = { nodeName, intervalMs, punctuator, nextMs: startMs, cancelled: false };
    this.insert(schedule);
    return {
      cancel: () => {
        schedule.cancelled = true;
        this.schedules = this.schedules.filter((s) => s !== schedule);
      },
    };
  }

  /** Fires every schedule due at `nowMs`; returns whether any fired. */
  mayPunctuate(nowMs: number, run: PunctuationRunner): boolean {
    let punctuated = false;
    for (let due = this.schedules[0]; due !== undefined && due.nextMs <= nowMs; due = this.schedules[0]) {
      this.schedules.shift();
      run(due.nodeName, nowMs, due.punctuator);
      punctuated = true;
      if (due.cancelled) continue;
      due.nextMs = nextAlignedTime(due, nowMs);
      this.insert(due);
    }
    return punctuated;
  }

  private insert(schedule: Schedule): void {
    const index = this.schedules.findIndex((s) => s.nextMs > schedule.nextMs);
    if (index === -1) this.schedules.push(schedule);
    else this.schedules.splice(index, 0, schedule);
  }
}

function nextAlignedTime(schedule: Schedule, nowMs: number): number {
  const next = schedule.nextMs + schedule.intervalMs;
  if (nowMs < next) return next;
  const intervalsMissed = Math.floor((nowMs - schedule.nextMs) / schedule.intervalMs);
  return schedule.nextMs + (intervalsMissed + 1) * schedule.intervalMs;
}
