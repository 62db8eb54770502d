import { SessionWindows } from '../src/windows/session-windows.js';
import type { TimeWindows } from '../src/windows/time-windows.js';
import { SeededRandom } from '../src/testing/seeded-random.js';

/** How far back a record's event time may be moved: less than every workload's grace period, so none is late. */
export const MAX_JITTER_MS = 1_000;

/** The windowed bench's input, as described at the top of windowed-throughput.ts. */
export interface InputShape {
  readonly records: number;
  readonly keys: number;
  readonly eventMsPerRecord: number;
}

/** The input's (user index, event time) pairs, in order: the same for every run and workload. */
export function* inputEvents(shape: InputShape): Generator<{ user: number; timestamp: number }> {
  const random = new SeededRandom(42);
  for (let offset = 0; offset < shape.records; offset++) {
    const user = Math.floor(random.next() * shape.keys);
    yield { user, timestamp: Math.max(0, offset * shape.eventMsPerRecord - Math.floor(random.next() * MAX_JITTER_MS)) };
  }
}

/**
 * The average number of records per (key, window) the input makes for `windows`, or per session. Each key's
 * records are taken in time order: the windows they end up in do not depend on arrival order, as none is late.
 */
export function recordsPerWindow(windows: TimeWindows | SessionWindows, shape: InputShape): number {
  const timesByUser = Array.from({ length: shape.keys }, (): number[] => []);
  for (const { user, timestamp } of inputEvents(shape)) timesByUser[user]!.push(timestamp);
  let memberships = 0;
  let distinctWindows = 0;
  for (const times of timesByUser) {
    times.sort((a, b) => a - b);
    const counts = windows instanceof SessionWindows ? sessionCounts(times, windows.inactivityGapMs) : timeWindowCounts(times, windows);
    memberships += counts.memberships;
    distinctWindows += counts.windows;
  }
  return memberships / distinctWindows;
}

interface WindowCounts {
  /** Records counted once per window they are in. */
  readonly memberships: number;
  readonly windows: number;
}

/** One key's windows, from its record times in order: window starts only grow, so a new start is a new window. */
function timeWindowCounts(sortedTimes: readonly number[], windows: TimeWindows): WindowCounts {
  let memberships = 0;
  let distinct = 0;
  let latestStart = Number.NEGATIVE_INFINITY;
  for (const time of sortedTimes) {
    for (const { start } of windows.windowsFor(time)) {
      memberships++;
      if (start > latestStart) distinct++;
      latestStart = Math.max(latestStart, start);
    }
  }
  return { memberships, windows: distinct };
}

/** One key's sessions, from its record times in order: a gap longer than the inactivity gap starts a new one. */
function sessionCounts(sortedTimes: readonly number[], inactivityGapMs: number): WindowCounts {
  let sessions = 0;
  let previous = Number.NEGATIVE_INFINITY;
  for (const time of sortedTimes) {
    if (time - previous > inactivityGapMs) sessions++;
    previous = time;
  }
  return { memberships: sortedTimes.length, windows: sessions };
}
