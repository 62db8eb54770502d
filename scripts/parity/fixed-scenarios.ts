import type { Aggregation, EmitSpec, InputRecord, Scenario, StoreKind, WindowSpec } from './scenario.js';

/**
 * `'a@0 b@5'` → records (key `a` at 0, key `b` at 5) with values `v0`, `v1`, … in order. `-@5` has a `null` key,
 * `a@5=null` a `null` value.
 */
export function records(spec: string): InputRecord[] {
  return spec
    .trim()
    .split(/\s+/)
    .map((token, index) => {
      const match = /^([^@]+)@(\d+)(=null)?$/.exec(token);
      if (match === null) throw new Error(`bad record ${token}`);
      const [, key, timestamp, nullValue] = match;
      return { key: key === '-' ? null : key!, value: nullValue === undefined ? `v${index}` : null, timestamp: Number(timestamp) };
    });
}

const tumbling = (sizeMs: number, graceMs: number | null): WindowSpec => ({ type: 'time', sizeMs, advanceMs: null, graceMs });
const hopping = (sizeMs: number, advanceMs: number, graceMs: number | null): WindowSpec => ({ type: 'time', sizeMs, advanceMs, graceMs });
const sliding = (timeDifferenceMs: number, graceMs: number | null): WindowSpec => ({ type: 'sliding', timeDifferenceMs, graceMs });
const session = (gapMs: number, graceMs: number | null): WindowSpec => ({ type: 'session', gapMs, graceMs });

const UPDATE: EmitSpec = { type: 'onWindowUpdate' };
const ON_CLOSE: EmitSpec = { type: 'onWindowClose' };
const FINAL: EmitSpec = { type: 'suppressUntilWindowCloses' };
const timeLimit = (timeLimitMs: number, maxRecords: number | null = null, maxBytes: number | null = null): EmitSpec => ({
  type: 'suppressUntilTimeLimit',
  timeLimitMs,
  maxRecords,
  maxBytes,
});

interface Case {
  readonly name: string;
  readonly windows: WindowSpec;
  readonly emit: EmitSpec;
  readonly records: string;
  /** Aggregations to run the case with; all three by default. */
  readonly aggregations?: readonly Aggregation[];
}

/** Out of order within grace, late, and exactly at window end + grace (which is late: the window has closed). */
const GRACE_EDGES = 'a@0 a@14 a@9 b@3 a@15 a@9 b@14 a@1 a@29 a@19 a@30 a@20';
const HOPPING = 'a@0 a@7 a@12 a@3 b@5 a@16 a@9 a@22 a@13 b@15 a@27 a@11';
/** Sliding-window creation rules: equal timestamps, records exactly one time difference apart, left and right windows. */
const SLIDING = 'a@10 a@15 a@15 a@25 a@5 a@20 b@30 a@40 a@31 a@50 a@39 a@8 b@45 a@62';
/** A record bridging two sessions, one extending a session on either side, a three-way merge, late merges. */
const SESSIONS = 'a@0 a@20 a@10 b@5 a@45 a@60 a@52 a@36 b@18 a@80 a@70 a@100 a@59 a@115 a@90';

