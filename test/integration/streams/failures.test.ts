import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { KafkaStreams, Serdes, StreamsBuilder, StreamsError, type ProcessingGuarantee, type Topology } from '../../../src/index.js';
import { brokers, eventually, kafka, uniqueName } from '../support/broker.js';
import { consumeUntil } from '../support/consume.js';
import { adapterClient, testClientKind } from '../support/test-client.js';
import { awaitFinalCounts, awaitState, deleteTopics, produceLines, removeDir, streamsConfig, tempStateDir } from './streams-support.js';

function countToOutput(input: string, output: string): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream(input, { keySerde: Serdes.String(), valueSerde: Serdes.String() })
    .groupByKey()
    .count({ storeName: 'per-key' })
    .toStream()
    .to(output, { keySerde: Serdes.String(), valueSerde: Serdes.Long() });
  return builder.build();
}

async function withTopics(body: (input: string, output: string, applicationId: string) => Promise<void>): Promise<void> {
  const client = kafka();
  const [input, output, applicationId] = [uniqueName('fail-input'), uniqueName('fail-output'), uniqueName('fail-app')];
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: input, numPartitions: 1 }, { topic: output, numPartitions: 1 }], waitForLeaders: true });
  try {
    await body(input, output, applicationId);
  } finally {
    await admin.disconnect();
    await deleteTopics(client, { prefix: applicationId, names: [input, output] });
  }
}

/** Under exactly_once_v2 (a client with KIP-447) the thread has one producer, so fencing hits all its tasks at once. */
const threadProducer = adapterClient(testClientKind(), { bootstrapServers: brokers(), clientId: 'failures' }).groupFencedTransactions;

/** Takes `transactionalId` over with a producer of its own, fencing the producer that holds it. */
async function usurp(transactionalId: string): Promise<void> {
  const usurper = kafka().producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
  await usurper.connect();
  const transaction = await usurper.transaction();
  await transaction.abort();
  await usurper.disconnect();
}

test('a fenced task aborts, rolls back, waits for the next assignment, and is re-created from its changelog without duplicates or lost updates', { skip: threadProducer && 'per-task producers only (exactly_once_v2 has one per thread)' }, async () => {
  await withTopics(async (input, output, applicationId) => {
    const client = kafka();
    const stateDirs = [tempStateDir(), tempStateDir()];
    const [streams, newcomer] = stateDirs.map(
      (dir) => new KafkaStreams(countToOutput(input, output), streamsConfig(applicationId, dir, { processingGuarantee: 'exactly_once', cacheMaxBytes: 0 })),
    ) as [KafkaStreams, KafkaStreams];
    try {
      await streams.start();
      await awaitState(streams, 'RUNNING');
      await produceLines(client, input, [{ key: 'a', value: '1' }, { key: 'b', value: '1' }]);
      await awaitFinalCounts(output, new Map([['a', 1], ['b', 1]]));

      // A zombie-maker: a producer with the task's transactional id takes the id over, fencing the task's producer.
      await usurp(`${applicationId}-0_0`);

      await produceLines(client, input, [{ key: 'a', value: '2' }, { key: 'a', value: '3' }, { key: 'b', value: '2' }]);
      // The task's next send or commit meets the fencing: it is closed, and not re-created while the group stands.
      await eventually('the fenced task is closed', () => !streams.metrics().tasks.has('0_0'));
      assert.equal(streams.state(), 'RUNNING');

      // A new member makes the group rebalance. With one task for two members, either may get it (the quota tie
      // goes by member id): this instance re-creates it from its state, the newcomer restores it from the changelog.
      await newcomer.start();
      const running = (instance: KafkaStreams) => instance.metrics().tasks.get('0_0')?.state === 'running';
      await eventually('the task runs again after the rebalance', () => running(streams) || running(newcomer));
      const owner = running(streams) ? streams : newcomer;
      await awaitFinalCounts(output, new Map([['a', 3], ['b', 2]]));
      const task = owner.metrics().tasks.get('0_0')!;
      if (owner === streams) assert.equal(task.rebuilds, 1, 'closed once when fenced, then re-created');
      else assert.equal(task.restoredRecords, 2, 'restored the counts of a and b from the changelog');
      const store = owner.store<string, number>('per-key');
      assert.equal(store.get('a'), 3);
      assert.equal(store.get('b'), 2);
    } finally {
      await Promise.all([streams.close(), newcomer.close()]);
      stateDirs.forEach(removeDir);
    }
  });
});

for (const guarantee of ['exactly_once', 'at_least_once'] as const) {
  test(`${guarantee}: output the broker refuses is dropped by a continuing handler (counted), and the rest is written`, async () => {
    await refusedOutput(guarantee);
  });
}

