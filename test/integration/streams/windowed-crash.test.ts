import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import type { Message } from 'kafkajs';
import type { ReadRecord } from '../../../scripts/committed-reader/committed-reader.js';
import { Serdes, WindowedSerdes } from '../../../src/index.js';
import { CrashAppProcess, killAllCrashApps } from '../support/crash-app-process.js';
import { CrashTestBed, sendToEveryPartition } from '../support/crash-test-bed.js';
import type { WindowedCrashAppConfig } from '../support/windowed-crash-app.js';
import { removeDir } from './streams-support.js';

/**
 * Crash test of a windowed count with suppressed final results (`support/windowed-crash-app.ts`), exactly-once: the
 * app is SIGKILLed twice while input flows, restarted once on its intact state directory and once on a deleted one
 * (everything, suppression buffer included, restored from changelogs). Whatever the crashes, the output must hold
 * exactly one record per key and window that had input, equal to the number of inputs of that key in that window.
 */

const APP_PATH = fileURLToPath(new URL('../support/windowed-crash-app.ts', import.meta.url));
const PARTITIONS = 3;
const KEYS = 12;
/** 40 records every 200 ms: the input flows for about 18 s, across both kills and the first restart. */
const INPUT = { total: 3_600, batch: 40, intervalMs: 200, upTo: 1_200 };
const TOTAL = INPUT.total;
/**
 * Input held back until the first restart (then until the second): each kill waits for OUTPUTS_BEFORE_KILL more
 * final results, which the inputs let go so far always hold, so every kill lands before the input ends, however
 * slow the machine.
 */
const SECOND_HOLD = 2_400;
const WINDOW_SIZE_MS = 1_000;
const GRACE_MS = 500;
/** Event time between consecutive inputs: about 50 inputs, spread over the keys, per window. */
const STEP_MS = 20;
/** Every 7th input is out of order, stamped 350 ms back: within grace of any stream time its partition has reached. */
const OUT_OF_ORDER_EVERY = 7;
const OUT_OF_ORDER_LAG_MS = 350;
/** Outputs to see before each kill, so that each one lands after final results were committed. */
const OUTPUTS_BEFORE_KILL = 60;
const FLUSH_KEY = '__flush__';

after(killAllCrashApps);

interface Input {
  readonly key: string;
  readonly timestamp: number;
}

/** An output record: the final count of one key and window. */
interface WindowCount {
  readonly windowId: string;
  readonly count: number;
}

/** The counts read from the output for each key and window, by `<key>@<window start>`. */
type WindowCounts = Map<string, number[]>;

/** A fixed integer hash (murmur3's finaliser), so that keys are spread unevenly but the same way on every run. */
function mix(seq: number): number {
  let h = seq + 1;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Input `seq`: timestamps advance by STEP_MS from `baseMs`, a few stamped back within grace. `baseMs` lies in the
 * past (the broker refuses timestamps too far in the future, and these must never be).
 */
function input(seq: number, baseMs: number): Input {
  const lag = seq % OUT_OF_ORDER_EVERY === OUT_OF_ORDER_EVERY - 1 ? OUT_OF_ORDER_LAG_MS : 0;
  return { key: `k${mix(seq) % KEYS}`, timestamp: baseMs + seq * STEP_MS - lag };
}

function windowId(key: string, windowStart: number): string {
  return `${key}@${windowStart}`;
}

/** The final count of every key and window that had input (tumbling windows are aligned to the epoch). */
function expectedCounts(baseMs: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let seq = 0; seq < TOTAL; seq++) {
    const { key, timestamp } = input(seq, baseMs);
    const id = windowId(key, timestamp - (timestamp % WINDOW_SIZE_MS));
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** Input `seq` as a record with its event timestamp. */
function inputMessage(topic: string, seq: number, baseMs: number): Message {
  const { key, timestamp } = input(seq, baseMs);
  return { key, value: Serdes.Integer().serialize(topic, seq), timestamp: String(timestamp) };
}

/**
 * One record per input partition, stamped far beyond every input's window end plus grace: stream time is per task
 * (one per partition), so each partition needs its own to close its last windows. The flush key's own window never
 * closes, so it must not appear in the output.
 */
async function sendFlushRecords(bed: CrashTestBed, baseMs: number): Promise<void> {
  const timestamp = String(baseMs + TOTAL * STEP_MS + 60_000);
  await sendToEveryPartition(bed.client, bed.input, bed.partitions, () => ({ key: FLUSH_KEY, value: Serdes.Integer().serialize(bed.input, -1), timestamp }));
}

const windowedKeySerde = WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), WINDOW_SIZE_MS);

