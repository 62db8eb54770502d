import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { KafkaStreams } from '../../../src/index.js';
import { readToEnd, type ReadRecord } from '../../../scripts/committed-reader/committed-reader.js';
import { brokers, kafka, uniqueName } from '../support/broker.js';
import { testClientKind } from '../support/test-client.js';
import { awaitFinalCounts, awaitState, deleteTopics, expectedCounts, produceLines, removeDir, streamsConfig, tempStateDir, wordCountTopology } from '../streams/streams-support.js';

/**
 * `kstreams reset` as a user runs it, against the broker: a dry run prints the plan and changes nothing, a running
 * instance makes it refuse (exit 1), and a real reset followed by a rerun produces the same output again. Word count
 * without caching emits every count, so each run's output per word is exactly 1, 2, …, n; it is read with Kafka's
 * own Java consumer.
 */

const LINES = ['the quick brown fox', 'jumps over the lazy dog', 'the dog barks', 'the fox runs', 'quick quick quick'];

function kstreams(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

/** The counts of each word in `records`, in offset order per partition (a word always lands in one partition). */
function countsPerWord(records: readonly ReadRecord[]): Map<string, number[]> {
  const counts = new Map<string, number[]>();
  for (const r of records) counts.set(r.key!.toString(), [...(counts.get(r.key!.toString()) ?? []), Number(r.value!.readBigInt64BE())]);
  return counts;
}

/** The committed records of `topic` once there are at least `count` (or after 30 s, whatever there is). */
async function readUntil(topic: string, count: number): Promise<ReadRecord[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const records = await readToEnd(brokers().join(','), [topic]);
    if (records.length >= count || Date.now() > deadline) return records;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

test('kstreams reset: the dry run prints the plan, a running instance is refused, and a reset then a rerun reproduce the output', async () => {
  const client = kafka();
  const input = uniqueName('cli-reset-in');
  const output = uniqueName('cli-reset-out');
  const applicationId = uniqueName('cli-reset-app');
  const stateDir = tempStateDir();
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: input, numPartitions: 2 }, { topic: output, numPartitions: 2 }], waitForLeaders: true });
  const app = () => new KafkaStreams(wordCountTopology(input, output), streamsConfig(applicationId, stateDir, { processingGuarantee: 'exactly_once', cacheMaxBytes: 0 }));
  const reset = (...extra: string[]) =>
    kstreams('reset', '--application-id', applicationId, '--bootstrap-servers', brokers().join(','), '--input-topics', input, '--state-dir', stateDir, '--client', testClientKind(), ...extra);
  let streams = app();
  try {
    await produceLines(client, input, LINES.map((value, i) => ({ key: `line-${i}`, value })));
    await streams.start();
    await awaitFinalCounts(output, expectedCounts(LINES));

    const refused = await reset();
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, new RegExp(`^kstreams: consumer group '${applicationId}' is still active \\(stable\\) with 1 member\\(s\\): .*; stop every instance of the application before resetting it\\n$`));
    assert.equal(await streams.close(), true);

    const firstRun = await readToEnd(brokers().join(','), [output]);
    const dryRun = await reset('--dry-run');
    assert.equal(dryRun.status, 0, dryRun.stderr);
    const changelog = `${applicationId}-counts-changelog`;
    const repartition = `${applicationId}-counts-repartition`;
    assert.match(dryRun.stdout, new RegExp(`^Dry run: nothing changed\\. Resetting application ${applicationId} would:\\n`));
    assert.match(dryRun.stdout, new RegExp(`move the input offsets of group ${applicationId} to the log start:\\n    ${input} partition 0: \\d+ -> 0\\n    ${input} partition 1: \\d+ -> 0\\n`));
    assert.ok(dryRun.stdout.includes(`delete the internal topics:\n    ${changelog}\n    ${repartition}\n`), dryRun.stdout);
    assert.ok(dryRun.stdout.includes(`remove the local state ${join(stateDir, applicationId)}\n`), dryRun.stdout);
    assert.ok((await admin.listTopics()).includes(changelog), 'the dry run deleted nothing');

    const done = await reset('--to-earliest');
    assert.equal(done.status, 0, done.stderr);
    assert.match(done.stdout, new RegExp(`^Reset application ${applicationId}:\\n`));
    assert.ok(!(await admin.listTopics()).includes(changelog));

    streams = app();
    await streams.start();
    await awaitState(streams, 'RUNNING');
    // The rerun's output follows the first run's in each partition.
    const all = await readUntil(output, 2 * firstRun.length);
    const firstEnd = (partition: number) => Math.max(-1, ...firstRun.filter((r) => r.partition === partition).map((r) => r.offset));
    const rerun = all.filter((r) => r.offset > firstEnd(r.partition));
    assert.deepEqual(countsPerWord(rerun), countsPerWord(firstRun), 'the rerun counted every word again from 1, as the first run did');
    assert.equal(all.length, 2 * firstRun.length, 'and nothing else');
  } finally {
    await streams.close();
    await admin.disconnect();
    await deleteTopics(client, { prefix: applicationId, names: [input, output] });
    removeDir(stateDir);
  }
});
