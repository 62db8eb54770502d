import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import type { Message } from 'kafkajs';
import { Serdes } from '../../../src/index.js';
import { eventually } from '../support/broker.js';
import { CrashAppProcess, killAllCrashApps } from '../support/crash-app-process.js';
import { CrashTestBed, sendToEveryPartition, type CommittedOutputLog } from '../support/crash-test-bed.js';
import type { OrderPaymentAppConfig } from '../support/order-payment-app.js';
import { deleteTopics, removeDir, tempStateDir } from './streams-support.js';

/**
 * Exactly-once stream-stream left join across two instances (`support/order-payment-app.ts`: orders ⟕ payments
 * within a window): while orders and payments flow, one instance is SIGKILLed and replaced by one with an empty
 * state directory, which restores the join's window stores and its outer-join store from their changelogs. Every
 * order must then yield exactly one committed result — joined with its payment, or "unpaid" once its window closed —
 * read by Kafka's own Java consumer.
 */

const APP_PATH = fileURLToPath(new URL('../support/order-payment-app.ts', import.meta.url));
const PARTITIONS = 4;
/** 60 orders (and their payments) every 100 ms: the input flows for about 10 s, past the kill. */
const INPUT = { total: 6_000, batch: 60, intervalMs: 100 };
/** Every fifth order is never paid. */
const UNPAID_EVERY = 5;
const STEP_MS = 20;
const PAYMENT_DELAY_MS = 1_000;
const WINDOW_MS = 5_000;
/**
 * Grace covering the whole input's event time: a task taking a backlog over may read one of its partitions far
 * ahead of the other, and a payment behind stream time by more than window + grace would be dropped as late.
 * Unpaid results are then all emitted at the end, when the flush records close every window.
 */
const GRACE_MS = INPUT.total * STEP_MS + 10_000;
const FLUSH_EVERY_MS = 1_500;
const FLUSH_TIMEOUT_MS = 120_000;
/** Joined results committed before the kill, so that it lands mid-stream with output already out. */
const OUTPUTS_BEFORE_KILL = 400;

after(killAllCrashApps);

const isPaid = (order: number) => order % UNPAID_EVERY !== 0;
const expectedResult = (order: number) => (isPaid(order) ? `paid:${order}:${order}` : `unpaid:${order}`);

/** Order `seq` and, unless unpaid, its payment a second later, both keyed by order id (so co-partitioned). */
function inputMessages(seq: number, baseMs: number): { order: Message; payment: Message | undefined } {
  const key = `order-${seq}`;
  const timestamp = baseMs + seq * STEP_MS;
  const order = { key, value: Serdes.Integer().serialize('', seq), timestamp: String(timestamp) };
  const payment = isPaid(seq) ? { key, value: Serdes.Integer().serialize('', seq), timestamp: String(timestamp + PAYMENT_DELAY_MS) } : undefined;
  return { order, payment };
}

/** Produces orders and payments together, paced, in order; resolves with the number of orders produced. */
async function feedOrdersAndPayments(bed: CrashTestBed, payments: string, baseMs: number): Promise<number> {
  const producer = bed.client.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let seq = 0; seq < INPUT.total; seq += INPUT.batch) {
      const batch = Array.from({ length: INPUT.batch }, (_, i) => inputMessages(seq + i, baseMs));
      await producer.sendBatch({
        topicMessages: [
          { topic: bed.input, messages: batch.map(({ order }) => order) },
          { topic: payments, messages: batch.flatMap(({ payment }) => (payment === undefined ? [] : [payment])) },
        ],
      });
      await new Promise((resolve) => setTimeout(resolve, INPUT.intervalMs));
    }
    return INPUT.total;
  } finally {
    await producer.disconnect();
  }
}

/**
 * Closes every window: one order per partition (stream time is per task) stamped beyond every window's close and its
 * grace, sent again every FLUSH_EVERY_MS until every result is out. The left join emits unpaid orders only while it
 * handles records, and at most once per `outerJoinEmitIntervalMs` of wall-clock time (Kafka's throttle, 1 s by
 * default): a flush record handled too soon after the last emission emits nothing, as in Kafka Streams, and needs
 * another record after it. (The flush orders themselves stay unmatched in windows that never close.)
 */
