import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import type { Consumer, Kafka } from 'kafkajs';
import { Serdes, WindowedSerdes } from '../../../src/index.js';
import { eventually, FAST_CONSUMER, kafka, uniqueName } from '../support/broker.js';
import type { CrashAppEvent } from '../support/crash-app.js';
import { CrashAppProcess, killAllCrashApps } from '../support/crash-app-process.js';
import type { WindowedCrashAppConfig } from '../support/windowed-crash-app.js';
import { deleteTopics, removeDir, tempStateDir } from './streams-support.js';

/**
 * Crash test of a windowed count with suppressed final results (`support/windowed-crash-app.ts`), exactly-once: the
 * app is SIGKILLed twice while input flows, restarted once on its intact state directory and once on a deleted one
 * (everything, suppression buffer included, restored from changelogs). Whatever the crashes, the output must hold
 * exactly one record per key and window that had input, equal to the number of inputs of that key in that window.
 */

const APP_PATH = fileURLToPath(new URL('../support/windowed-crash-app.ts', import.meta.url));
const PARTITIONS = 3;
const KEYS = 12;
const TOTAL = 3_600;
const BATCH = 40;
/** 40 records every 200 ms: the input flows for about 18 s, across both kills and the first restart. */
const BATCH_INTERVAL_MS = 200;
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
const END_MARKER = '__end__';

after(killAllCrashApps);

interface Input {
  readonly key: string;
  readonly timestamp: number;
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

/** Produces the inputs paced, in order (one in-flight request), each with its event timestamp. */
class InputFeed {
  produced = 0;
  readonly done: Promise<void>;

  constructor(client: Kafka, topic: string, baseMs: number) {
    this.done = this.run(client, topic, baseMs);
    this.done.catch(() => undefined);
  }

  private async run(client: Kafka, topic: string, baseMs: number): Promise<void> {
    const producer = client.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      while (this.produced < TOTAL) {
        const inputs = Array.from({ length: BATCH }, (_, i) => ({ seq: this.produced + i, ...input(this.produced + i, baseMs) }));
        await producer.send({
          topic,
          messages: inputs.map(({ seq, key, timestamp }) => ({ key, value: Serdes.Integer().serialize(topic, seq), timestamp: String(timestamp) })),
        });
        this.produced += BATCH;
        await new Promise((resolve) => setTimeout(resolve, BATCH_INTERVAL_MS));
      }
    } finally {
      await producer.disconnect();
    }
  }
}

/**
 * One record per input partition, stamped far beyond every input's window end plus grace: stream time is per task
 * (one per partition), so each partition needs its own to close its last windows. The flush key's own window never
 * closes, so it must not appear in the output.
 */
async function sendFlushRecords(client: Kafka, topic: string, baseMs: number): Promise<void> {
  const timestamp = String(baseMs + TOTAL * STEP_MS + 60_000);
  const producer = client.producer();
  await producer.connect();
  try {
    await producer.send({
      topic,
      messages: Array.from({ length: PARTITIONS }, (_, partition) => ({ key: FLUSH_KEY, value: Serdes.Integer().serialize(topic, -1), partition, timestamp })),
    });
  } finally {
    await producer.disconnect();
  }
}

/** Reads the output topic read_committed from the start, keeping each record once (by partition and offset). */
class OutputLog {
  private readonly records = new Map<string, { windowId: string; count: number } | typeof END_MARKER>();
  private readonly consumer: Consumer;

  private constructor(client: Kafka) {
    this.consumer = client.consumer({ ...FAST_CONSUMER, groupId: uniqueName('windowed-crash-reader'), readUncommitted: false });
  }

  static async start(client: Kafka, topic: string): Promise<OutputLog> {
    const log = new OutputLog(client);
    const keySerde = WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), WINDOW_SIZE_MS);
    await log.consumer.connect();
    await log.consumer.subscribe({ topics: [topic], fromBeginning: true });
    await log.consumer.run({
      eachMessage: async ({ partition, message }) => {
        const at = `${partition}:${message.offset}`;
        if (message.key?.toString() === END_MARKER) {
          log.records.set(at, END_MARKER);
          return;
        }
        const windowed = keySerde.deserialize(topic, message.key)!;
        const count = Serdes.Long().deserialize(topic, message.value)!;
        log.records.set(at, { windowId: windowId(windowed.key, windowed.window.start), count });
      },
    });
    return log;
  }

  /** Final results read so far. */
  get size(): number {
    return [...this.records.values()].filter((r) => r !== END_MARKER).length;
  }

  async awaitSize(atLeast: number, timeoutMs = 45_000): Promise<void> {
    await eventually(`${atLeast} final results on the output topic (have ${this.size})`, () => this.size >= atLeast, timeoutMs);
  }

  /**
   * Writes an end marker to every partition and waits for all of them: read_committed delivers a partition in
   * offset order, so once its marker is read, every record committed before it has been read too.
   */
  async readToEnd(client: Kafka, topic: string): Promise<void> {
    const producer = client.producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: PARTITIONS }, (_, partition) => ({ key: END_MARKER, value: '', partition })) });
    await producer.disconnect();
    await eventually('the end marker of every output partition', () => [...this.records.values()].filter((r) => r === END_MARKER).length === PARTITIONS);
  }

  /** Every count read for each key and window. */
  countsByWindow(): WindowCounts {
    const byWindow: WindowCounts = new Map();
    for (const record of this.records.values()) {
      if (record !== END_MARKER) byWindow.set(record.windowId, [...(byWindow.get(record.windowId) ?? []), record.count]);
    }
    return byWindow;
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}

