import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaStreams, Serdes, StreamsBuilder, StreamsError, type Topology } from '../../../src/index.js';
import { eventually, kafka, uniqueName } from '../support/broker.js';
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

test('a fenced task aborts, rolls back, and is re-created from its changelog without duplicates or lost updates', async () => {
  await withTopics(async (input, output, applicationId) => {
    const client = kafka();
    const stateDir = tempStateDir();
    const streams = new KafkaStreams(countToOutput(input, output), streamsConfig(applicationId, stateDir, { processingGuarantee: 'exactly_once', cacheMaxBytes: 0 }));
    try {
      await streams.start();
      await awaitState(streams, 'RUNNING');
      await produceLines(client, input, [{ key: 'a', value: '1' }, { key: 'b', value: '1' }]);
      await awaitFinalCounts(client, output, new Map([['a', 1], ['b', 1]]));

      // A zombie-maker: a producer with the task's transactional id takes the id over, fencing the task's producer.
      const usurper = client.producer({ transactionalId: `${applicationId}-0_0`, idempotent: true, maxInFlightRequests: 1 });
      await usurper.connect();
      const transaction = await usurper.transaction();
      await transaction.abort();
      await usurper.disconnect();

      await produceLines(client, input, [{ key: 'a', value: '2' }, { key: 'a', value: '3' }, { key: 'b', value: '2' }]);
      await awaitFinalCounts(client, output, new Map([['a', 3], ['b', 2]]));
      await eventually('the re-created task is running', () => streams.metrics().tasks.get('0_0')?.state === 'running');
      const store = streams.store<string, number>('per-key');
      assert.equal(store.get('a'), 3);
      assert.equal(store.get('b'), 2);
      assert.equal(streams.state(), 'RUNNING');
    } finally {
      await streams.close();
      removeDir(stateDir);
    }
  });
});

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
