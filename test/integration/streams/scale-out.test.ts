import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Kafka } from 'kafkajs';
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

/** Three batches of lines, one before the scale-out, one after it, one after the second instance came back. */
const BATCHES = {
  before: ['one two three', 'two three four', 'three four five', 'one one six', 'seven eight nine ten'],
  scaledOut: ['one two', 'six seven eight', 'ten eleven twelve', 'three three three'],
  rejoined: ['twelve thirteen', 'fourteen fifteen one', 'sixteen two seventeen'],
};
const produceBatch = (client: Kafka, topic: string, name: keyof typeof BATCHES) =>
  produceLines(client, topic, BATCHES[name].map((value, i) => ({ key: `${name}-${i}`, value, partition: i % 4 })));

/** Word count over 4 partitions: sub-topology 0 (split, repartition) is stateless, 1 (count) is stateful. */
const tasksOf = (streams: KafkaStreams, subtopology: number) =>
  [...streams.metrics().tasks.keys()].filter((id) => id.startsWith(`${subtopology}_`)).sort();

/** Both instances run, and each holds two tasks of each sub-topology. */
async function awaitSpread(a: KafkaStreams, b: KafkaStreams, what: string): Promise<void> {
  const spread = () => [a, b].every((s) => s.state() === 'RUNNING' && tasksOf(s, 0).length === 2 && tasksOf(s, 1).length === 2);
  await eventually(what, spread, 60_000).catch((error: Error) => {
    const held = [a, b].map((s) => [...s.metrics().tasks.keys()].sort().join(','));
    throw new Error(`${error.message}; the instances hold [${held.join('] and [')}]`);
  });
}

test('scale-out keeps stateful tasks with their state and spreads each sub-topology; a rejoining instance gets back the tasks whose state it kept', async () => {
  const client = kafka();
  const input = uniqueName('scale-input');
  const output = uniqueName('scale-output');
  const applicationId = uniqueName('scale-app');
  const dirs = [tempStateDir(), tempStateDir()] as const;
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: input, numPartitions: 4 }, { topic: output, numPartitions: 2 }], waitForLeaders: true });
  const config = (dir: string) => streamsConfig(applicationId, dir, { processingGuarantee: 'exactly_once' });
  const first = new KafkaStreams(wordCountTopology(input, output), config(dirs[0]));
  let second = new KafkaStreams(wordCountTopology(input, output), config(dirs[1]));
  const instances = [first, second];
  try {
    await first.start();
    await awaitState(first, 'RUNNING');
    await produceBatch(client, input, 'before');
    await awaitFinalCounts(output, expectedCounts(BATCHES.before));
    assert.deepEqual(tasksOf(first, 1), ['1_0', '1_1', '1_2', '1_3']);

    await second.start();
    await awaitSpread(first, second, 'the second instance takes half of each sub-topology');
    const kept = tasksOf(first, 1);
    const moved = tasksOf(second, 1);
    const firstMetrics = first.metrics();
    assert.ok(kept.every((id) => firstMetrics.tasks.get(id)!.restoredRecords === 0), 'the stateful tasks the first kept stayed open: nothing restored');
    const secondMetrics = second.metrics();
    assert.ok(moved.some((id) => secondMetrics.tasks.get(id)!.restoredRecords > 0), 'the stateful tasks that moved were restored from their changelog');

    await produceBatch(client, input, 'scaledOut');
    await awaitFinalCounts(output, expectedCounts([...BATCHES.before, ...BATCHES.scaledOut]));

    assert.equal(await second.close(), true);
    await eventually('the first instance holds every task again', () => first.state() === 'RUNNING' && first.metrics().tasks.size === 8, 60_000);

    second = new KafkaStreams(wordCountTopology(input, output), config(dirs[1]));
    instances.push(second);
    await second.start();
    await awaitSpread(first, second, 'the restarted second instance takes half of each sub-topology again');
    assert.deepEqual(tasksOf(second, 1), moved, 'it gets back the stateful tasks whose state is in its directory');

    await produceBatch(client, input, 'rejoined');
    await awaitFinalCounts(output, expectedCounts(Object.values(BATCHES).flat()));
  } finally {
    await Promise.all(instances.map((s) => s.close()));
    await admin.disconnect();
    await deleteTopics(client, { prefix: applicationId, names: [input, output] });
    dirs.forEach(removeDir);
  }
});
