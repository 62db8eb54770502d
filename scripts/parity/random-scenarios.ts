import { SeededRandom } from '../../src/testing/seeded-random.js';
import { LONG_RETENTION_MS } from './fixed-scenarios.js';
import type { Aggregation, EmitSpec, InputRecord, Scenario, StoreKind, WindowSpec } from './scenario.js';

export type WindowKind = 'tumbling' | 'hopping' | 'sliding' | 'session';
export const WINDOW_KINDS: readonly WindowKind[] = ['tumbling', 'hopping', 'sliding', 'session'];

const GRACES: readonly (number | null)[] = [null, 0, 3, 5, 10, 20];

/**
 * Window sizes are small multiples of 5 and timestamps land on multiples of 5 half of the time, so records often
 * fall exactly on window starts, ends and end + grace — where off-by-one errors live.
 */
function randomWindows(random: SeededRandom, kind: WindowKind): WindowSpec {
  const graceMs = random.pick(GRACES);
  switch (kind) {
    case 'tumbling':
      return { type: 'time', sizeMs: random.pick([5, 10, 20, 30]), advanceMs: null, graceMs };
    case 'hopping': {
      const sizeMs = random.pick([10, 20, 30]);
      const advanceMs = random.chance(0.7) ? random.pick([5, sizeMs / 2, sizeMs]) : random.int(1, sizeMs);
      return { type: 'time', sizeMs, advanceMs, graceMs };
    }
    case 'sliding':
      return { type: 'sliding', timeDifferenceMs: random.pick([5, 10, 20]), graceMs };
    case 'session':
      return { type: 'session', gapMs: random.pick([5, 10, 20]), graceMs };
  }
}

function randomEmit(random: SeededRandom): EmitSpec {
  const roll = random.next();
  if (roll < 0.4) return { type: 'onWindowUpdate' };
  if (roll < 0.55) return { type: 'onWindowClose' };
  if (roll < 0.7) return { type: 'suppressUntilWindowCloses' };
  const timeLimitMs = random.pick([0, 5, 10, 25]);
  const bound = random.next();
  if (bound < 0.35) return { type: 'suppressUntilTimeLimit', timeLimitMs, maxRecords: null, maxBytes: null };
  if (bound < 0.8) return { type: 'suppressUntilTimeLimit', timeLimitMs, maxRecords: random.int(1, 3), maxBytes: null };
  return { type: 'suppressUntilTimeLimit', timeLimitMs, maxRecords: null, maxBytes: random.int(60, 240) };
}

/** The longest a record may reach back behind stream time: past the window and its grace, so some are late. */
function reachBack(windows: WindowSpec): number {
  const span = windows.type === 'time' ? windows.sizeMs : windows.type === 'sliding' ? windows.timeDifferenceMs : windows.gapMs;
  return span + (windows.graceMs ?? 0) + 5;
}

/** 5–40 records over 1–5 keys; stream time moves forward in small steps, ~30% of records are out of order. */
function randomRecords(random: SeededRandom, windows: WindowSpec): InputRecord[] {
  const keys = ['a', 'b', 'c', 'd', 'e'].slice(0, random.int(1, 5));
  const count = random.int(5, 40);
  const back = reachBack(windows);
  const onGrid = (t: number): number => (random.chance(0.5) ? Math.round(t / 5) * 5 : t);
  let streamTime = random.int(0, 20);
  const records: InputRecord[] = [];
  for (let index = 0; index < count; index++) {
    const timestamp = random.chance(0.3) ? Math.max(0, onGrid(streamTime - random.int(0, back))) : onGrid(streamTime + random.int(0, 12));
    streamTime = Math.max(streamTime, timestamp);
    records.push({ key: random.pick(keys), value: `v${index}`, timestamp });
  }
  return records;
}

/** `count` scenarios of one window kind, named `random-<kind>-<n>`. */
export function randomScenarios(seed: number, kind: WindowKind, count: number): Scenario[] {
  const random = new SeededRandom(seed ^ (WINDOW_KINDS.indexOf(kind) * 0x9e3779b9));
  const scenarios: Scenario[] = [];
  for (let n = 0; n < count; n++) {
    const windows = randomWindows(random, kind);
    const aggregation: Aggregation = random.pick(['count', 'reduce', 'aggregate']);
    const emit = randomEmit(random);
    const store: StoreKind = random.chance(0.5) ? 'persistent' : 'in-memory';
    const retentionMs = random.chance(0.5) ? null : LONG_RETENTION_MS;
    const scenario = { name: `random-${kind}-${n}`, windows, aggregation, emit, store, retentionMs, caching: false, records: randomRecords(random, windows) };
    // Every drawn scenario runs with caching off and on: caching draws nothing, so a seed keeps its scenarios.
    scenarios.push(scenario, { ...scenario, name: `${scenario.name}-cached`, caching: true });
  }
  return scenarios;
}
