import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import type { Message } from 'kafkajs';
import { Serdes } from '../../../src/index.js';
import { CrashAppProcess, killAllCrashApps } from '../support/crash-app-process.js';
import { CrashTestBed, sendToEveryPartition } from '../support/crash-test-bed.js';
import type { GraceJoinCrashAppConfig } from '../support/grace-join-crash-app.js';
import { uniqueName } from '../support/broker.js';
import { deleteTopics, removeDir } from './streams-support.js';

/**
 * Crash test of a stream-table join with a grace period (`support/grace-join-crash-app.ts`), exactly-once: the app
 * is SIGKILLed twice while input flows and records wait in the join's `late-join-Buffer` store, restarted once on
 * its intact state directory and once on a deleted one (buffer and versioned table restored from their changelogs).
 * Whatever the crashes, every input must be joined exactly once, with the table version valid at its timestamp.
 */

const APP_PATH = fileURLToPath(new URL('../support/grace-join-crash-app.ts', import.meta.url));
const PARTITIONS = 3;
const KEYS = 12;
const INPUT = { total: 3_000, batch: 40, intervalMs: 200, upTo: 1_000 };
/**
 * Input held back until the first restart (then until the second): each kill waits for OUTPUTS_BEFORE_KILL more
 * results, which the inputs let go so far always hold, so every kill lands before the input ends, however slow the
 * machine.
 */
const SECOND_HOLD = 2_000;
const STEP_MS = 20;
const GRACE_MS = 500;
/** Every 5th input is stamped 300 ms back: within the grace of the stream time its partition has reached. */
const OUT_OF_ORDER_EVERY = 5;
const OUT_OF_ORDER_LAG_MS = 300;
/** The table changes value half-way through the inputs' event time: each input must see the version of its time. */
const TABLE_SWITCH_SEQ = 1_500;
const OUTPUTS_BEFORE_KILL = 300;
const FLUSH_KEY = '__flush__';

after(killAllCrashApps);

function keyOf(seq: number): string {
  return `k${(seq * 7) % KEYS}`;
}

function timestampOf(seq: number, baseMs: number): number {
  const lag = seq % OUT_OF_ORDER_EVERY === OUT_OF_ORDER_EVERY - 1 ? OUT_OF_ORDER_LAG_MS : 0;
  return baseMs + seq * STEP_MS - lag;
}

function inputMessage(topic: string, seq: number, baseMs: number): Message {
  return { key: keyOf(seq), value: Serdes.Integer().serialize(topic, seq), timestamp: String(timestampOf(seq, baseMs)) };
}

/** The table value each input must have joined with: `v1` before the switch time, `v2` from it on. */
function expectedJoins(baseMs: number): Map<number, string> {
  const switchMs = baseMs + TABLE_SWITCH_SEQ * STEP_MS;
  const expected = new Map<number, string>();
  for (let seq = 0; seq < INPUT.total; seq++) expected.set(seq, `${seq}|${timestampOf(seq, baseMs) < switchMs ? 'v1' : 'v2'}`);
  return expected;
}

test('exactly-once stream-table join with grace: SIGKILLed twice, every input joined once as of its timestamp', async (t) => {
  const tableTopic = uniqueName('grace-join-crash-table');
  const options = { prefix: 'grace-join-crash', partitions: PARTITIONS, recordsAre: 'join results', decode: (record: { value: Buffer | null }) => record.value!.toString() };
  await CrashTestBed.run(options, async (bed, outputLog) => {
    const admin = bed.client.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: tableTopic, numPartitions: PARTITIONS }], waitForLeaders: true });
      const baseMs = Date.now() - 30 * 60_000;
      const producer = bed.client.producer();
      await producer.connect();
      const switchMs = baseMs + TABLE_SWITCH_SEQ * STEP_MS;
      const versions = (value: string, timestamp: number): Message[] =>
        Array.from({ length: KEYS }, (_, i) => ({ key: `k${i}`, value, timestamp: String(timestamp) }));
      // Both versions exist before any input: the later one must not be seen by inputs stamped before it.
      await producer.send({ topic: tableTopic, messages: [...versions('v1', baseMs - 1_000), ...versions('v2', switchMs)] });
      await producer.disconnect();

      const config: GraceJoinCrashAppConfig = { ...bed.appConfig('exactly_once', 100), tableTopic, graceMs: GRACE_MS, historyRetentionMs: 24 * 60 * 60_000 };
      const expected = expectedJoins(baseMs);
      const first = await CrashAppProcess.start(config, APP_PATH);
      const feed = bed.startFeed(INPUT, (seq) => inputMessage(bed.input, seq, baseMs));

      await outputLog.awaitSize(OUTPUTS_BEFORE_KILL);
      await first.app.kill();
      t.diagnostic(`first kill: ${feed.produced} inputs produced, ${outputLog.size} results read`);

      const second = await CrashAppProcess.start(config, APP_PATH);
      t.diagnostic(`restart on intact state: restored ${second.running.restoredRecords} records`);
      feed.allowUpTo(SECOND_HOLD);
      await outputLog.awaitSize(outputLog.size + OUTPUTS_BEFORE_KILL);
      await second.app.kill();
      t.diagnostic(`second kill: ${feed.produced} inputs produced, ${outputLog.size} results read`);
      removeDir(bed.stateDir);

      const third = await CrashAppProcess.start(config, APP_PATH);
      t.diagnostic(`restart without state: restored ${third.running.restoredRecords} records`);
      assert.ok(third.running.restoredRecords > 0, 'the buffer and the versioned table come back from their changelogs');
      feed.allowUpTo(INPUT.total);

      await feed.done;
      const flushMs = String(baseMs + INPUT.total * STEP_MS + 60_000);
      await sendToEveryPartition(bed.client, bed.input, bed.partitions, () => ({ key: FLUSH_KEY, value: Serdes.Integer().serialize(bed.input, -1), timestamp: flushMs }));
      await outputLog.awaitSize(expected.size);
      await third.app.stop();
      await outputLog.readToEnd();

      const counts = new Map<string, number>();
      for (const value of outputLog.values()) counts.set(value, (counts.get(value) ?? 0) + 1);
      const missing = [...expected.values()].filter((value) => !counts.has(value));
      const duplicated = [...counts].filter(([, count]) => count > 1).map(([value]) => value);
      const unexpected = [...counts.keys()].filter((value) => ![...expected.values()].includes(value));
      assert.deepEqual({ missing: missing.slice(0, 5), duplicated: duplicated.slice(0, 5), unexpected: unexpected.slice(0, 5) }, { missing: [], duplicated: [], unexpected: [] });
      assert.equal(outputLog.size, expected.size);
    } finally {
      await admin.disconnect();
      await deleteTopics(bed.client, { names: [tableTopic] });
    }
  });
});
