/** A timer of a `ClusterClock`; cancelling one that fired already does nothing. */
export interface ClusterTimer {
  cancel(): void;
}

/**
 * Where the in-memory cluster takes its time from: session and rebalance timeouts, transaction timeouts, the
 * members' heartbeats and tombstone retention all run on it, so a test can let seconds pass in no time.
 */
export interface ClusterClock {
  now(): number;
  setTimer(delayMs: number, callback: () => void): ClusterTimer;
}

/**
 * Wall-clock time. The timers do not keep the process alive: a test that forgets a consumer still ends (one that
 * waits for a session timeout on its own should use a `ManualClock`).
 */
export class SystemClock implements ClusterClock {
  now(): number {
    return Date.now();
  }

  setTimer(delayMs: number, callback: () => void): ClusterTimer {
    const timer = setTimeout(callback, delayMs);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  }
}

interface PendingTimer {
  readonly due: number;
  /** Creation order: timers due at the same time fire in the order they were set. */
  readonly sequence: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/** Lets the event loop run everything already queued (microtasks and one round of immediates). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Time that moves only when told: `advance(ms)` fires the timers due in that span one by one, in time order, and
 * lets the asynchronous work each one starts (a heartbeat, a rejoin) finish before the next fires. So a member
 * that heartbeats every second survives a ten-second advance, and one whose client hangs does not.
 */
export class ManualClock implements ClusterClock {
  private time: number;
  private sequence = 0;
  private readonly timers: PendingTimer[] = [];

  constructor(startMs = 0) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  setTimer(delayMs: number, callback: () => void): ClusterTimer {
    const timer: PendingTimer = { due: this.time + Math.max(0, delayMs), sequence: this.sequence++, callback, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }

  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      await settle();
      const next = this.nextDue(target);
      if (next === undefined) break;
      this.timers.splice(this.timers.indexOf(next), 1);
      this.time = next.due;
      next.callback();
    }
    this.time = target;
    await settle();
  }

  private nextDue(target: number): PendingTimer | undefined {
    let next: PendingTimer | undefined;
    for (const timer of this.timers) {
      if (timer.cancelled || timer.due > target) continue;
      if (next === undefined || timer.due < next.due || (timer.due === next.due && timer.sequence < next.sequence)) next = timer;
    }
    // Cancelled timers are dropped lazily, so a long test does not accumulate them.
    for (let i = this.timers.length - 1; i >= 0; i--) if (this.timers[i]!.cancelled) this.timers.splice(i, 1);
    return next;
  }
}
