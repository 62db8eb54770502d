import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { KafkaStreams } from '../../../../src/runtime/app/kafka-streams.js';
import { ProductionFailure } from '../../../../src/runtime/client/production-failure.js';
import { InMemoryKafkaCluster, ManualClock } from '../../../../src/testing/index.js';
import { buildWordCountTopology, INPUT_TOPIC, OUTPUT_TOPIC } from '../../../../examples/word-count.js';
import { recordingClient, type RecordedTransaction } from './recording-client.js';
import { assertNoDuplicates, awaitCounts, lines, running, taskCount, until } from './word-count-checks.js';

/**
 * Exactly-once with one producer per stream thread (KIP-447, Kafka Streams' `exactly_once_v2`) on the in-memory
 * cluster: one transaction per commit for all tasks, a zombie fenced by its group generation, and a restart on the
 * same state directory fencing what its previous incarnation left open.
 */

const SESSION_TIMEOUT_MS = 10_000;
const APPLICATION_ID = 'word-count';
const stateDirs: string[] = [];

function newStateDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `kstreams-v2-${name}-`));
  stateDirs.push(dir);
  return dir;
}

function instance(cluster: InMemoryKafkaCluster, name: string, options: { groupFencedTransactions?: boolean; stateDir?: string; commitIntervalMs?: number } = {}) {
  const recorded = recordingClient(cluster.client({ name, groupFencedTransactions: options.groupFencedTransactions ?? true }));
  const config = {
    applicationId: APPLICATION_ID,
    processingGuarantee: 'exactly_once',
    stateDir: options.stateDir ?? newStateDir(name),
    cacheMaxBytes: 0,
    logLevel: 'silent',
    sessionTimeoutMs: SESSION_TIMEOUT_MS,
    ...(options.commitIntervalMs === undefined ? {} : { commitIntervalMs: options.commitIntervalMs }),
  } as const;
  return { streams: new KafkaStreams(buildWordCountTopology(), config, { client: recorded.client }), transactions: recorded.transactions, stateDir: config.stateDir };
}

function newCluster(clock?: ManualClock): InMemoryKafkaCluster {
  const cluster = new InMemoryKafkaCluster(clock === undefined ? {} : { clock });
  cluster.createTopic(INPUT_TOPIC, 4);
  cluster.createTopic(OUTPUT_TOPIC, 2);
  return cluster;
}

const produceLines = (cluster: InMemoryKafkaCluster, round: number): string[] => {
  const batch = lines(round);
  cluster.produce(INPUT_TOPIC, batch.map((value, i) => ({ key: `line-${round}-${i}`, value })));
  return batch;
};

/** The tasks (`<subtopology>_<partition>`) whose input offsets a transaction committed: word count's sources are the input and the repartition topic. */
const tasksOf = (transaction: RecordedTransaction): Set<string> => new Set(transaction.offsets.map((key) => `${key.startsWith(INPUT_TOPIC) ? 0 : 1}_${key.slice(key.lastIndexOf(':') + 1)}`));

test('one producer for the thread commits all its tasks in one transaction per commit; without KIP-447 each task commits its own', async (t) => {
  const counts: string[] = [];
  for (const groupFencedTransactions of [false, true]) {
    const cluster = newCluster();
    const { streams, transactions } = instance(cluster, groupFencedTransactions ? 'thread' : 'tasks', { groupFencedTransactions, commitIntervalMs: 50 });
    try {
      await streams.start();
      await until('eight tasks running', () => running(streams) && taskCount(streams) === 8);
      const written = [...produceLines(cluster, 1), ...produceLines(cluster, 2)];
      await awaitCounts('both rounds counted', cluster, written);
      const committed = transactions.filter((x) => x.outcome === 'committed');
      const ids = new Set(committed.map((x) => x.transactionalId));
      const tasksPerTransaction = committed.map((x) => tasksOf(x).size);
      if (groupFencedTransactions) {
        assert.equal(ids.size, 1, 'one transactional id');
        assert.match([...ids][0]!, new RegExp(`^${APPLICATION_ID}-[0-9a-f-]{36}-1$`), '<applicationId>-<processId>-<threadIndex>');
        assert.ok(Math.max(...tasksPerTransaction) > 1, 'a transaction commits the offsets of several tasks');
        assert.ok(committed.every((x) => x.members.every((m) => m !== undefined && m.generationId > 0)), 'every offset commit names the member');
      } else {
        assert.deepEqual([...ids].sort(), ['0_0', '0_1', '0_2', '0_3', '1_0', '1_1', '1_2', '1_3'].map((task) => `${APPLICATION_ID}-${task}`));
        assert.ok(tasksPerTransaction.every((n) => n === 1), 'each transaction commits one task');
      }
      assertNoDuplicates(cluster);
      counts.push(`${groupFencedTransactions ? 'a producer per thread' : 'a producer per task'}: ${committed.length} committed transactions, ${(tasksPerTransaction.reduce((a, b) => a + b, 0) / committed.length).toFixed(1)} tasks each`);
    } finally {
      await streams.close();
    }
  }
  t.diagnostic(counts.join('; '));
});

