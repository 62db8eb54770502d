import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, test, type TestContext } from 'node:test';
import type { Admin, Message } from 'kafkajs';
import { Serdes, WindowedSerdes } from '../../../src/index.js';
import { abortedTransactionIndex, interleavedAborts } from '../../../scripts/committed-reader/aborted-transaction-index.js';
import { FollowingReader, type ReadRecord } from '../../../scripts/committed-reader/committed-reader.js';
import { brokers, eventually } from '../support/broker.js';
import { CrashAppProcess, killAllCrashApps } from '../support/crash-app-process.js';
import { CrashTestBed, type CommittedOutputLog, type PacedInputFeed } from '../support/crash-test-bed.js';
import { pageOf, type RepartitionCrashAppConfig } from '../support/repartition-crash-shape.js';
import { adapterClient, testClientKind } from '../support/test-client.js';
import { removeDir, tempStateDir } from './streams-support.js';

/**
 * Exactly-once through a repartition topic, with Kafka Streams' hardest crash for it: two instances of a per-page
 * counter (`support/repartition-crash-app.ts`: input keyed by user, `groupBy(page)`, count) work through a flowing
 * input, and the instance holding more of the upstream tasks — the ones whose transactional producers write into every
 * repartition partition — is SIGKILLed mid-transaction (under exactly_once_v2 both instances, see
 * `oneProducerPerInstance`). Its open transactions interleave in the repartition
 * partitions and are aborted together when the survivor takes its tasks over. A long commit interval keeps
 * transactions open while records are sent early. The input stops only after the kill, whatever the speed of the
 * machine, and its size is what was produced by then. The output is read by Kafka's own Java consumer, and the
 * broker's aborted-transaction index shows that interleaved aborted transactions really were there to skip.
 */

const APP_PATH = fileURLToPath(new URL('../support/repartition-crash-app.ts', import.meta.url));
const PARTITIONS = 4;
const PAGES = 40;
const USERS = 101;
/** The input flows at up to 10,000 records/s until the kill; its event times span at most this many steps. */
const INPUT = { total: 400_000, batch: 500, intervalMs: 50 };
/** Long transactions: every task sends its buffered output early (every 1,000 records) inside them. */
const COMMIT_INTERVAL_MS = 3_000;
/** Input consumed and committed by the group before the kill: both instances are past their first commits. */
const CONSUMED_BEFORE_KILL = 5_000;
/** Records of open transactions each of the victim's upstream tasks has in the repartition topic at the kill. */
const IN_FLIGHT_PER_TASK = 300;
const WINDOW_SIZE_MS = 60_000;
const STEP_MS = 20;
/**
 * Grace covering the whole input's event time: upstream tasks run at different speeds (and a killed one stops for
 * seconds), so records reach a repartition partition far out of event-time order. Without this grace, which of
 * them are late would depend on timing, and final counts could not be exact.
 */
const GRACE_MS = INPUT.total * STEP_MS;
/** Kill rounds before the test gives up on seeing interleaved aborted transactions. */
const MAX_KILL_ROUNDS = 3;
/** How long a round waits for the killed producers' transactions to show up aborted in the broker's index. */
const ABORTED_WITHIN_MS = 30_000;
/** Flush records (one page each) stamped beyond every window's close: enough keys to reach every partition. */
const FLUSH_RECORDS = 64;

after(killAllCrashApps);

/** Input `seq` goes to partition `seq % PARTITIONS`, so a repartition record tells which upstream task wrote it. */
function inputMessage(topic: string, seq: number, baseMs: number): Message {
  return { key: `user${seq % USERS}`, value: Serdes.Integer().serialize(topic, seq), timestamp: String(baseMs + seq * STEP_MS), partition: seq % PARTITIONS };
}

async function produce(bed: CrashTestBed, messages: Message[]): Promise<void> {
  const producer = bed.client.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({ topic: bed.input, messages });
  } finally {
    await producer.disconnect();
  }
}