/** Exactly one result per key and window that had input, equal to its number of inputs, and nothing else. */
function finalResultViolations(expected: ReadonlyMap<string, number>, actual: WindowCounts): string[] {
  const wrong = [...expected]
    .filter(([id, count]) => actual.get(id)?.length !== 1 || actual.get(id)![0] !== count)
    .map(([id, count]) => `${id}: expected [${count}], got [${actual.get(id)?.join(', ') ?? ''}]`);
  const unexpected = [...actual].filter(([id]) => !expected.has(id)).map(([id, counts]) => `${id}: no input, got [${counts.join(', ')}]`);
  return [...wrong, ...unexpected];
}

/** Starts the app and waits until it runs; returns the process and its first `running` event. */
async function startApp(config: WindowedCrashAppConfig): Promise<{ app: CrashAppProcess; running: CrashAppEvent }> {
  const app = new CrashAppProcess(config, APP_PATH);
  return { app, running: await app.next('running') };
}

test('exactly-once windowed count with suppress(untilWindowCloses): SIGKILLed twice, one exact final result per key and window', async (t) => {
  const client = kafka();
  const input = uniqueName('windowed-crash-input');
  const output = uniqueName('windowed-crash-output');
  const applicationId = uniqueName('windowed-crash-app');
  const stateDir = tempStateDir();
  const baseMs = Math.floor((Date.now() - 30 * 60_000) / WINDOW_SIZE_MS) * WINDOW_SIZE_MS;
  const expected = expectedCounts(baseMs);
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [input, output].map((topic) => ({ topic, numPartitions: PARTITIONS })), waitForLeaders: true });
  const config: WindowedCrashAppConfig = {
    applicationId,
    input,
    output,
    stateDir,
    guarantee: 'exactly_once',
    commitIntervalMs: 100,
    windowSizeMs: WINDOW_SIZE_MS,
    graceMs: GRACE_MS,
  };
  const outputLog = await OutputLog.start(client, output);
  let feed: InputFeed | undefined;
  try {
    const first = await startApp(config);
    assert.equal(first.running.restoredRecords, 0, 'a fresh state directory and empty changelogs: nothing to restore');
    feed = new InputFeed(client, input, baseMs);

    await outputLog.awaitSize(OUTPUTS_BEFORE_KILL);
    assert.ok(feed.produced < TOTAL, 'the first kill lands while input still flows');
    await first.app.kill();
    t.diagnostic(`first kill: ${feed.produced} of ${TOTAL} inputs produced, ${outputLog.size} final results read`);

    const second = await startApp(config);
    t.diagnostic(`restart on intact state: restored ${second.running.restoredRecords} records; ${outputLog.size} final results so far`);
    await outputLog.awaitSize(outputLog.size + OUTPUTS_BEFORE_KILL);
    assert.ok(feed.produced < TOTAL, 'the second kill lands while input still flows');
    await second.app.kill();
    t.diagnostic(`second kill: ${feed.produced} of ${TOTAL} inputs produced, ${outputLog.size} final results read`);
    removeDir(stateDir);

    // Without a state directory the window store and the suppression buffer both come back from their changelogs.
    const third = await startApp(config);
    t.diagnostic(`restart without state: restored ${third.running.restoredRecords} records; ${outputLog.size} final results so far`);
    assert.ok(third.running.restoredRecords > 0, 'the changelogs of the window store and the suppression buffer are replayed');

    await feed.done;
    await sendFlushRecords(client, input, baseMs);
    await outputLog.awaitSize(expected.size).catch((error: Error) => {
      throw new Error(`${error.message}; first differences: ${finalResultViolations(expected, outputLog.countsByWindow()).slice(0, 5).join('; ')}`);
    });
    const closing = await third.app.stop();
    await outputLog.readToEnd(client, output);
    t.diagnostic(`${expected.size} windows with input; the last instance: ${JSON.stringify(closing)}`);
    assert.deepEqual(finalResultViolations(expected, outputLog.countsByWindow()).slice(0, 5), [], `last instance: ${JSON.stringify(closing)}`);
    assert.equal(outputLog.size, expected.size);
  } finally {
    await killAllCrashApps();
    await feed?.done.catch(() => undefined);
    await outputLog.stop();
    await admin.disconnect();
    await deleteTopics(client, { prefix: applicationId, names: [input, output] });
    removeDir(stateDir);
  }
});
