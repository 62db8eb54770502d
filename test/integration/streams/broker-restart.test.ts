import assert from 'node:assert/strict';
import { after, before, test, type TestContext } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { readToEnd } from '../../../scripts/committed-reader/committed-reader.js';
import { KafkaStreams, Serdes, StreamsBuilder, type ProcessingGuarantee, type StreamsState, type Topology } from '../../../src/index.js';
import { eventually, uniqueName } from '../support/broker.js';
import { DedicatedBroker } from '../support/dedicated-broker.js';
import { testClientKind } from '../support/test-client.js';
import { removeDir, tempStateDir, testLogger } from './streams-support.js';

/**
 * Broker restarts under a running application. Two instances count records per key (`groupByKey().count()`, no
 * cache: one output update per input record) on a broker of this file's own, which is SIGKILLed while they work
 * through a backlog, kept down as long as a real restart takes and started again on its data. Both instances must
 * ride it out (never ERROR, RUNNING afterwards), and the committed output must hold every input: under exactly-once
 * exactly, key by key the counts 1..n for the key's n inputs, each once and in order (no commit lost, none counted
 * twice); under at-least-once, every key reaches at least its n.
 */

const PARTITIONS = 6;
const KEYS = 60;
/**
 * Input is produced in rounds: the broker is killed during each round but the last, once the instances have
 * processed `KILL_AFTER` of its records. A round is produced faster than two instances count it (at-least-once
 * counts several times faster than exactly-once, hence its larger rounds), so that the kill lands while they still
 * work through a backlog.
 */
const LAST_ROUND = 1_000;
const KILL_AFTER = 500;
/** Backlogs added to a round whose backlog the instances finished before the kill could land in it. */
const EXTRA_BACKLOGS = 3;
/** Records per request for a backlog produced while the instances run: large, so that it lands ahead of them. */
const FAST_BATCH = 10_000;

interface Run {
  readonly guarantee: ProcessingGuarantee;
  readonly kills: number;
  /** Records per round before a kill. */
  readonly round: number;
}
/** About how long the chaos runs saw the broker down. */
const DOWN_MS = 15_000;

function countTopology(input: string, output: string): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream(input, { keySerde: Serdes.String(), valueSerde: Serdes.Integer() })
    .groupByKey()
    .count({ storeName: 'counts', caching: false })
    .toStream()
    .to(output, { keySerde: Serdes.String(), valueSerde: Serdes.Long() });
  return builder.build();
}

const keyOf = (seq: number): string => `k${seq % KEYS}`;