async function consumedInput(admin: Admin, bed: CrashTestBed): Promise<number> {
  const [committed] = await admin.fetchOffsets({ groupId: bed.applicationId, topics: [bed.input] });
  return (committed?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

/**
 * Waits until each of the victim's upstream tasks (`0_<partition>`) has records in an open transaction of the
 * repartition topic, then kills it. A task's transaction begins at its commit, which moves its committed input
 * offset; every repartition record a read_uncommitted reader sees from that task after the move (its input partition
 * is `seq % PARTITIONS`, counted in `sinceMove`) is in the new, open transaction until the next commit,
 * COMMIT_INTERVAL_MS later. So: watch the victim's committed offsets, count each task's records since they last
 * moved, and kill once every task has IN_FLIGHT_PER_TASK of them, well inside the interval. (A kill timed by the
 * clock, or just after a commit, would find them empty; read_committed cannot tell open records from committed ones
 * stuck behind another open one.) Resolves with the number of those records.
 */
async function killWhileTransactionsAreOpen(admin: Admin, bed: CrashTestBed, victimTasks: readonly string[], sinceMove: number[], readerFailed: Promise<never>, kill: () => Promise<void>): Promise<number> {
  const partitions = victimTasks.map((id) => Number(id.split('_')[1]));
  // Per partition: each instance commits on its own schedule (under exactly_once_v2 all its tasks at once).
  const committed = new Map<number, string>();
  const movedAtMs = new Map<number, number>();
  const open = eventually(`${IN_FLIGHT_PER_TASK} records of open transactions from each of ${victimTasks.join(', ')}`, async () => {
    const [offsets] = await admin.fetchOffsets({ groupId: bed.applicationId, topics: [bed.input] });
    const now = Date.now();
    for (const { partition, offset } of offsets?.partitions ?? []) {
      if (!partitions.includes(partition) || committed.get(partition) === offset) continue;
      committed.set(partition, offset);
      movedAtMs.set(partition, now);
      sinceMove[partition] = 0;
    }
    return partitions.every((partition) => movedAtMs.has(partition) && now - movedAtMs.get(partition)! < COMMIT_INTERVAL_MS / 2 && sinceMove[partition]! >= IN_FLIGHT_PER_TASK);
  }, 60_000);
  await Promise.race([open, readerFailed]);
  const inFlight = partitions.reduce((sum, partition) => sum + sinceMove[partition]!, 0);
  await kill();
  return inFlight;
}

/**
 * Under exactly_once_v2 (a client with KIP-447) an instance writes through one producer for all its tasks, so killing
 * one instance leaves aborted transactions of one producer only: both instances are killed at once instead, each with
 * its transaction open, and their aborted transactions interleave in the repartition partitions as per-task ones do.
 */
const oneProducerPerInstance = adapterClient(testClientKind(), { bootstrapServers: brokers(), clientId: 'repartition-crash' }).groupFencedTransactions;

const upstreamTasks = (app: CrashAppProcess) => app.lastRunning?.tasks.filter((id) => id.startsWith('0_')) ?? [];

interface Run {
  readonly bed: CrashTestBed;
  readonly admin: Admin;
  readonly baseMs: number;
  /** How many inputs were produced (seq 0..total-1). */
  readonly total: number;
}

/**
 * Runs two instances over a flowing input and, once the group committed some of it, SIGKILLs the one with more
 * upstream tasks mid-transaction and restarts it on its state directory, until the broker's aborted-transaction
 * index shows aborted transactions of several producers interleaved in the repartition topic (a kill can still find
 * the transactions empty: the round is then repeated, up to MAX_KILL_ROUNDS). It then stops the input, lets `finish`
 * wait for the results and stops both.
 */
async function crashTheWriters<T>(t: TestContext, shape: RepartitionCrashAppConfig['shape'], decode: (record: ReadRecord) => T, finish: (run: Run, outputLog: CommittedOutputLog<T>) => Promise<void>): Promise<{ outputLog: CommittedOutputLog<T>; total: number }> {
  let log: CommittedOutputLog<T> | undefined;
  let total = 0;
  await CrashTestBed.run({ prefix: `repartition-${shape}`, partitions: PARTITIONS, recordsAre: 'results', decode }, async (bed, outputLog) => {
    log = outputLog;
    const admin = bed.client.admin();
    await admin.connect();
    const secondStateDir = tempStateDir();
    try {
      const baseMs = Math.floor((Date.now() - 24 * 3_600_000) / WINDOW_SIZE_MS) * WINDOW_SIZE_MS;
      const base = { ...bed.appConfig('exactly_once', COMMIT_INTERVAL_MS), shape, pages: PAGES, windowSizeMs: WINDOW_SIZE_MS, graceMs: GRACE_MS };
      const configs = [base, { ...base, stateDir: secondStateDir }];
      // Both start at once, so that neither works through the input alone before the other joins.
      const apps = (await Promise.all(configs.map((config) => CrashAppProcess.start(config, APP_PATH)))).map(({ app }) => app);
      // Until both report the assignment they share, the first one's last report may still list every task.
      const shared = () => apps.every((app) => upstreamTasks(app).length > 0) && apps.reduce((n, app) => n + upstreamTasks(app).length, 0) === PARTITIONS;
      await eventually('both instances running with their share of the tasks', shared, 60_000);
      const repartition = (await admin.listTopics()).find((name) => name.startsWith(bed.applicationId) && name.endsWith('-repartition'))!;
      // The reader follows the topic from its start: the input begins once it runs, so it never reads a backlog of
      // old records that would count as new.
      const sinceMove = Array.from({ length: PARTITIONS }, () => 0);
      const reader = new FollowingReader(brokers().join(','), [repartition], (record) => sinceMove[Serdes.Integer().deserialize(repartition, record.value)! % PARTITIONS]!++, 'read_uncommitted');
      // The input flows only while a round waits for its moment to kill: it stops at each kill, whatever the speed of
      // the machine, and a new round resumes it where it stopped.
      let feed: PacedInputFeed | undefined;
      const resumeInput = () => {
        const first = total;
        feed = bed.startFeed({ ...INPUT, total: INPUT.total - first }, (seq) => inputMessage(bed.input, first + seq, baseMs));
      };
      const stopInput = async () => {
        total += (await feed?.stop()) ?? 0;
        feed = undefined;
      };
      try {
        resumeInput();
        await eventually(`${CONSUMED_BEFORE_KILL} inputs committed`, async () => (await consumedInput(admin, bed)) >= CONSUMED_BEFORE_KILL, 60_000);
        for (let round = 1; ; round++) {
          const victims = oneProducerPerInstance ? [0, 1] : [upstreamTasks(apps[1]!).length > upstreamTasks(apps[0]!).length ? 1 : 0];
          const killedTasks = victims.flatMap((victim) => upstreamTasks(apps[victim]!));
          assert.ok(killedTasks.length >= 2, 'the killed instances wrote the repartition topic from several producers');
          const inFlight = await killWhileTransactionsAreOpen(admin, bed, killedTasks, sinceMove, reader.failed, () => Promise.all(victims.map((victim) => apps[victim]!.kill())).then(() => undefined));
          await stopInput();
          t.diagnostic(`round ${round}: killed ${victims.length} instance(s) with upstream tasks ${killedTasks.join(', ')} with ${inFlight} of their repartition records in open transactions; ${total} inputs so far`);
          for (const victim of victims) apps[victim] = (await CrashAppProcess.start(configs[victim]!, APP_PATH)).app;
          const aborts = await interleavedAbortsOnceAborted(repartition);
          if (aborts === null) {
            t.diagnostic('not the project broker: its aborted-transaction index cannot be read, interleaving not checked');
            break;
          }
          t.diagnostic(`round ${round}: ${repartition} holds ${aborts.aborted} aborted transactions, ${aborts.interleaved} overlapping pairs of different producers`);
          if (aborts.interleaved > 0) break;
          assert.ok(round < MAX_KILL_ROUNDS, `aborted transactions of several producers interleaved in a repartition partition after one of ${MAX_KILL_ROUNDS} kills`);
          await eventually('both instances running with their share of the tasks again', shared, 60_000);
          resumeInput();
        }
      } finally {
        await stopInput();
        await reader.close();
      }
      t.diagnostic(`${total} inputs in all`);

      await finish({ bed, admin, baseMs, total }, outputLog);
      for (const app of apps) await app.stop();
      await outputLog.readToEnd();
    } finally {
      await admin.disconnect();
      removeDir(secondStateDir);
    }
  });
  return { outputLog: log!, total };
}

/**
 * The aborted transactions in the topic's index and their overlapping pairs of different producers, waiting (up to ABORTED_WITHIN_MS) for the
 * killed producers' transactions to be aborted, which happens when their tasks' producers are initialised again;
 * `null` when the index cannot be read (not the project's broker).
 */
async function interleavedAbortsOnceAborted(topic: string): Promise<{ aborted: number; interleaved: number } | null> {
  const deadline = Date.now() + ABORTED_WITHIN_MS;
  for (;;) {
    const index = await abortedTransactionIndex(brokers().join(','), topic);
    if (index === null) return null;
    const interleaved = interleavedAborts(index);
    if (interleaved > 0 || Date.now() > deadline) return { aborted: index.length, interleaved };
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

function expectedPageCounts(total: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let seq = 0; seq < total; seq++) counts.set(pageOf(seq, PAGES), (counts.get(pageOf(seq, PAGES)) ?? 0) + 1);
  return counts;
}

test('exactly-once count behind a repartition topic: the writer side SIGKILLed mid-transaction, every page counts 1..n once', async (t) => {
  const decode = (record: ReadRecord) => ({ page: record.key!.toString(), count: Number(Serdes.Long().deserialize('', record.value)) });
  const highest = (outputLog: CommittedOutputLog<{ page: string; count: number }>) => {
    const max = new Map<string, number>();
    for (const { page, count } of outputLog.values()) max.set(page, Math.max(max.get(page) ?? 0, count));
    return max;
  };
  const { outputLog, total } = await crashTheWriters(t, 'count', decode, async (run, log) => {
    const expected = expectedPageCounts(run.total);
    await eventually('every page counted to its number of inputs', () => [...expected].every(([page, n]) => (highest(log).get(page) ?? 0) >= n), 120_000);
  });
  const expected = expectedPageCounts(total);
  const updates = new Map<string, number[]>();
  for (const { page, count } of outputLog.values()) updates.set(page, [...(updates.get(page) ?? []), count]);
  const wrong = [...expected].flatMap(([page, n]) => {
    const got = [...(updates.get(page) ?? [])].sort((a, b) => a - b);
    const exact = got.length === n && got.every((count, i) => count === i + 1);
    return exact ? [] : [`${page}: ${got.length} updates for ${n} inputs, highest ${got[got.length - 1]}`];
  });
  assert.deepEqual(wrong.slice(0, 5), []);
  assert.equal(outputLog.size, total);
});

test('exactly-once windowed count with suppress behind a repartition topic: the writer side SIGKILLed, exact final counts', async (t) => {
  const windowedSerde = WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), WINDOW_SIZE_MS);
  const decode = (record: ReadRecord) => {
    const windowed = windowedSerde.deserialize('', record.key)!;
    return { id: `${windowed.key}@${windowed.window.start}`, count: Number(Serdes.Long().deserialize('', record.value)) };
  };
  const expected = new Map<string, number>();
  const { outputLog } = await crashTheWriters(t, 'windowed', decode, async ({ bed, admin, baseMs, total }, log) => {
    for (let seq = 0; seq < total; seq++) {
      const timestamp = baseMs + seq * STEP_MS;
      const id = `${pageOf(seq, PAGES)}@${timestamp - (timestamp % WINDOW_SIZE_MS)}`;
      expected.set(id, (expected.get(id) ?? 0) + 1);
    }
    // Flush only once every input went through the upstream tasks: a flush record reaching a repartition partition
    // first would make the inputs behind it late.
    await eventually('every input committed by the upstream tasks', async () => (await consumedInput(admin, bed)) === total, 120_000);
    const flushAt = baseMs + INPUT.total * STEP_MS + GRACE_MS + WINDOW_SIZE_MS;
    await produce(bed, Array.from({ length: FLUSH_RECORDS }, (_, i) => ({ key: `flush-${i}`, value: Serdes.Integer().serialize(bed.input, -(i + 1)), timestamp: String(flushAt) })));
    await log.awaitSize(expected.size, 120_000);
  });
  const counts = new Map<string, number[]>();
  for (const { id, count } of outputLog.values()) counts.set(id, [...(counts.get(id) ?? []), count]);
  const wrong = [...expected].filter(([id, n]) => counts.get(id)?.length !== 1 || counts.get(id)![0] !== n).map(([id, n]) => `${id}: expected [${n}], got [${counts.get(id)?.join(', ') ?? ''}]`);
  const unexpected = [...counts.keys()].filter((id) => !expected.has(id));
  assert.deepEqual(wrong.slice(0, 5), []);
  assert.deepEqual(unexpected.slice(0, 5), []);
});