async function flushUnpaid(bed: CrashTestBed, outputLog: CommittedOutputLog<unknown>, baseMs: number, total: number): Promise<void> {
  const flushAt = String(baseMs + total * STEP_MS + PAYMENT_DELAY_MS + WINDOW_MS + GRACE_MS + 1);
  const deadline = Date.now() + FLUSH_TIMEOUT_MS;
  while (outputLog.size < total) {
    assert.ok(Date.now() < deadline, `${total} join results on the output topic within ${FLUSH_TIMEOUT_MS} ms of the flush (have ${outputLog.size})`);
    await sendToEveryPartition(bed.client, bed.input, PARTITIONS, (partition) => ({ key: `flush-${partition}`, value: Serdes.Integer().serialize('', -1), timestamp: flushAt }));
    await new Promise((resolve) => setTimeout(resolve, FLUSH_EVERY_MS));
  }
}

test('exactly-once stream-stream left join across two instances, one SIGKILLed and replaced: one result per order', async (t) => {
  const decode = (record: { key: Buffer | null; value: Buffer | null }) => ({ order: record.key!.toString(), result: record.value!.toString() });
  await CrashTestBed.run({ prefix: 'stream-join-crash', partitions: PARTITIONS, recordsAre: 'join results', decode }, async (bed, outputLog) => {
    const payments = `${bed.input}-payments`;
    const admin = bed.client.admin();
    await admin.connect();
    const stateDirs = [tempStateDir(), tempStateDir()];
    try {
      await admin.createTopics({ topics: [{ topic: payments, numPartitions: PARTITIONS }], waitForLeaders: true });
      const baseMs = Date.now() - 3_600_000;
      const config = (stateDir: string): OrderPaymentAppConfig => ({ ...bed.appConfig('exactly_once', 200), stateDir, payments, windowMs: WINDOW_MS, graceMs: GRACE_MS });
      const apps = (await Promise.all(stateDirs.map((dir) => CrashAppProcess.start(config(dir), APP_PATH)))).map(({ app }) => app);
      await eventually('both instances hold tasks', () => apps.every((app) => (app.lastRunning?.tasks.length ?? 0) > 0), 60_000);
      const feed = feedOrdersAndPayments(bed, payments, baseMs);
      feed.catch(() => undefined);

      await outputLog.awaitSize(OUTPUTS_BEFORE_KILL, 60_000);
      const killedTasks = apps[1]!.lastRunning?.tasks ?? [];
      await apps[1]!.kill();
      removeDir(stateDirs[1]!);
      t.diagnostic(`killed the instance holding ${killedTasks.join(', ')} after ${outputLog.size} results; replacing it with an empty state directory`);
      const replacement = await CrashAppProcess.start(config(stateDirs[1]!), APP_PATH);
      apps[1] = replacement.app;

      const total = await feed;
      await flushUnpaid(bed, outputLog, baseMs, total);
      for (const app of apps) await app.stop();
      await outputLog.readToEnd();

      const results = new Map<string, string[]>();
      for (const { order, result } of outputLog.values()) results.set(order, [...(results.get(order) ?? []), result]);
      const wrong = Array.from({ length: total }, (_, seq) => seq).flatMap((seq) => {
        const got = results.get(`order-${seq}`) ?? [];
        return got.length === 1 && got[0] === expectedResult(seq) ? [] : [`order-${seq}: expected [${expectedResult(seq)}], got [${got.join(', ')}]`];
      });
      const unexpected = [...results.keys()].filter((order) => !/^order-\d+$/.test(order) || Number(order.slice(6)) >= total);
      assert.deepEqual(wrong.slice(0, 5), []);
      assert.deepEqual(unexpected.slice(0, 5), []);
      assert.equal(outputLog.size, total);
    } finally {
      await admin.disconnect();
      await deleteTopics(bed.client, { names: [payments] });
      for (const dir of stateDirs) removeDir(dir);
    }
  });
});
