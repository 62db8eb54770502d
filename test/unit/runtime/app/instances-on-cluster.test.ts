import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { KafkaStreams } from '../../../../src/runtime/app/kafka-streams.js';
import { silentLogger } from '../../../../src/processing/task-logger.js';
import { InMemoryKafkaCluster, ManualClock, type InMemoryKafkaClient } from '../../../../src/testing/index.js';
import { buildWordCountTopology, INPUT_TOPIC, OUTPUT_TOPIC } from '../../../../examples/word-count.js';
import { assertNoDuplicates, awaitCounts, lines, running, taskCount, until } from './word-count-checks.js';
import { buildClickEnrichmentTopology, CLICK_ENRICHMENT_TOPICS as TOPICS, PAGES_STORE } from '../../../../examples/click-enrichment.js';

/**
 * Several instances of one application in one process, on the in-memory cluster: word count through its
 * repartition topic, exactly-once, while instances join, leave cleanly and crash in the middle of a commit.
 * With caching off every count is emitted, so the committed output of each word must be exactly 1, 2, …, n.
 */

const SESSION_TIMEOUT_MS = 10_000;
/** The in-memory cluster's transaction timeout (kafkajs' default): the coordinator then aborts a dead producer's transaction. */
const TRANSACTION_TIMEOUT_MS = 60_000;
const stateDirs: string[] = [];

function instance(cluster: InMemoryKafkaCluster, name: string, groupFencedTransactions: boolean, stateDir = mkdtempSync(join(tmpdir(), `kstreams-${name}-`))): { streams: KafkaStreams; client: InMemoryKafkaClient; stateDir: string } {
  stateDirs.push(stateDir);
  const client = cluster.client({ name, groupFencedTransactions });
  const config = { applicationId: 'word-count', processingGuarantee: 'exactly_once', stateDir, cacheMaxBytes: 0, logLevel: 'silent', sessionTimeoutMs: SESSION_TIMEOUT_MS } as const;
  return { streams: new KafkaStreams(buildWordCountTopology(), config, { client }), client, stateDir };
}

/**
 * Both ways of exactly-once: a producer per task (a client without KIP-447, as kafkajs), whose successor's first
 * transaction aborts the dead one's at once; and one producer per thread (KIP-447), where the successor reads stable
 * offsets only, so it waits until the coordinator aborts the dead instance's transaction (its timeout).
 */
