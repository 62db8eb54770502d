import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { KafkaStreams } from '../../../../src/runtime/app/kafka-streams.js';
import { resetApplication } from '../../../../src/runtime/reset/reset-application.js';
import { InMemoryKafkaCluster } from '../../../../src/testing/index.js';
import { buildWordCountTopology, COUNTS_STORE, INPUT_TOPIC, OUTPUT_TOPIC } from '../../../../examples/word-count.js';
import { awaitCounts, committedCounts, lines, running, until } from '../app/word-count-checks.js';

const APPLICATION_ID = 'word-count';
const CHANGELOG = `${APPLICATION_ID}-${COUNTS_STORE}-changelog`;
const stateDirs: string[] = [];
afterEach(() => {
  for (const dir of stateDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function wordCount(cluster: InMemoryKafkaCluster, stateDir: string): KafkaStreams {
  const config = { applicationId: APPLICATION_ID, processingGuarantee: 'exactly_once', stateDir, cacheMaxBytes: 0, logLevel: 'silent' } as const;
  return new KafkaStreams(buildWordCountTopology(), config, { client: cluster.client() });
}

/** A cluster where word count has counted one round of lines and closed; its state directory. */
async function countedOnce(): Promise<{ cluster: InMemoryKafkaCluster; stateDir: string; written: string[] }> {
  const cluster = new InMemoryKafkaCluster();
  cluster.createTopic(INPUT_TOPIC, 2);
  cluster.createTopic(OUTPUT_TOPIC, 2);
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-reset-'));
  stateDirs.push(stateDir);
  const written = lines(1);
  cluster.produce(INPUT_TOPIC, written.map((value, i) => ({ key: `line-${i}`, value })));
  const streams = wordCount(cluster, stateDir);
  await streams.start();
  await awaitCounts('the first run', cluster, written);
  await streams.close();
  return { cluster, stateDir, written };
}

const partitions = [0, 1].map((partition) => ({ topic: INPUT_TOPIC, partition }));
const committed = async (cluster: InMemoryKafkaCluster) => [...(await cluster.client().admin().committedOffsets(APPLICATION_ID, partitions)).values()].map((c) => c?.offset);

test('refuses while the group has members, naming the group, and changes nothing', async () => {
  const { cluster, stateDir, written } = await countedOnce();
  const streams = wordCount(cluster, stateDir);
  try {
    await streams.start();
    await until('running', () => running(streams));
    await assert.rejects(resetApplication({ applicationId: APPLICATION_ID, client: cluster.client(), inputTopics: [INPUT_TOPIC], stateDir }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'ILLEGAL_STATE');
      assert.match(error.message, /consumer group 'word-count' is still active \(stable\) with 1 member\(s\)/);
      return true;
    });
    assert.ok(cluster.topics.get(CHANGELOG) !== undefined);
    await awaitCounts('still counting', cluster, written);
  } finally {
    await streams.close();
  }
});

test('a dry run reports the plan and changes nothing; the reset then does it, and a rerun reproduces the output', async () => {
  const { cluster, stateDir, written } = await countedOnce();
  const before = await committed(cluster);
  const options = { applicationId: APPLICATION_ID, client: cluster.client(), inputTopics: [INPUT_TOPIC], stateDir };
  const plan = await resetApplication({ ...options, dryRun: true });
  assert.deepEqual(plan, {
    applicationId: APPLICATION_ID,
    dryRun: true,
    inputOffsets: partitions.map((p, i) => ({ ...p, committed: before[i]!, offset: 0 })),
    intermediateOffsets: [],
    internalTopics: [`${APPLICATION_ID}-${COUNTS_STORE}-changelog`, `${APPLICATION_ID}-${COUNTS_STORE}-repartition`],
    stateDirectory: join(stateDir, APPLICATION_ID),
  });
  assert.ok(before.every((offset) => offset !== undefined && offset > 0));
  assert.deepEqual(await committed(cluster), before, 'a dry run moves no offset');
  assert.ok(cluster.topics.get(CHANGELOG) !== undefined && existsSync(join(stateDir, APPLICATION_ID)), 'nor deletes anything');

  const firstRun = committedCounts(cluster);
  const report = await resetApplication(options);
  assert.deepEqual({ ...report, dryRun: true }, plan);
  assert.deepEqual(await committed(cluster), [0, 0]);
  assert.equal(cluster.topics.get(CHANGELOG), undefined);
  assert.equal(existsSync(join(stateDir, APPLICATION_ID)), false);

  const streams = wordCount(cluster, stateDir);
  await streams.start();
  try {
    // Counted again from nothing: every word's counts 1…n appear a second time, ending where they ended.
    await until('the rerun', () => [...committedCounts(cluster)].every(([word, counts]) => counts.length === 2 * firstRun.get(word)!.length));
    for (const [word, counts] of committedCounts(cluster)) assert.deepEqual(counts, [...firstRun.get(word)!, ...firstRun.get(word)!], word);
    await awaitCounts('the rerun ends at the same counts', cluster, written);
  } finally {
    await streams.close();
  }
});

test('to a datetime: the first record at or after it in each partition, the end where none is; by a duration back from now', async () => {
  const cluster = new InMemoryKafkaCluster();
  cluster.createTopic(INPUT_TOPIC, 2);
  cluster.produce(INPUT_TOPIC, [1_000, 2_000, 3_000].map((timestamp) => ({ value: 'x', partition: 0, timestamp })));
  cluster.produce(INPUT_TOPIC, [1_000].map((timestamp) => ({ value: 'x', partition: 1, timestamp })));
  const options = { applicationId: APPLICATION_ID, client: cluster.client(), inputTopics: [INPUT_TOPIC], stateDir: tmpdir() };
  const offsets = async (to: Parameters<typeof resetApplication>[0]['to']) => (await resetApplication({ ...options, to })).inputOffsets.map((p) => p.offset);
  assert.deepEqual(await offsets({ datetime: new Date(2_000) }), [1, 1]);
  assert.deepEqual(await committed(cluster), [1, 1]);
  assert.deepEqual(await offsets({ datetime: '1970-01-01T00:00:00.001Z' }), [0, 0]);
  assert.deepEqual(await resetApplication({ ...options, to: { byDurationMs: 500 }, now: () => 3_500 }).then((r) => r.inputOffsets.map((p) => p.offset)), [2, 1], 'now 3 500 - 500 ms = 3 000');
  assert.deepEqual(await offsets('latest'), [3, 1]);
  assert.deepEqual(await offsets({ offsets: [{ topic: INPUT_TOPIC, partition: 0, offset: 99 }] }), [3], 'given offsets stay inside the log');
});

test('a missing input topic or a topic that is not internal is refused before anything changes', async () => {
  const { cluster, stateDir } = await countedOnce();
  const options = { applicationId: APPLICATION_ID, client: cluster.client(), stateDir };
  await assert.rejects(resetApplication({ ...options, inputTopics: [INPUT_TOPIC, 'no-such-topic'] }), /topic\(s\) no-such-topic to reset do not exist/);
  await assert.rejects(resetApplication({ ...options, internalTopics: [OUTPUT_TOPIC] }), /streams-wordcount-output are not internal topics of word-count/);
  await assert.rejects(resetApplication({ ...options, to: { datetime: 'yesterday' } }), /ISO-8601 date-time/);
  assert.ok(cluster.topics.get(CHANGELOG) !== undefined && existsSync(join(stateDir, APPLICATION_ID)));
});
