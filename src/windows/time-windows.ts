import { TopologyError } from '../core/errors.js';
import type { Window } from '../core/windowed.js';
import { checkDuration } from './window-durations.js';

/**
 * Fixed-size windows aligned to the epoch: tumbling when `advanceMs === sizeMs`, hopping (overlapping) when the
 * advance is smaller. Each window is half-open, `[start, start + size)`, and starts at a multiple of the advance.
 * A window accepts records until stream time passes its end plus the grace period.
 */
export class TimeWindows {
  private constructor(
    readonly sizeMs: number,
    readonly advanceMs: number,
    readonly graceMs: number,
  ) {}

  /** Tumbling windows of `sizeMs` that close as soon as stream time reaches their end. */
  static ofSizeWithNoGrace(sizeMs: number): TimeWindows {
    return TimeWindows.ofSizeAndGrace(sizeMs, 0);
  }

  /** Tumbling windows of `sizeMs` that still accept records until stream time passes their end + `graceMs`. */
  static ofSizeAndGrace(sizeMs: number, graceMs: number): TimeWindows {
    checkDuration('window size', sizeMs, 1);
    checkDuration('grace period', graceMs, 0);
    return new TimeWindows(sizeMs, sizeMs, graceMs);
  }

  /** Hopping windows: a new window starts every `advanceMs` (at most the size). */
  advanceBy(advanceMs: number): TimeWindows {
    checkDuration('window advance', advanceMs, 1);
    if (advanceMs > this.sizeMs) {
      throw new TopologyError(`window advance (${advanceMs} ms) must not exceed the window size (${this.sizeMs} ms)`);
    }
    return new TimeWindows(this.sizeMs, advanceMs, this.graceMs);
  }

  /**
   * The windows that contain `timestampMs`, by start, ascending: every aligned start in
   * `(timestamp - size, timestamp]` that is not negative, as Kafka Streams computes them.
   */
  windowsFor(timestampMs: number): Window[] {
    const windows: Window[] = [];
    for (let start = this.firstStartFor(timestampMs); start <= timestampMs; start += this.advanceMs) {
      windows.push({ start, end: start + this.sizeMs });
    }
    return windows;
  }

  /**
   * The start of the first window containing `timestampMs`; the others follow every `advanceMs` up to the
   * timestamp. For loops that would otherwise make `windowsFor`'s array and windows for every record.
   */
  firstStartFor(timestampMs: number): number {
    const firstCandidate = Math.max(0, timestampMs - this.sizeMs + this.advanceMs);
    return firstCandidate - (firstCandidate % this.advanceMs);
  }

  /** How long a window store must keep each window at least: until it can no longer change. */
  get minimumRetentionMs(): number {
    return this.sizeMs + this.graceMs;
  }
}