const cases: readonly Case[] = [
  { name: 'tumbling-no-grace-in-order', windows: tumbling(10, null), emit: UPDATE, records: 'a@0 a@5 b@9 a@10 a@19 b@20 a@20 b@29' },
  { name: 'tumbling-no-grace-late', windows: tumbling(10, null), emit: UPDATE, records: 'a@0 a@12 a@9 a@10 b@3 b@12 a@19 a@20 a@19' },
  { name: 'tumbling-grace-edges', windows: tumbling(10, 5), emit: UPDATE, records: GRACE_EDGES },
  { name: 'tumbling-zero-grace', windows: tumbling(10, 0), emit: UPDATE, records: GRACE_EDGES },
  { name: 'hopping-aligned', windows: hopping(10, 5, null), emit: UPDATE, records: HOPPING },
  { name: 'hopping-grace', windows: hopping(10, 5, 4), emit: UPDATE, records: HOPPING },
  { name: 'hopping-unaligned-advance', windows: hopping(10, 3, 2), emit: UPDATE, records: HOPPING },
  { name: 'sliding-no-grace', windows: sliding(10, null), emit: UPDATE, records: SLIDING },
  { name: 'sliding-grace', windows: sliding(10, 8), emit: UPDATE, records: SLIDING },
  { name: 'session-no-grace', windows: session(10, null), emit: UPDATE, records: SESSIONS },
  { name: 'session-grace', windows: session(10, 15), emit: UPDATE, records: SESSIONS },
  { name: 'session-grace-edge', windows: session(10, 5), emit: UPDATE, records: 'a@0 a@25 a@10 a@26 a@11 a@40 a@24 a@40 a@23' },
  { name: 'tumbling-final', windows: tumbling(10, 5), emit: FINAL, records: GRACE_EDGES },
  { name: 'hopping-final', windows: hopping(10, 5, 4), emit: FINAL, records: HOPPING },
  { name: 'sliding-final', windows: sliding(10, 8), emit: FINAL, records: SLIDING },
  { name: 'session-final', windows: session(10, 15), emit: FINAL, records: SESSIONS },
  { name: 'tumbling-time-limit', windows: tumbling(10, 5), emit: timeLimit(7), records: GRACE_EDGES },
  { name: 'hopping-time-limit-zero', windows: hopping(10, 5, 4), emit: timeLimit(0), records: HOPPING },
  { name: 'tumbling-time-limit-max-records', windows: tumbling(10, 5), emit: timeLimit(20, 1), records: GRACE_EDGES },
  { name: 'hopping-time-limit-max-records', windows: hopping(10, 5, 4), emit: timeLimit(15, 2), records: HOPPING },
  { name: 'session-time-limit-max-records', windows: session(10, 15), emit: timeLimit(25, 2), records: SESSIONS },
  { name: 'sliding-time-limit-max-bytes', windows: sliding(10, 8), emit: timeLimit(30, null, 160), records: SLIDING },
  { name: 'tumbling-on-close', windows: tumbling(10, 5), emit: ON_CLOSE, records: GRACE_EDGES },
  { name: 'tumbling-on-close-no-grace', windows: tumbling(10, null), emit: ON_CLOSE, records: 'a@0 a@5 b@9 a@10 a@19 b@20 a@20 b@29 a@45' },
  { name: 'hopping-on-close', windows: hopping(10, 5, 4), emit: ON_CLOSE, records: HOPPING },
  { name: 'hopping-unaligned-on-close', windows: hopping(10, 3, 2), emit: ON_CLOSE, records: HOPPING },
  { name: 'sliding-on-close', windows: sliding(10, 8), emit: ON_CLOSE, records: SLIDING },
  { name: 'session-on-close', windows: session(10, 15), emit: ON_CLOSE, records: SESSIONS },
  // Minimal cases for the differences found so far (see scripts/parity/README.md).
  { name: 'tumbling-on-close-jump', windows: tumbling(10, null), emit: ON_CLOSE, records: 'a@0 b@35' },
  { name: 'session-on-close-at-close-time', windows: session(10, null), emit: ON_CLOSE, records: 'a@0 b@10 c@11' },
  { name: 'session-on-close-equal-ends', windows: session(10, null), emit: ON_CLOSE, records: 'b@5 b@9 a@9 c@30' },
  { name: 'session-on-close-merge-at-retention-edge', windows: session(5, 5), emit: ON_CLOSE, records: 'b@5 e@15 b@5 c@148' },
  { name: 'session-final-waits-for-gap', windows: session(20, null), emit: FINAL, records: 'a@0 a@15 b@30 b@36' },
  { name: 'session-merge', windows: session(10, null), emit: UPDATE, records: 'a@0 a@20 a@10' },
  { name: 'tumbling-time-limit-max-bytes', windows: tumbling(10, null), emit: timeLimit(100, null, 50), records: 'a@0 a@1' },
  { name: 'hopping-late-in-two-windows', windows: hopping(10, 5, null), emit: UPDATE, records: 'a@20 a@12' },
  { name: 'tumbling-null-key-and-value', windows: tumbling(10, null), emit: UPDATE, records: 'a@0 a@1=null -@2 a@3' },
  { name: 'sliding-null-key-and-value', windows: sliding(10, null), emit: UPDATE, records: 'a@0 a@1=null -@2 a@3' },
  { name: 'session-null-key-and-value', windows: session(10, null), emit: UPDATE, records: 'a@0 a@1=null -@2 a@3' },
  { name: 'session-write-at-retention-edge', windows: session(10, null), emit: UPDATE, records: 'a@0 b@10 a@0' },
];

const AGGREGATIONS: readonly Aggregation[] = ['count', 'reduce', 'aggregate'];
const STORES: readonly StoreKind[] = ['persistent', 'in-memory'];
/** Long enough that no window of these cases leaves the store while the case runs. */
export const LONG_RETENTION_MS = 1_000_000;

/** Every case with each aggregation, both store kinds, the default and a long retention, caching off and on. */
export function fixedScenarios(): Scenario[] {
  const scenarios: Scenario[] = [];
  for (const c of cases) {
    for (const aggregation of c.aggregations ?? AGGREGATIONS) {
      for (const store of STORES) {
        for (const retentionMs of [null, LONG_RETENTION_MS]) {
          for (const caching of [false, true]) {
            const name = `${c.name}/${aggregation}/${store}${retentionMs === null ? '' : '/long-retention'}${caching ? '/cached' : ''}`;
            scenarios.push({ name, windows: c.windows, aggregation, emit: c.emit, store, retentionMs, caching, records: records(c.records) });
          }
        }
      }
    }
  }
  return scenarios;
}
