import { checkDuration } from './window-durations.js';

/**
 * Windows defined by the records themselves: two records fall in one window when their timestamps differ by at
 * most `timeDifferenceMs`. Windows are `[start, end]` with `end - start === timeDifferenceMs`, created only where
 * the set of records they contain changes (Kafka Streams' sliding-window rules; the processor is not built yet).
 */
export class SlidingWindows {
  private constructor(
    readonly timeDifferenceMs: number,
    readonly graceMs: number,
  ) {}

  static ofTimeDifferenceWithNoGrace(timeDifferenceMs: number): SlidingWindows {
    return SlidingWindows.ofTimeDifferenceAndGrace(timeDifferenceMs, 0);
  }

  static ofTimeDifferenceAndGrace(timeDifferenceMs: number, graceMs: number): SlidingWindows {
    checkDuration('time difference', timeDifferenceMs, 0);
    checkDuration('grace period', graceMs, 0);
    return new SlidingWindows(timeDifferenceMs, graceMs);
  }

  get minimumRetentionMs(): number {
    return this.timeDifferenceMs + this.graceMs;
  }
}
