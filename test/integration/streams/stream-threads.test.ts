import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaStreams, StreamsError, type StreamsState } from '../../../src/index.js';
import { COUNT_STORE, DISTINCT_PAGES, inputKey, inputPage, pageValue } from '../../../bench/broker/workloads.js';
import { eventually, kafka, uniqueName } from '../support/broker.js';
import { awaitFinalCounts, awaitState, deleteTopics, removeDir, streamsConfig, tempStateDir } from './streams-support.js';

const PARTITIONS = 4;
const RECORDS = 3_000;
/** The groupBy+count workload of the broker bench: views per page, through a repartition topic, in a SQLite store. */
const TOPOLOGY_MODULE = new URL('../../../bench/broker/workloads.ts', import.meta.url).href;

test('two stream threads of one instance count exactly-once, each with its own tasks, and store() answers every key', async () => {
  const client = kafka();
  const input = uniqueName('threads-input');
  const output = uniqueName('threads-output');
  const applicationId = uniqueName('threads-app');
  const stateDir = tempStateDir();
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: input, numPartitions: PARTITIONS }, { topic: output, numPartitions: PARTITIONS }], waitForLeaders: true });
  const producer = client.producer();
  await producer.connect();
  const expected = new Map<string, number>();
  const messages = Array.from({ length: RECORDS }, (_, i) => {
    const page = `/page/${inputPage(i)}`;
    expected.set(page, (expected.get(page) ?? 0) + 1);
    return { key: inputKey(i), value: pageValue(inputPage(i), 40) };
  });
  await producer.send({ topic: input, messages });
  await producer.disconnect();
  const streams = new KafkaStreams(
    { module: TOPOLOGY_MODULE, export: 'groupByCountTopology', args: [input, output] },
    streamsConfig(applicationId, stateDir, { processingGuarantee: 'exactly_once', numStreamThreads: 2 }),
  );
  const states: StreamsState[] = [];
  streams.setStateListener((next) => states.push(next));
  try {
    await streams.start();
    await awaitFinalCounts(output, expected, 120_000);
    await awaitState(streams, 'RUNNING');
    assert.equal(expected.size, DISTINCT_PAGES);
    const store = streams.store<string, number>(COUNT_STORE);
    // The store shows committed state: the output above is committed in the same transactions as the counts.
    await eventually('every count in the store', () => [...expected].every(([page, count]) => store.get(page) === count));
    assert.deepEqual(new Map([...store.all()].map((kv) => [kv.key, kv.value])), expected);
    assert.equal(store.approximateNumEntries(), DISTINCT_PAGES);
    const tasks = [...streams.metrics().tasks.keys()].sort();
    assert.deepEqual(tasks, ['0_0', '0_1', '0_2', '0_3', '1_0', '1_1', '1_2', '1_3']);
    const [group] = (await admin.describeGroups([applicationId])).groups;
    // An adapter may suffix the client id of its group client (platformatic adds `-group`).
    const clientIds = group!.members.map((member) => member.clientId).sort();
    assert.deepEqual(clientIds.map((id, i) => id.startsWith(`${applicationId}-StreamThread-${i + 1}`)), [true, true], clientIds.join(', '));
    assert.ok(group!.members.every((member) => member.memberAssignment.length > 0), 'each thread holds partitions of its own');
  } finally {
    assert.equal(await streams.close(), true);
    assert.equal(streams.state(), 'NOT_RUNNING');
    await admin.disconnect();
    await deleteTopics(client, { prefix: applicationId, names: [input, output] });
    removeDir(stateDir);
  }
  assert.deepEqual(states.slice(0, 2), ['REBALANCING', 'RUNNING']);
});

test("a worker thread's failure reaches the main thread with its code and coordinates, and the client ends in ERROR", async () => {
  const client = kafka();
  const input = uniqueName('threads-poison-input');
  const output = uniqueName('threads-poison-output');
  const applicationId = uniqueName('threads-poison-app');
  const stateDir = tempStateDir();
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: input, numPartitions: 2 }, { topic: output, numPartitions: 2 }], waitForLeaders: true });
  const streams = new KafkaStreams(
    { module: new URL('../../unit/runtime/threads/fixtures/poisoned-topology.ts', import.meta.url).href, export: 'poisonedCopy', args: [input, output, 'poison'] },
    streamsConfig(applicationId, stateDir, { numStreamThreads: 2 }),
  );
  const errors: unknown[] = [];
  streams.setUncaughtExceptionHandler((error) => {
    errors.push(error);
    return 'SHUTDOWN_CLIENT';
  });
  try {
    await streams.start();
    const producer = client.producer();
    await producer.connect();
    await producer.send({ topic: input, messages: [{ key: 'a', value: 'fine', partition: 1 }, { key: 'b', value: 'poison', partition: 1 }] });
    await producer.disconnect();
    await awaitState(streams, 'ERROR');
    assert.equal(errors.length, 1);
    const error = errors[0] as StreamsError;
    assert.ok(error instanceof StreamsError);
    assert.equal(error.code, 'PROCESSING_FAILED');
    assert.equal(error.coordinates.topic, input);
    assert.equal(error.coordinates.partition, 1);
    assert.equal(error.coordinates.offset, 1);
    assert.equal(error.coordinates.taskId, '0_1');
    assert.match(error.message, /^stream thread [12] failed: ProcessingError: /);
  } finally {
    await streams.close();
    await admin.disconnect();
    await deleteTopics(client, { prefix: applicationId, names: [input, output] });
    removeDir(stateDir);
  }
});