/** Under exactly-once, every changelog record is also committed exactly once. */
test('exactly_once_v2: a fenced thread producer aborts, rolls its tasks back and re-creates them at once from their state, without duplicates or lost updates', { skip: !threadProducer && 'one producer per thread only (KIP-447 clients)' }, async () => {
  await withTopics(async (input, output, applicationId) => {
    const client = kafka();
    const stateDir = tempStateDir();
    const streams = new KafkaStreams(countToOutput(input, output), streamsConfig(applicationId, stateDir, { processingGuarantee: 'exactly_once', cacheMaxBytes: 0 }));
    try {
      await streams.start();
      await awaitState(streams, 'RUNNING');
      await produceLines(client, input, [{ key: 'a', value: '1' }, { key: 'b', value: '1' }]);
      await awaitFinalCounts(output, new Map([['a', 1], ['b', 1]]));

      // The thread's transactional id, as Kafka Streams names it: <applicationId>-<processId>-<thread index>.
      const metadata = JSON.parse(readFileSync(join(stateDir, applicationId, 'kafka-streams-process-metadata'), 'utf8')) as { processId: string };
      await usurp(`${applicationId}-${metadata.processId}-1`);

      await produceLines(client, input, [{ key: 'a', value: '2' }, { key: 'a', value: '3' }, { key: 'b', value: '2' }]);
      // Nothing else can get the tasks (the only member): the thread re-creates them from their state at once.
      await eventually('the task re-created after the fencing', () => (streams.metrics().tasks.get('0_0')?.rebuilds ?? 0) >= 1);
      await awaitFinalCounts(output, new Map([['a', 3], ['b', 2]]));
      assert.equal(streams.state(), 'RUNNING');
      const store = streams.store<string, number>('per-key');
      assert.equal(store.get('a'), 3);
      assert.equal(store.get('b'), 2);
    } finally {
      await streams.close();
      removeDir(stateDir);
    }
  });
});

async function refusedOutput(guarantee: ProcessingGuarantee): Promise<void> {
  await withTopics(async (input, _output, applicationId) => {
    const client = kafka();
    const stateDir = tempStateDir();
    const admin = client.admin();
    await admin.connect();
    const limited = uniqueName('fail-limited');
    await admin.createTopics({ topics: [{ topic: limited, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '2000' }] }], waitForLeaders: true });
    const builder = new StreamsBuilder();
    builder
      .stream(input, { keySerde: Serdes.String(), valueSerde: Serdes.String() })
      .groupByKey()
      .reduce((_old, value) => value, { storeName: 'latest' })
      .toStream()
      .mapValues((value) => (value === 'big' ? 'x'.repeat(5_000) : value))
      .to(limited, { keySerde: Serdes.String(), valueSerde: Serdes.String() });
    const config = { processingGuarantee: guarantee, cacheMaxBytes: 0, commitIntervalMs: 500, productionExceptionHandler: 'continue' } as const;
    const streams = new KafkaStreams(builder.build(), streamsConfig(applicationId, stateDir, config));
    try {
      await streams.start();
      await awaitState(streams, 'RUNNING');
      // One fetch, one transaction: its send writes the changelog batch and the broker refuses the output batch.
      await produceLines(client, input, [{ key: 'a', value: '1' }, { key: 'b', value: 'big' }, { key: 'c', value: '3' }]);
      const written = await consumeUntil(limited, (messages) => messages.some((m) => m.key === 'c'));
      assert.deepEqual(written.map((m) => `${m.key}=${m.value}`), ['a=1', 'c=3']);
      if (guarantee === 'exactly_once') {
        const changelog = await consumeUntil(`${applicationId}-latest-changelog`, (messages) => messages.some((m) => m.key === 'c'));
        assert.deepEqual(changelog.map((m) => m.key), ['a', 'b', 'c'], 'every changelog record committed once');
      }
      assert.equal(streams.metrics().totals.productionErrors, 1);
      assert.equal(streams.state(), 'RUNNING');
    } finally {
      await streams.close();
      await admin.deleteTopics({ topics: [limited] }).catch(() => undefined);
      await admin.disconnect();
      removeDir(stateDir);
    }
  });
}

test('a processing error the handler fails on reaches the uncaught-exception handler and moves the client to ERROR', async () => {
  await withTopics(async (input, output, applicationId) => {
    const client = kafka();
    const stateDir = tempStateDir();
    const builder = new StreamsBuilder();
    builder
      .stream(input, { keySerde: Serdes.String(), valueSerde: Serdes.String() })
      .mapValues((v) => {
        if (v === 'boom') throw new Error('cannot process boom');
        return v;
      })
      .to(output, { keySerde: Serdes.String(), valueSerde: Serdes.String() });
    const streams = new KafkaStreams(builder.build(), streamsConfig(applicationId, stateDir, { processingGuarantee: 'exactly_once' }));
    const seen: unknown[] = [];
    const states: string[] = [];
    streams.setUncaughtExceptionHandler((error) => {
      seen.push(error);
      return 'REPLACE_THREAD';
    });
    streams.setStateListener((next) => states.push(next));
    try {
      await streams.start();
      await awaitState(streams, 'RUNNING');
      await produceLines(client, input, [{ key: 'k', value: 'boom' }]);
      await awaitState(streams, 'ERROR');
      // The thread never committed anything, so replacing it would only fail on the same record again.
      assert.equal(seen.length, 1);
      assert.ok(seen[0] instanceof StreamsError && seen[0].code === 'PROCESSING_FAILED');
      assert.deepEqual(states.slice(-2), ['PENDING_ERROR', 'ERROR']);
      assert.equal(await streams.close(), true);
    } finally {
      await streams.close();
      removeDir(stateDir);
    }
  });
});
