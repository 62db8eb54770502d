import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaStreams } from '../../../src/index.js';
import { eventually, kafka, uniqueName } from '../support/broker.js';
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

const FIRST = ['alpha beta gamma', 'beta gamma delta', 'gamma delta epsilon', 'alpha alpha zeta', 'eta theta iota kappa'];
const SECOND = ['alpha beta', 'zeta eta theta', 'kappa lambda mu', 'gamma gamma gamma'];

test('two instances share a groupBy word count through its repartition topic; the survivor restores the closed one\'s tasks exactly', async () => {
  const client = kafka();
  const input = uniqueName('two-input');
  const output = uniqueName('two-output');
  const applicationId = uniqueName('two-app');
  const dirs = [tempStateDir(), tempStateDir()];
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: input, numPartitions: 4 }, { topic: output, numPartitions: 2 }], waitForLeaders: true });
  const instances = dirs.map(
    (dir) => new KafkaStreams(wordCountTopology(input, output), streamsConfig(applicationId, dir, { processingGuarantee: 'exactly_once' })),
  );
  const [first, second] = instances as [KafkaStreams, KafkaStreams];
  try {
    await first.start();
    await awaitState(first, 'RUNNING');
    await second.start();
    await eventually('tasks spread over both instances', () => {
      const a = first.metrics().tasks.size;
      const b = second.metrics().tasks.size;
      return first.state() === 'RUNNING' && second.state() === 'RUNNING' && a > 0 && b > 0 && a + b === 8;
    });

    await produceLines(client, input, FIRST.map((value, i) => ({ key: `first-${i}`, value, partition: i % 4 })));
    await awaitFinalCounts(output, expectedCounts(FIRST));
    const secondsTasks = [...second.metrics().tasks.keys()];

    assert.equal(await second.close(), true);
    await eventually('the survivor holds every task', () => first.state() === 'RUNNING' && first.metrics().tasks.size === 8);
    const restored = first.metrics();
    const takenCountTasks = secondsTasks.filter((id) => id.startsWith('1_'));
    assert.ok(takenCountTasks.length > 0, `the second instance held count tasks: ${secondsTasks.join(', ')}`);
    assert.ok(takenCountTasks.some((id) => restored.tasks.get(id)!.restoredRecords > 0), 'the count tasks taken over were restored from their changelog');

    await produceLines(client, input, SECOND.map((value, i) => ({ key: `second-${i}`, value, partition: i % 4 })));
    const expected = expectedCounts([...FIRST, ...SECOND]);
    await awaitFinalCounts(output, expected);
    const store = first.store<string, number>('counts');
    for (const [word, count] of expected) assert.equal(store.get(word), count, `count of ${word}`);
  } finally {
    await Promise.all(instances.map((s) => s.close()));
    await admin.disconnect();
    await deleteTopics(client, { prefix: applicationId, names: [input, output] });
    dirs.forEach(removeDir);
  }
});
