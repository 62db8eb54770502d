import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeSchedule, generateSchedule, type FaultSchedule } from '../../../src/testing/faults/fault-schedule.js';
import { difference, runWorkload, type Workload } from './fault-run.js';
import { ORDER_PAYMENTS, ORDER_PAYMENTS_V2, WINDOWED_COUNT, WINDOWED_COUNT_V2, WORD_COUNT_AT_LEAST_ONCE, WORD_COUNT_EXACTLY_ONCE, WORD_COUNT_EXACTLY_ONCE_V2 } from './workloads.js';

/**
 * The seeded fault-schedule property (issue 11): each workload runs under many random fault schedules on two
 * instances, and its read_committed output must equal the fault-free run's (exactly-once: no duplicate, no loss)
 * or contain it (at-least-once: no loss). A failure prints the seed and its schedule;
 * `KSTREAMS_FAULT_SEED=<seed> npm run test:unit -- test/unit/properties/fault-schedules.test.ts` replays that one.
 */

const SCHEDULES_PER_WORKLOAD = 130;
/** Schedules run side by side: a run mostly waits (commit intervals, backoff), so this uses the cores better. */
const CONCURRENT_RUNS = 16;
const MAX_RULES = 3;
const replay = process.env.KSTREAMS_FAULT_SEED === undefined ? undefined : Number(process.env.KSTREAMS_FAULT_SEED);

/** Seeds differ per workload (the millions name it), so that a replayed seed runs on its own workload only. */
function seeds(workloadIndex: number): number[] {
  if (replay !== undefined) return Math.floor(replay / 1_000_000) === workloadIndex + 1 ? [replay] : [];
  return Array.from({ length: SCHEDULES_PER_WORKLOAD }, (_, i) => (workloadIndex + 1) * 1_000_000 + i);
}

async function violations(workload: Workload, schedules: readonly FaultSchedule[]): Promise<{ failures: string[]; fired: number }> {
  // A replayed seed belongs to one workload: the others skip even their fault-free run.
  if (schedules.length === 0) return { failures: [], fired: 0 };
  const { output: expected } = await runWorkload(workload, undefined);
  const failures: string[] = [];
  let fired = 0;
  const queue = [...schedules];
  const worker = async (): Promise<void> => {
    for (let schedule = queue.shift(); schedule !== undefined; schedule = queue.shift()) {
      const { output, faults } = await runWorkload(workload, schedule, expected);
      fired += faults;
      const wrong = workload.guarantee === 'exactly_once' ? difference(expected, output) : workload.lost!(expected, output);
      if (wrong !== undefined) failures.push(`${workload.name} (${workload.guarantee}): ${wrong}\n${describeSchedule(schedule)}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_RUNS }, worker));
  return { failures, fired };
}

/** A producer per task (the kafkajs path) first, so that the seeds in docs/runtime.md keep naming their runs; then exactly_once_v2. */
const WORKLOADS = [WORD_COUNT_EXACTLY_ONCE, WORD_COUNT_AT_LEAST_ONCE, WINDOWED_COUNT, ORDER_PAYMENTS, WORD_COUNT_EXACTLY_ONCE_V2, WINDOWED_COUNT_V2, ORDER_PAYMENTS_V2];

for (const [index, workload] of WORKLOADS.entries()) {
  test(`${workload.name} (${workload.guarantee}) keeps its guarantee under seeded fault schedules`, async (t) => {
    const started = Date.now();
    const schedules = seeds(index).map((seed) => generateSchedule(seed, { instances: 2, maxRules: MAX_RULES, guarantee: workload.guarantee }));
    const { failures, fired } = await violations(workload, schedules);
    t.diagnostic(`${schedules.length} schedules, ${fired} faults fired, ${Date.now() - started} ms`);
    assert.deepEqual(failures, [], failures.join('\n\n'));
  });
}
