import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { readToEnd } from '../../../scripts/committed-reader/committed-reader.js';
import { KafkaStreams, Serdes, StreamsBuilder, type StreamsState, type Topology } from '../../../src/index.js';
import { eventually, uniqueName } from '../support/broker.js';
import { DedicatedBroker } from '../support/dedicated-broker.js';
import { removeDir, tempStateDir, testLogger } from './streams-support.js';

/**
 * Broker restarts under a running exactly-once application. Two instances count records per key (`groupByKey()
 * .count()`, no cache: one output update per input record) on a broker of the test's own, which is SIGKILLed twice
 * while they work through a backlog, each time kept down as long as a real restart takes and started again on its
 * data. Both instances must ride it out (never ERROR, RUNNING afterwards), and the committed output must be exact:
 * key by key, the counts 1..n for the key's n inputs, each once and in order — no commit lost, none counted twice.
 */

const PARTITIONS = 6;
const KEYS = 60;
/**
 * Input produced in three rounds: before the first kill, between the restart and the second kill, after the second
 * restart. Each of the first two is produced faster than two exactly-once instances count it, so that the kill
 * lands while they work through a backlog.
 */
const ROUNDS = [5_000, 5_000, 1_000] as const;
const TOTAL = ROUNDS[0] + ROUNDS[1] + ROUNDS[2];
/** Records of a round's backlog processed before the broker is killed. */
const KILL_AFTER = 500;
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

/** Exactly-once: each key's count updates are 1..n for its n inputs, in order. Returns what differs (first few). */
function countViolations(updates: ReadonlyArray<{ key: string; count: number }>, inputs: number): string[] {
  const byKey = new Map<string, number[]>();
  for (const { key, count } of updates) byKey.set(key, [...(byKey.get(key) ?? []), count]);
  const violations: string[] = [];
  for (let k = 0; k < KEYS; k++) {
    const key = `k${k}`;
    const expected = Math.floor(inputs / KEYS) + (k < inputs % KEYS ? 1 : 0);
    const counts = byKey.get(key) ?? [];
    const wrongAt = counts.findIndex((count, i) => count !== i + 1);
    if (wrongAt >= 0 || counts.length !== expected) {
      violations.push(`${key}: ${counts.length} updates for ${expected} inputs${wrongAt >= 0 ? `; update #${wrongAt + 1} is ${counts[wrongAt]}` : ''}`);
    }
  }
  return violations.slice(0, 5);
}

interface Instance {
  readonly streams: KafkaStreams;
  readonly stateDir: string;
  /** Every state the client moved to, in order. */
  readonly states: StreamsState[];
}

function startInstance(brokers: string, applicationId: string, input: string, output: string): Instance {
  const stateDir = tempStateDir();
  const streams = new KafkaStreams(countTopology(input, output), {
    applicationId,
    bootstrapServers: brokers,
    stateDir,
    processingGuarantee: 'exactly_once',
    commitIntervalMs: 100,
    cacheMaxBytes: 0,
    logger: testLogger,
  });
  const states: StreamsState[] = [];
  streams.setStateListener((next) => states.push(next));
  return { streams, stateDir, states };
}

async function survivesBrokerRestart(t: TestContext, broker: DedicatedBroker): Promise<void> {
  const client = new Kafka({ clientId: uniqueName('broker-restart-test'), brokers: [broker.brokers], logLevel: logLevel.NOTHING });
  const input = uniqueName('restart-input');
  const output = uniqueName('restart-output');
  const applicationId = uniqueName('restart-app');
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [input, output].map((topic) => ({ topic, numPartitions: PARTITIONS })), waitForLeaders: true });
  await admin.disconnect();

  const instances = [startInstance(broker.brokers, applicationId, input, output), startInstance(broker.brokers, applicationId, input, output)];
  try {
    await Promise.all(instances.map(({ streams }) => streams.start()));
    await eventually('both instances RUNNING', () => instances.every(({ streams }) => streams.state() === 'RUNNING'), 60_000);

    // What the instances' current tasks processed: instant to read, so the kill lands early in a round's backlog.
    const processed = () => instances.reduce((sum, { streams }) => sum + streams.metrics().totals.processedRecords, 0);
    let produced = 0;
    for (const [round, records] of ROUNDS.slice(0, 2).entries()) {
      const processedBefore = processed();
      await produceInput(client, input, produced, produced + records, 1_000);
      produced += records;
      await eventually(`round ${round + 1} under way`, () => processed() - processedBefore >= KILL_AFTER, 120_000);
      const atKill = await inputProgress(client, applicationId, input);
      await broker.kill();
      const killedAtMs = Date.now();
      t.diagnostic(`kill ${round + 1}: broker SIGKILLed with ${atKill.committed} of ${atKill.end} input records committed`);
      assert.ok(atKill.committed < atKill.end, 'the kill lands while the instances still work through a backlog');
      await new Promise((resolve) => setTimeout(resolve, DOWN_MS));
      await broker.restart();
      t.diagnostic(`kill ${round + 1}: broker back on its data ${((Date.now() - killedAtMs) / 1000).toFixed(1)} s after the kill`);
    }
    await produceInput(client, input, produced, TOTAL, 250);
    const lastRestartMs = Date.now();
    await awaitProgress(client, applicationId, input, 'every input record committed by the group', ({ committed, end }) => end === TOTAL && committed === TOTAL);
    t.diagnostic(`all input committed ${((Date.now() - lastRestartMs) / 1000).toFixed(1)} s after the last restart`);
    await eventually('both instances RUNNING after the restart', () => instances.every(({ streams }) => streams.state() === 'RUNNING'), 60_000);
    for (const { states } of instances) assert.ok(!states.includes('ERROR') && !states.includes('PENDING_ERROR'), `states: ${states.join(' → ')}`);
    t.diagnostic(`states: ${instances.map(({ states }) => states.join(' → ')).join(' | ')}`);
    await Promise.all(instances.map(({ streams }) => streams.close()));

    const updates = await readCommittedOutput(broker.brokers, output);
    assert.deepEqual(countViolations(updates, TOTAL), []);
    assert.equal(updates.length, TOTAL, 'one committed update per input record');
  } finally {
    await Promise.all(instances.map(({ streams }) => streams.close({ timeoutMs: 30_000 }).catch(() => false)));
    for (const { stateDir } of instances) removeDir(stateDir);
  }
}

test('exactly-once: the broker is SIGKILLed twice mid-backlog and restarted on its data; both instances ride it out and every key counts 1..n exactly once', { timeout: 600_000 }, async (t) => {
  const broker = await DedicatedBroker.start('restart-broker');
  let passed = false;
  try {
    await survivesBrokerRestart(t, broker);
    passed = true;
  } finally {
    if (!passed) t.diagnostic(`the dedicated broker's log is kept: ${broker.logFile}`);
    await broker.remove(!passed);
  }
});
