import { TopologyError } from '../core/errors.js';

/**
 * The time bounds of a stream-stream join (Kafka Streams' `JoinWindows`): a record at `t` joins the other side's
 * records of the same key timestamped in `[t - beforeMs, t + afterMs]`, and the other side's records join it
 * symmetrically. Each side's records are kept `sizeMs + graceMs` after stream time passes them, so a record
 * arriving out of order within the grace period still finds its partners. Left and outer joins emit a record
 * without a partner only once its window closed (stream time passed it by `afterMs` or `beforeMs`, plus grace).
 */
export class JoinWindows {
  private constructor(
    readonly beforeMs: number,
    readonly afterMs: number,
    readonly graceMs: number,
  ) {
    if (beforeMs + afterMs < 0) throw new TopologyError('Window interval (ie, beforeMs+afterMs) must not be negative.');
    if (graceMs < 0) throw new TopologyError('Grace period must not be negative.');
  }

  /** Records join when at most `timeDifferenceMs` apart, either way; no grace for out-of-order records. */
  static ofTimeDifferenceWithNoGrace(timeDifferenceMs: number): JoinWindows {
    return JoinWindows.ofTimeDifferenceAndGrace(timeDifferenceMs, 0);
  }

  /** Records join when at most `timeDifferenceMs` apart; records out of order by up to `graceMs` still join. */
  static ofTimeDifferenceAndGrace(timeDifferenceMs: number, graceMs: number): JoinWindows {
    return new JoinWindows(checkMillis('time difference', timeDifferenceMs), timeDifferenceMs, checkMillis('grace period', graceMs));
  }

  /**
   * A copy whose window reaches `timeDifferenceMs` back: a record at `t` joins the other side's records from
   * `t - timeDifferenceMs`. Negative values shift the window forward, as long as `before + after` stays ≥ 0.
   */
  before(timeDifferenceMs: number): JoinWindows {
    return new JoinWindows(checkMillis('time difference', timeDifferenceMs), this.afterMs, this.graceMs);
  }

  /** A copy whose window reaches `timeDifferenceMs` ahead: up to `t + timeDifferenceMs`. */
  after(timeDifferenceMs: number): JoinWindows {
    return new JoinWindows(this.beforeMs, checkMillis('time difference', timeDifferenceMs), this.graceMs);
  }

  /** `beforeMs + afterMs`: the window size of the join's stores. */
  get sizeMs(): number {
    return this.beforeMs + this.afterMs;
  }

  /** How long each side's store keeps a record after stream time passes it: size + grace. */
  get retentionMs(): number {
    return this.sizeMs + this.graceMs;
  }

  toString(): string {
    return `JoinWindows{beforeMs=${this.beforeMs}, afterMs=${this.afterMs}, graceMs=${this.graceMs}}`;
  }
}

/**
 * Only integers are checked here; signs are the constructor's, with Kafka Streams' messages: `before`/`after` may
 * be negative (a shifted window) as long as their sum is not.
 */
function checkMillis(name: string, valueMs: number): number {
  if (!Number.isSafeInteger(valueMs)) throw new TopologyError(`${name} must be an integer of milliseconds, got ${valueMs}`);
  return valueMs;
}
