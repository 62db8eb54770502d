import { checkDuration } from './window-durations.js';

/**
 * Sessions per key: records closer together than the inactivity gap form one session `[first, last]`; a record
 * that bridges two sessions merges them. A session closes when stream time passes its end + gap + grace.
 */
export class SessionWindows {
  private constructor(
    readonly inactivityGapMs: number,
    readonly graceMs: number,
  ) {}

  static ofInactivityGapWithNoGrace(inactivityGapMs: number): SessionWindows {
    return SessionWindows.ofInactivityGapAndGrace(inactivityGapMs, 0);
  }

  static ofInactivityGapAndGrace(inactivityGapMs: number, graceMs: number): SessionWindows {
    checkDuration('inactivity gap', inactivityGapMs, 1);
    checkDuration('grace period', graceMs, 0);
    return new SessionWindows(inactivityGapMs, graceMs);
  }

  get minimumRetentionMs(): number {
    return this.inactivityGapMs + this.graceMs;
  }
}