function decodeWindowCount(message: ReadRecord, topic: string): WindowCount {
  const windowed = windowedKeySerde.deserialize(topic, message.key)!;
  return { windowId: windowId(windowed.key, windowed.window.start), count: Serdes.Long().deserialize(topic, message.value)! };
}

/** Every count read for each key and window. */
function countsByWindow(records: readonly WindowCount[]): WindowCounts {
  const byWindow: WindowCounts = new Map();
  for (const record of records) byWindow.set(record.windowId, [...(byWindow.get(record.windowId) ?? []), record.count]);
  return byWindow;
}

/** Exactly one result per key and window that had input, equal to its number of inputs, and nothing else. */
function finalResultViolations(expected: ReadonlyMap<string, number>, actual: WindowCounts): string[] {
  const wrong = [...expected]
    .filter(([id, count]) => actual.get(id)?.length !== 1 || actual.get(id)![0] !== count)
    .map(([id, count]) => `${id}: expected [${count}], got [${actual.get(id)?.join(', ') ?? ''}]`);
  const unexpected = [...actual].filter(([id]) => !expected.has(id)).map(([id, counts]) => `${id}: no input, got [${counts.join(', ')}]`);
  return [...wrong, ...unexpected];
}

test('exactly-once windowed count with suppress(untilWindowCloses): SIGKILLed twice, one exact final result per key and window', async (t) => {
  const options = { prefix: 'windowed-crash', partitions: PARTITIONS, recordsAre: 'final results', decode: decodeWindowCount };
  await CrashTestBed.run(options, async (bed, outputLog) => {
    const baseMs = Math.floor((Date.now() - 30 * 60_000) / WINDOW_SIZE_MS) * WINDOW_SIZE_MS;
    const expected = expectedCounts(baseMs);
    const config: WindowedCrashAppConfig = { ...bed.appConfig('exactly_once', 100), windowSizeMs: WINDOW_SIZE_MS, graceMs: GRACE_MS };
    const first = await CrashAppProcess.start(config, APP_PATH);
    assert.equal(first.running.restoredRecords, 0, 'a fresh state directory and empty changelogs: nothing to restore');
    const feed = bed.startFeed(INPUT, (seq) => inputMessage(bed.input, seq, baseMs));

    await outputLog.awaitSize(OUTPUTS_BEFORE_KILL);
    await first.app.kill();
    t.diagnostic(`first kill: ${feed.produced} of ${TOTAL} inputs produced, ${outputLog.size} final results read`);

    const second = await CrashAppProcess.start(config, APP_PATH);
    t.diagnostic(`restart on intact state: restored ${second.running.restoredRecords} records; ${outputLog.size} final results so far`);
    feed.allowUpTo(SECOND_HOLD);
    await outputLog.awaitSize(outputLog.size + OUTPUTS_BEFORE_KILL);
    await second.app.kill();
    t.diagnostic(`second kill: ${feed.produced} of ${TOTAL} inputs produced, ${outputLog.size} final results read`);
    removeDir(bed.stateDir);

    // Without a state directory the window store and the suppression buffer both come back from their changelogs.
    const third = await CrashAppProcess.start(config, APP_PATH);
    t.diagnostic(`restart without state: restored ${third.running.restoredRecords} records; ${outputLog.size} final results so far`);
    assert.ok(third.running.restoredRecords > 0, 'the changelogs of the window store and the suppression buffer are replayed');
    feed.allowUpTo(TOTAL);

    await feed.done;
    await sendFlushRecords(bed, baseMs);
    await outputLog.awaitSize(expected.size).catch((error: Error) => {
      throw new Error(`${error.message}; first differences: ${finalResultViolations(expected, countsByWindow(outputLog.values())).slice(0, 5).join('; ')}`);
    });
    const closing = await third.app.stop();
    await outputLog.readToEnd();
    t.diagnostic(`${expected.size} windows with input; the last instance: ${JSON.stringify(closing)}`);
    assert.deepEqual(finalResultViolations(expected, countsByWindow(outputLog.values())).slice(0, 5), [], `last instance: ${JSON.stringify(closing)}`);
    assert.equal(outputLog.size, expected.size);
  });
});