/** Writes the input records `from`..`to`-1 (`key = k<seq % KEYS>`, value = seq), `batch` per request, with a producer of its own. */
async function produceInput(client: Kafka, topic: string, from: number, to: number, batch: number): Promise<void> {
  const producer = client.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let seq = from; seq < to; seq += batch) {
      const messages = Array.from({ length: Math.min(batch, to - seq) }, (_, i) => ({ key: keyOf(seq + i), value: Serdes.Integer().serialize(topic, seq + i) }));
      await producer.send({ topic, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

/** How many input records the group has committed (summed over partitions), and how many there are. */
async function inputProgress(client: Kafka, groupId: string, topic: string): Promise<{ committed: number; end: number }> {
  const admin = client.admin();
  try {
    await admin.connect();
    const [ends, [committed]] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
    const committedOf = (partition: number) => Math.max(0, Number(committed?.partitions.find((p) => p.partition === partition)?.offset ?? 0));
    return { committed: ends.reduce((sum, e) => sum + committedOf(e.partition), 0), end: ends.reduce((sum, e) => sum + Number(e.high), 0) };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Polls the group's progress (tolerating a broker that is not serving yet) until `done` holds. */
async function awaitProgress(client: Kafka, groupId: string, topic: string, what: string, done: (p: { committed: number; end: number }) => boolean): Promise<void> {
  await eventually(what, () => inputProgress(client, groupId, topic).then(done, () => false), 180_000);
}

/**
 * The output topic read read_committed from the beginning to its end by Kafka's own Java consumer (so that no bug of
 * the client kstreams runs on can hide in the check), once the run is over, record by record in each partition's order.
 */
async function readCommittedOutput(brokers: string, topic: string): Promise<Array<{ key: string; count: number }>> {
  const records = await readToEnd(brokers, [topic]);
  return records.map((r) => ({ key: r.key!.toString(), count: Number(Serdes.Long().deserialize(topic, r.value)) }));
}

/** Each key's count updates in the order written (a key lives in one partition), and how many inputs it had. */
function updatesByKey(updates: ReadonlyArray<{ key: string; count: number }>, inputs: number): Array<{ key: string; counts: number[]; expected: number }> {
  const byKey = new Map<string, number[]>();
  for (const { key, count } of updates) byKey.set(key, [...(byKey.get(key) ?? []), count]);
  return Array.from({ length: KEYS }, (_, k) => ({ key: `k${k}`, counts: byKey.get(`k${k}`) ?? [], expected: Math.floor(inputs / KEYS) + (k < inputs % KEYS ? 1 : 0) }));
}

/** Exactly-once: each key's count updates are 1..n for its n inputs, in order. Returns what differs (first few). */
function exactlyOnceViolations(updates: ReadonlyArray<{ key: string; count: number }>, inputs: number): string[] {
  return updatesByKey(updates, inputs).flatMap(({ key, counts, expected }) => {
    const wrongAt = counts.findIndex((count, i) => count !== i + 1);
    if (wrongAt < 0 && counts.length === expected) return [];
    return [`${key}: ${counts.length} updates for ${expected} inputs${wrongAt >= 0 ? `; update #${wrongAt + 1} is ${counts[wrongAt]}` : ''}`];
  }).slice(0, 5);
}

/**
 * At-least-once: no input is lost, so each key's last count is at least its number of inputs (more where inputs were
 * counted again after a failure) and no lower than any count before it. Returns what differs (first few).
 */
function atLeastOnceViolations(updates: ReadonlyArray<{ key: string; count: number }>, inputs: number): string[] {
  return updatesByKey(updates, inputs).flatMap(({ key, counts, expected }) => {
    const last = counts[counts.length - 1] ?? 0;
    if (last >= expected && last === Math.max(0, ...counts)) return [];
    return [`${key}: the last of ${counts.length} updates is ${last} (highest ${Math.max(0, ...counts)}) for ${expected} inputs`];
  }).slice(0, 5);
}

interface Instance {
  readonly streams: KafkaStreams;
  readonly stateDir: string;
  /** Every state the client moved to, in order. */
  readonly states: StreamsState[];
}

function startInstance(brokers: string, guarantee: ProcessingGuarantee, applicationId: string, input: string, output: string): Instance {
  const stateDir = tempStateDir();
  const streams = new KafkaStreams(countTopology(input, output), {
    applicationId,
    bootstrapServers: brokers,
    stateDir,
    processingGuarantee: guarantee,
    commitIntervalMs: 100,
    cacheMaxBytes: 0,
    logger: testLogger,
    client: testClientKind(),
  });
  const states: StreamsState[] = [];
  streams.setStateListener((next) => states.push(next));
  return { streams, stateDir, states };
}

async function survivesBrokerRestarts(t: TestContext, broker: DedicatedBroker, { guarantee, kills, round: roundSize }: Run): Promise<void> {
  const client = new Kafka({ clientId: uniqueName('broker-restart-test'), brokers: [broker.brokers], logLevel: logLevel.NOTHING });
  const input = uniqueName('restart-input');
  const output = uniqueName('restart-output');
  const applicationId = uniqueName('restart-app');
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [input, output].map((topic) => ({ topic, numPartitions: PARTITIONS })), waitForLeaders: true });
  await admin.disconnect();

  const instances = [1, 2].map(() => startInstance(broker.brokers, guarantee, applicationId, input, output));
  try {
    // The first round waits for the instances, so that they start on a backlog.
    await produceInput(client, input, 0, roundSize, 1_000);
    let produced = roundSize;
    await Promise.all(instances.map(({ streams }) => streams.start()));

    for (let round = 0; round < kills; round++) {
      let committedBefore = (await inputProgress(client, applicationId, input)).committed;
      if (round > 0) {
        await produceInput(client, input, produced, produced + roundSize, FAST_BATCH);
        produced += roundSize;
      }
      // The kill lands once the group committed KILL_AFTER records of the round while more are left. Idle instances
      // can finish a backlog between two looks: then another, twice as large, goes at once, until one is under way.
      // (The instances' processed counts are no trigger: they cover current tasks only, and a rebalance resets them.)
      let atKill = { committed: 0, end: 0 };
      for (let extra = 0, backlog = roundSize; ; extra++) {
        await eventually(`round ${round + 1} under way`, async () => {
          atKill = await inputProgress(client, applicationId, input);
          // All of it committed already (before the first look, even): no progress is left to wait for.
          return atKill.committed - committedBefore >= KILL_AFTER || atKill.committed >= atKill.end;
        }, 120_000);
        if (atKill.committed < atKill.end) break;
        assert.ok(extra < EXTRA_BACKLOGS, `the instances finished ${EXTRA_BACKLOGS + 1} growing backlogs before a broker kill could land in one`);
        backlog *= 2;
        t.diagnostic(`round ${round + 1}: the backlog was done before the kill; producing another ${backlog} records at once`);
        committedBefore = atKill.committed;
        await produceInput(client, input, produced, produced + backlog, FAST_BATCH);
        produced += backlog;
      }
      await broker.kill();
      const killedAtMs = Date.now();
      t.diagnostic(`kill ${round + 1}: broker SIGKILLed with ${atKill.committed} of ${atKill.end} input records committed`);
      await new Promise((resolve) => setTimeout(resolve, DOWN_MS));
      await broker.restart();
      t.diagnostic(`kill ${round + 1}: broker back on its data ${((Date.now() - killedAtMs) / 1000).toFixed(1)} s after the kill`);
    }
    const total = produced + LAST_ROUND;
    await produceInput(client, input, produced, total, 250);
    const lastRestartMs = Date.now();
    await awaitProgress(client, applicationId, input, 'every input record committed by the group', ({ committed, end }) => end === total && committed === total);
    t.diagnostic(`all input committed ${((Date.now() - lastRestartMs) / 1000).toFixed(1)} s after the last restart`);
    await eventually('both instances RUNNING after the restart', () => instances.every(({ streams }) => streams.state() === 'RUNNING'), 60_000);
    for (const { states } of instances) assert.ok(!states.includes('ERROR') && !states.includes('PENDING_ERROR'), `states: ${states.join(' → ')}`);
    t.diagnostic(`states: ${instances.map(({ states }) => states.join(' → ')).join(' | ')}`);
    await Promise.all(instances.map(({ streams }) => streams.close()));

    const updates = await readCommittedOutput(broker.brokers, output);
    if (guarantee === 'exactly_once') {
      assert.deepEqual(exactlyOnceViolations(updates, total), []);
      assert.equal(updates.length, total, 'one committed update per input record');
    } else {
      assert.deepEqual(atLeastOnceViolations(updates, total), []);
      t.diagnostic(`at-least-once: ${updates.length - total} inputs counted again`);
    }
  } finally {
    await Promise.all(instances.map(({ streams }) => streams.close({ timeoutMs: 30_000 }).catch(() => false)));
    for (const { stateDir } of instances) removeDir(stateDir);
  }
}

/** One broker for the file, never the shared one: the tests kill it. Kept with its logs when a test failed. */
let broker: DedicatedBroker;
let failed = false;

before(async () => {
  broker = await DedicatedBroker.start('restart-broker');
});

after(async () => {
  if (failed) console.error(`the dedicated broker's log is kept: ${broker.logFile}`);
  await broker?.remove(failed);
});

/** Runs a test body, noting a failure so that `after` keeps the broker's files. */
async function noting(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    failed = true;
    throw error;
  }
}

test('exactly-once: the broker is SIGKILLed twice mid-backlog and restarted on its data; both instances ride it out and every key counts 1..n exactly once', { timeout: 600_000 }, async (t) => {
  await noting(() => survivesBrokerRestarts(t, broker, { guarantee: 'exactly_once', kills: 2, round: 10_000 }));
});

test('at-least-once: the broker is SIGKILLed mid-backlog and restarted on its data; both instances ride it out and no input is lost', { timeout: 600_000 }, async (t) => {
  await noting(() => survivesBrokerRestarts(t, broker, { guarantee: 'at_least_once', kills: 1, round: 30_000 }));
});
