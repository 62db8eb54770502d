import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaStreams, Serdes, StreamsBuilder, type Topology } from '../../../src/index.js';
import { eventually, kafka, uniqueName } from '../support/broker.js';
import { awaitState, deleteTopics, produceLines, removeDir, streamsConfig, tempStateDir } from './streams-support.js';

/** One sub-topology, one partition: counts per key in a persistent store, no cache, so every update is one changelog record. */
function countByKey(input: string): Topology {
  const builder = new StreamsBuilder();
  builder.stream(input, { keySerde: Serdes.String(), valueSerde: Serdes.String() }).groupByKey().count({ storeName: 'per-key' });
  return builder.build();
}

const keysOf = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ key: `${prefix}-${i % 5}`, value: 'x' }));

async function runUntilProcessed(applicationId: string, input: string, stateDir: string, produce: () => Promise<void>, processed: number): Promise<KafkaStreams> {
  const streams = new KafkaStreams(countByKey(input), streamsConfig(applicationId, stateDir, { processingGuarantee: 'exactly_once', cacheMaxBytes: 0 }));
  await streams.start();
  await awaitState(streams, 'RUNNING');
  await produce();
  await eventually(`${processed} records processed`, () => streams.metrics().totals.processedRecords >= processed);
  return streams;
}

async function withInput(body: (input: string, applicationId: string) => Promise<void>): Promise<void> {
  const client = kafka();
  const input = uniqueName('restore-input');
  const applicationId = uniqueName('restore-app');
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: input, numPartitions: 1 }], waitForLeaders: true });
  try {
    await body(input, applicationId);
  } finally {
    await admin.disconnect();
    await deleteTopics(client, { prefix: applicationId, names: [input] });
  }
}

test('a task restores only the changelog tail written after the offset stored with its SQLite state', async () => {
  await withInput(async (input, applicationId) => {
    const client = kafka();
    const [ownDir, otherDir] = [tempStateDir(), tempStateDir()];
    try {
      const first = await runUntilProcessed(applicationId, input, ownDir, () => produceLines(client, input, keysOf('k', 12)), 12);
      assert.equal(first.metrics().tasks.get('0_0')!.restoredRecords, 0);
      await first.close();

      // Another instance (no local state) takes the task over, restores all 12 updates, then writes 7 more.
      const other = await runUntilProcessed(applicationId, input, otherDir, () => produceLines(client, input, keysOf('k', 7)), 7);
      assert.equal(other.metrics().tasks.get('0_0')!.restoredRecords, 12);
      await other.close();

      const again = new KafkaStreams(countByKey(input), streamsConfig(applicationId, ownDir, { processingGuarantee: 'exactly_once', cacheMaxBytes: 0 }));
      await again.start();
      await awaitState(again, 'RUNNING');
      try {
        assert.equal(again.metrics().tasks.get('0_0')!.restoredRecords, 7, 'only the 7 updates written after the stored offset are replayed');
        const store = again.store<string, number>('per-key');
        assert.deepEqual([0, 1, 2, 3, 4].map((i) => store.get(`k-${i}`)), [5, 5, 3, 3, 3]);
      } finally {
        await again.close();
      }
    } finally {
      removeDir(ownDir);
      removeDir(otherDir);
    }
  });
});

test('after cleanUp() deletes the state directory, the state is restored from the whole changelog', async () => {
  await withInput(async (input, applicationId) => {
    const client = kafka();
    const dir = tempStateDir();
    try {
      const first = await runUntilProcessed(applicationId, input, dir, () => produceLines(client, input, keysOf('k', 10)), 10);
      await first.close();
      first.cleanUp();

      const again = new KafkaStreams(countByKey(input), streamsConfig(applicationId, dir, { processingGuarantee: 'exactly_once', cacheMaxBytes: 0 }));
      await again.start();
      await awaitState(again, 'RUNNING');
      try {
        assert.equal(again.metrics().totals.restoredRecords, 10);
        const store = again.store<string, number>('per-key');
        assert.deepEqual([0, 1, 2, 3, 4].map((i) => store.get(`k-${i}`)), [2, 2, 2, 2, 2]);
      } finally {
        await again.close();
      }
    } finally {
      removeDir(dir);
    }
  });
});
