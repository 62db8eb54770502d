import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaStreams, type ProcessingGuarantee } from '../../../src/index.js';
import { kafka, uniqueName } from '../support/broker.js';
import {
  awaitFinalCounts,
  awaitState,
  deleteTopics,
  expectedCounts,
  produceLines,
  removeDir,
  streamsConfig,
  tempStateDir,
  wordCountTopology,
} from './streams-support.js';

const LINES = ['the quick brown fox', 'jumps over the lazy dog', 'The dog barks', 'the fox runs', 'quick quick QUICK'];

for (const guarantee of ['exactly_once', 'at_least_once'] as const satisfies readonly ProcessingGuarantee[]) {
  test(`word count under ${guarantee} produces exact final counts and queryable state`, async () => {
    const client = kafka();
    const input = uniqueName('wc-input');
    const output = uniqueName('wc-output');
    const applicationId = uniqueName('wc-app');
    const stateDir = tempStateDir();
    const admin = client.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: input, numPartitions: 2 }, { topic: output, numPartitions: 2 }], waitForLeaders: true });
    const streams = new KafkaStreams(wordCountTopology(input, output), streamsConfig(applicationId, stateDir, { processingGuarantee: guarantee, commitIntervalMs: 100 }));
    try {
      await streams.start();
      await produceLines(client, input, LINES.map((value, i) => ({ key: `line-${i}`, value })));
      const expected = expectedCounts(LINES);
      await awaitFinalCounts(output, expected);
      await awaitState(streams, 'RUNNING');
      const store = streams.store<string, number>('counts');
      assert.equal(store.get('quick'), 4);
      assert.equal(store.get('the'), 4);
      const all = [...store.all()].map((kv) => [kv.key, kv.value]);
      assert.deepEqual(new Map(all as Array<[string, number]>), expected);
      assert.ok((await admin.listTopics()).includes(`${applicationId}-counts-changelog`));
    } finally {
      assert.equal(await streams.close(), true);
      assert.equal(streams.state(), 'NOT_RUNNING');
      await admin.disconnect();
      await deleteTopics(client, { prefix: applicationId, names: [input, output] });
      removeDir(stateDir);
    }
  });
}