test('a zombie whose session timed out mid-commit is refused by the group generation and commits nothing', async () => {
  const clock = new ManualClock();
  const cluster = newCluster(clock);
  const a = instance(cluster, 'a');
  const b = instance(cluster, 'b');
  // From a's first offset commit of round 2 on, every call of a hangs until released: a zombie with its output sent.
  let hold: Promise<void> | undefined;
  let release: () => void = () => undefined;
  let armed = false;
  cluster.faults.add({
    before: async (op) => {
      if (op.client !== 'a') return;
      if (armed && hold === undefined && op.kind === 'sendOffsets') hold = new Promise((resolve) => (release = resolve));
      await hold;
    },
  });
  try {
    await a.streams.start();
    const written = produceLines(cluster, 1);
    await awaitCounts('round 1 counted by a', cluster, written);
    await b.streams.start();
    await until('a and b sharing the tasks', () => running(a.streams, b.streams) && taskCount(a.streams) === 4 && taskCount(b.streams) === 4);
    armed = true;
    written.push(...produceLines(cluster, 2));
    await until('a holding its commit', () => hold !== undefined);
    await clock.advance(SESSION_TIMEOUT_MS + 1_000);
    await until('b holding every task', () => running(b.streams) && taskCount(b.streams) === 8);
    release();
    await until('a refused', () => a.transactions.some((x) => x.outcome === 'failed'));
    const refused = a.transactions.find((x) => x.outcome === 'failed')!;
    assert.ok(refused.error instanceof ProductionFailure && refused.error.kind === 'fenced', `a's offsets fenced: ${String(refused.error)}`);
    assert.match(String(refused.error), /UNKNOWN_MEMBER_ID|ILLEGAL_GENERATION/);
    written.push(...produceLines(cluster, 3));
    await awaitCounts('rounds 2 and 3 counted once', cluster, written);
    assertNoDuplicates(cluster);
  } finally {
    release();
    await a.streams.close({ timeoutMs: 2_000 });
    await b.streams.close();
  }
});

test('a restart on the same state directory has the same transactional id: it aborts what the crashed instance left open at once', async () => {
  const clock = new ManualClock();
  const cluster = newCluster(clock);
  const a = instance(cluster, 'a');
  let crashed = false;
  cluster.faults.add({
    before: (op) => {
      // a dies with its offsets in the transaction and the commit not sent: they hold every new owner back.
      if (op.client === 'a' && crashed === false && op.kind === 'endTransaction' && op.commit === true && a.transactions.some((x) => x.offsets.length > 0 && x.outcome === 'open')) {
        crashed = true;
        cluster.crash('a');
      }
    },
  });
  const written = produceLines(cluster, 1);
  try {
    await a.streams.start();
    await until('a crashing mid-commit', () => crashed);
    const copy = newStateDir('again');
    cpSync(a.stateDir, copy, { recursive: true, filter: (source) => !source.endsWith('.lock') });
    const again = instance(cluster, 'a-again', { stateDir: copy });
    try {
      await again.streams.start();
      // The dead member still holds the tasks until its session times out; its open transaction is aborted already.
      await clock.advance(SESSION_TIMEOUT_MS + 1_000);
      await awaitCounts('round 1 counted', cluster, written);
      assert.equal(again.transactions[0]?.transactionalId, a.transactions[0]?.transactionalId, 'the same process id');
      assertNoDuplicates(cluster);
      const aborted = (topic: string) => cluster.records(topic, 'read_uncommitted').length - cluster.records(topic).length;
      assert.ok(aborted(OUTPUT_TOPIC) + aborted(`${APPLICATION_ID}-counts-store-repartition`) > 0, 'the crashed transaction had output, aborted');
    } finally {
      await again.streams.close();
    }
  } finally {
    await a.streams.close({ timeoutMs: 0 });
  }
});

after(() => {
  for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
});
