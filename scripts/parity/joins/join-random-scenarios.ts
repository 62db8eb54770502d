import { SeededRandom } from '../../../src/testing/seeded-random.js';
import type { StoreKind } from '../scenario.js';
import type { CogroupWindows, JoinInputRecord, JoinScenario, JoinSpec, JoinType } from './join-scenario.js';

export const JOIN_TYPES: readonly JoinType[] = ['stream-stream', 'stream-table', 'table-table', 'foreign-key', 'stream-global', 'cogroup'];

const STORES: readonly StoreKind[] = ['persistent', 'in-memory'];
const GRACES: readonly (number | null)[] = [null, 0, 3, 10];

/**
 * Seeded scenarios of one join type: 1–3 keys, 4–30 records spread over both topics, stream time moving forward
 * with ~30% of the records out of order, some null keys and null values (tombstones on tables).
 */
export function randomJoinScenarios(seed: number, type: JoinType, count: number): JoinScenario[] {
  const random = new SeededRandom(seed ^ hash(type));
  return Array.from({ length: count }, (_, index) => {
    const join = randomSpec(random, type);
    return { name: `random-${type}-${seed}-${index}`, join, records: randomRecords(random, join) };
  });
}

function randomSpec(random: SeededRandom, type: JoinType): JoinSpec {
  switch (type) {
    case 'stream-stream':
      return {
        type,
        kind: random.pick(['inner', 'left', 'outer'] as const),
        beforeMs: random.int(0, 10),
        afterMs: random.int(0, 10),
        graceMs: random.pick(GRACES),
        store: random.pick(STORES),
        self: random.chance(0.1),
      };
    case 'stream-table': {
      const versioned = random.chance(0.5);
      return {
        type,
        kind: random.pick(['inner', 'left'] as const),
        versionedRetentionMs: versioned ? random.pick([20, 1000]) : null,
        graceMs: versioned && random.chance(0.5) ? random.pick([0, 3, 10]) : null,
      };
    }
    case 'table-table':
      return { type, kind: random.pick(['inner', 'left', 'outer'] as const), materialized: random.chance(0.5) };
    case 'foreign-key':
    case 'stream-global':
      return { type, kind: random.pick(['inner', 'left'] as const) };
    case 'cogroup':
      return { type, kind: 'inner', windows: random.chance(0.3) ? null : randomWindows(random), store: random.pick(STORES) };
  }
}

function randomWindows(random: SeededRandom): CogroupWindows {
  const graceMs = random.pick([0, 3, 10]);
  switch (random.pick(['time', 'sliding', 'session'] as const)) {
    case 'time':
      return { type: 'time', sizeMs: random.pick([5, 10]), graceMs };
    case 'sliding':
      return { type: 'sliding', timeDifferenceMs: random.pick([5, 10]), graceMs };
    case 'session':
      return { type: 'session', gapMs: random.pick([3, 5]), graceMs };
  }
}

function randomRecords(random: SeededRandom, join: JoinSpec): JoinInputRecord[] {
  const keys = ['a', 'b', 'c'].slice(0, random.int(1, 3));
  const foreignKeys = ['x', 'y', 'z'].slice(0, random.int(1, 3));
  const byForeignKey = join.type === 'foreign-key' || join.type === 'stream-global';
  const records: JoinInputRecord[] = [];
  let streamTime = random.int(0, 5);
  const length = random.int(4, 30);
  for (let n = 0; n < length; n++) {
    const topic = join.type === 'stream-stream' && join.self ? 'left' : random.chance(0.5) ? 'left' : 'right';
    const late = random.chance(0.3);
    if (!late) streamTime += random.int(0, 8);
    const timestamp = late ? Math.max(0, streamTime - random.int(1, 15)) : streamTime;
    const key = random.chance(0.05) ? null : byForeignKey && topic === 'right' ? random.pick(foreignKeys) : random.pick(keys);
    records.push({ topic, key, value: randomValue(random, topic, byForeignKey, foreignKeys, n), timestamp });
  }
  return records;
}

function randomValue(random: SeededRandom, topic: 'left' | 'right', byForeignKey: boolean, foreignKeys: readonly string[], n: number): string | null {
  if (random.chance(0.08)) return null;
  if (!byForeignKey || topic === 'right') return `${topic === 'left' ? 'l' : 'r'}${n}`;
  return `${random.chance(0.05) ? '-' : random.pick(foreignKeys)}/l${n}`;
}

/** Separates the types' random streams, so adding a type does not change the others' scenarios. */
function hash(text: string): number {
  let h = 0;
  for (const char of text) h = (Math.imul(h, 31) + char.charCodeAt(0)) | 0;
  return h;
}
