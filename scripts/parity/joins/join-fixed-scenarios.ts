import type { JoinInputRecord, JoinScenario, JoinSpec } from './join-scenario.js';

const left = (key: string | null, value: string | null, timestamp: number): JoinInputRecord => ({ topic: 'left', key, value, timestamp });
const right = (key: string | null, value: string | null, timestamp: number): JoinInputRecord => ({ topic: 'right', key, value, timestamp });

/**
 * Hand-written edge cases: records exactly at a join window's before/after bounds and at its grace, non-joined
 * results emitted when windows close, tombstones, foreign-key changes, versioned lookups back in time.
 */
export function fixedJoinScenarios(): JoinScenario[] {
  const scenarios: JoinScenario[] = [];
  for (const kind of ['inner', 'left', 'outer'] as const) {
    const windows = { type: 'stream-stream', kind, beforeMs: 5, afterMs: 3, store: 'persistent', self: false } as const;
    const bounds = [left('a', 'l0', 10), right('a', 'r1', 5), right('a', 'r2', 4), right('a', 'r3', 13), right('a', 'r4', 14)];
    scenarios.push(scenario(`fixed-window-bounds-${kind}`, { ...windows, graceMs: null }, bounds));
    const grace = [left('a', 'l0', 10), right('b', 'r1', 20), left('a', 'l2', 12), right('a', 'r3', 13), right('b', 'r4', 30), left('c', 'l5', 31)];
    scenarios.push(scenario(`fixed-grace-edge-${kind}`, { ...windows, graceMs: 4 }, grace));
    const tables = [left('a', 'l0', 1), right('a', 'r1', 2), left('a', null, 3), right('a', 'r3', 4), right('b', 'r4', 5), left('b', 'l5', 6), right('b', null, 7)];
    scenarios.push(scenario(`fixed-table-tombstones-${kind}`, { type: 'table-table', kind, materialized: false }, tables));
    scenarios.push(scenario(`fixed-table-tombstones-materialized-${kind}`, { type: 'table-table', kind, materialized: true }, tables));
  }
  for (const kind of ['inner', 'left'] as const) {
    const lookups = [right('a', 'r0', 10), left('a', 'l1', 11), right('a', 'r2', 5), left('a', 'l3', 6), left('a', 'l4', 4), left('b', 'l5', 12), right('a', null, 13), left('a', 'l6', 14)];
    scenarios.push(scenario(`fixed-stream-table-${kind}`, { type: 'stream-table', kind, versionedRetentionMs: null, graceMs: null }, lookups));
    scenarios.push(scenario(`fixed-stream-table-versioned-${kind}`, { type: 'stream-table', kind, versionedRetentionMs: 100, graceMs: null }, lookups));
    scenarios.push(scenario(`fixed-stream-table-grace-${kind}`, { type: 'stream-table', kind, versionedRetentionMs: 100, graceMs: 3 }, lookups));
    const foreign = [right('x', 'r0', 1), left('a', 'x/l1', 2), left('b', 'y/l2', 3), right('y', 'r3', 4), left('a', 'y/l4', 5), right('y', null, 6), left('b', null, 7), left('c', '-/l5', 8)];
    scenarios.push(scenario(`fixed-foreign-key-${kind}`, { type: 'foreign-key', kind }, foreign));
    scenarios.push(scenario(`fixed-stream-global-${kind}`, { type: 'stream-global', kind }, foreign));
  }
  return scenarios;
}

function scenario(name: string, join: JoinSpec, records: readonly JoinInputRecord[]): JoinScenario {
  return { name, join, records };
}