for (const groupFencedTransactions of [false, true]) {
  test(`instances of one application share the work, hand it over on a clean close and take over from one that crashed mid-commit (${groupFencedTransactions ? 'a producer per thread' : 'a producer per task'})`, async () => {
    const clock = new ManualClock();
    const cluster = new InMemoryKafkaCluster({ clock });
    cluster.createTopic(INPUT_TOPIC, 4);
    cluster.createTopic(OUTPUT_TOPIC, 2);
    const written: string[] = [];
    const write = (round: number): void => {
      const batch = lines(round);
      written.push(...batch);
      cluster.produce(INPUT_TOPIC, batch.map((value, i) => ({ key: `line-${round}-${i}`, value })));
    };
    const a = instance(cluster, 'a', groupFencedTransactions);
    let b = instance(cluster, 'b', groupFencedTransactions);
    try {
      await a.streams.start();
      write(1);
      await awaitCounts('round 1 counted by a', cluster, written);

      await b.streams.start();
      await until('a and b sharing the tasks', () => running(a.streams, b.streams) && taskCount(a.streams) === 4 && taskCount(b.streams) === 4);
      write(2);
      await awaitCounts('round 2 counted by both', cluster, written);

      assert.equal(await b.streams.close(), true);
      await until('a holding every task again', () => running(a.streams) && taskCount(a.streams) === 8);
      write(3);
      await awaitCounts('round 3 counted by a', cluster, written);

      b = instance(cluster, 'b-again', groupFencedTransactions, b.stateDir);
      await b.streams.start();
      await until('a and b sharing the tasks again', () => running(a.streams, b.streams) && taskCount(a.streams) === 4 && taskCount(b.streams) === 4);
      // a dies as its next transaction is about to commit: its records are on the cluster, the commit never gets there.
      let crashed = false;
      cluster.faults.add({
        before: (op) => {
          if (op.client === 'a' && op.kind === 'endTransaction' && op.commit === true) {
            crashed = true;
            cluster.crash(a.client);
          }
        },
      });
      write(4);
      await until('a crashing mid-commit', () => crashed);
      await clock.advance(SESSION_TIMEOUT_MS + 1_000);
      if (groupFencedTransactions) await clock.advance(TRANSACTION_TIMEOUT_MS);
      await until('b holding every task', () => running(b.streams) && taskCount(b.streams) === 8);
      write(5);
      await awaitCounts('rounds 4 and 5 counted by b', cluster, written);

      assertNoDuplicates(cluster);
      const aborted = (topic: string) => cluster.records(topic, 'read_uncommitted').length - cluster.records(topic).length;
      assert.ok(aborted(OUTPUT_TOPIC) + aborted('word-count-counts-store-repartition') > 0, 'a left records of an open transaction, aborted when b fenced it');
      assert.equal(await b.streams.close(), true);
    } finally {
      // a's client hangs for good, as a killed process would: its close never finishes.
      await a.streams.close({ timeoutMs: 0 });
      await b.streams.close();
      for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('at-least-once with a global table: both instances hold every page, see its updates, and enrich each click', async () => {
  const cluster = new InMemoryKafkaCluster();
  for (const topic of [TOPICS.clicks, TOPICS.users, TOPICS.enriched]) cluster.createTopic(topic, 2);
  cluster.createTopic(TOPICS.pages, 3);
  const json = (value: object): string => JSON.stringify(value);
  cluster.produce(TOPICS.users, ['u1', 'u2', 'u3'].map((id) => ({ key: id, value: json({ name: `name-${id}`, region: 'eu' }) })));
  cluster.produce(TOPICS.pages, ['/a', '/b', '/c'].map((path) => ({ key: path, value: json({ title: `old ${path}`, section: 's' }) })));
  const started = ['a', 'b'].map((name) => {
    const stateDir = mkdtempSync(join(tmpdir(), `kstreams-${name}-`));
    stateDirs.push(stateDir);
    const config = { applicationId: 'enrichment', stateDir, commitIntervalMs: 50, logLevel: 'silent' } as const;
    return new KafkaStreams(buildClickEnrichmentTopology(), config, { client: cluster.client({ name }) });
  });
  const enriched = () => cluster.records(TOPICS.enriched).map((r) => JSON.parse(r.value!.toString()) as { userId: string; page: string; title: string });
  try {
    for (const streams of started) await streams.start();
    await until('both running, one task each', () => running(...started) && started.every((s) => taskCount(s) === 1));
    const click = (user: string, page: string) => ({ key: user, value: json({ page }) });
    cluster.produce(TOPICS.clicks, [click('u1', '/a'), click('u2', '/b'), click('u3', '/nowhere'), click('u3', '/c')]);
    await until('three enriched clicks', () => enriched().length === 3);
    cluster.produce(TOPICS.pages, [{ key: '/a', value: json({ title: 'new /a', section: 's' }) }]);
    await until('the update in both global stores', () => started.every((s) => (s.store<string, { title: string }>(PAGES_STORE).get('/a')?.title ?? '') === 'new /a'));
    cluster.produce(TOPICS.clicks, [click('u2', '/a'), click('u1', '/a')]);
    await until('five enriched clicks', () => enriched().length === 5);
    assert.deepEqual(enriched().map((e) => `${e.userId} ${e.page} ${e.title}`).sort(), ['u1 /a new /a', 'u1 /a old /a', 'u2 /a new /a', 'u2 /b old /b', 'u3 /c old /c']);
    for (const streams of started) assert.equal(streams.store(PAGES_STORE).approximateNumEntries(), 3);
  } finally {
    for (const streams of started) await streams.close();
  }
});

test('a client factory is given the connection settings of the config', () => {
  const cluster = new InMemoryKafkaCluster();
  let seen: unknown;
  const logger = silentLogger.child({});
  new KafkaStreams(buildWordCountTopology(), { applicationId: 'word-count', bootstrapServers: 'kafka:9092', clientId: 'counter', logger }, {
    client: (connection) => {
      seen = connection;
      return cluster.client();
    },
  });
  assert.deepEqual(seen, { bootstrapServers: ['kafka:9092'], clientId: 'counter', logger }, "the client's own warnings go to the application's logger");
});
