import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Headers } from '../../../src/core/headers.js';
import type { GroupAssignor } from '../../../src/runtime/client/kafka-client.js';
import { KafkajsClient } from '../../../src/runtime/kafka/kafkajs-client.js';
import type { RawRecord, TopicPartition } from '../../../src/processing/raw-record.js';
import { brokers, eventually, uniqueName } from '../support/broker.js';

function client(): KafkajsClient {
  return new KafkajsClient({ bootstrapServers: brokers(), clientId: uniqueName('port-test') });
}

const record = (topic: string, partition: number, value: string) => ({
  topic,
  partition,
  key: Buffer.from(`k-${value}`),
  value: Buffer.from(value),
  headers: Headers.EMPTY.add('origin', 'test'),
  timestamp: 1_000,
});

test('admin creates compacted topics, counts partitions and reports missing topics', async () => {
  const admin = client().admin();
  await admin.connect();
  const topic = uniqueName('port-compacted');
  try {
    await admin.createTopics([{ name: topic, partitions: 3, config: { 'cleanup.policy': 'compact' } }]);
    await admin.createTopics([{ name: topic, partitions: 3, config: {} }]);
    const counts = await admin.partitionCounts([topic, uniqueName('missing')]);
    assert.deepEqual([...counts.values()], [3, undefined]);
  } finally {
    await admin.deleteTopics([topic]);
    await admin.disconnect();
  }
});

test('a transaction reports the offsets it wrote, and its consumer offsets become the group position on commit', async () => {
  const kafka = client();
  const admin = kafka.admin();
  await admin.connect();
  const topic = uniqueName('port-txn');
  const groupId = uniqueName('port-group');
  try {
    await admin.createTopics([{ name: topic, partitions: 2, config: {} }]);
    const producer = kafka.transactionalProducer(uniqueName('port-txn'));
    await producer.connect();
    const txn = await producer.begin();
    const written = await txn.send([record(topic, 1, 'a'), record(topic, 1, 'b'), record(topic, 0, 'c')]);
    assert.deepEqual(Object.fromEntries(written), { [`${topic}:1`]: 1, [`${topic}:0`]: 0 });
    await txn.sendOffsets(groupId, [{ topic, partition: 0, offset: 7 }]);
    await txn.commit();
    await producer.disconnect();

    const committed = await admin.committedOffsets(groupId, [{ topic, partition: 0 }, { topic, partition: 1 }]);
    assert.deepEqual(Object.fromEntries(committed), { [`${topic}:0`]: { offset: 7, metadata: null }, [`${topic}:1`]: null });
    // The commit marker takes an offset of its own: the end of partition 1 is past the two records. The end is the
    // last stable offset, and the coordinator writes commit markers after EndTxn returns, so it moves there shortly.
    await eventually(
      'the end offset of partition 1 to be 3',
      async () => (await admin.endOffsets([{ topic, partition: 1 }])).get(`${topic}:1`) === 3,
      10_000,
    );
  } finally {
    await admin.deleteTopics([topic]);
    await admin.disconnect();
  }
});

test('the group consumer uses the runtime assignor, delivers raw records with headers, and seeks', async () => {
  const kafka = client();
  const admin = kafka.admin();
  await admin.connect();
  const topic = uniqueName('port-group');
  try {
    await admin.createTopics([{ name: topic, partitions: 3, config: {} }]);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send([record(topic, 0, 'p0'), record(topic, 2, 'p2-first'), record(topic, 2, 'p2-second')]);
    await producer.disconnect();

    // An assignor that gives the only member partitions 0 and 2, never 1: proves the runtime decides.
    const seenUserData: string[] = [];
    const assignor: GroupAssignor = {
      memberUserData: () => Buffer.from('hello-leader'),
      assign: (members, partitionCount) => {
        seenUserData.push(...members.map((m) => m.userData.toString()));
        assert.equal(partitionCount(topic), 3);
        return new Map(members.map((m) => [m.memberId, [{ topic, partition: 0 }, { topic, partition: 2 }]]));
      },
    };
    const consumer = kafka.groupConsumer({ groupId: uniqueName('port-group'), topics: [topic], assignor, readCommitted: true });
    const received: RawRecord[] = [];
    let assigned: readonly TopicPartition[] = [];
    await consumer.start({
      onRecords: (records) => received.push(...records),
      onFetchPosition: () => undefined,
      onRebalancing: () => undefined,
      onPartitionsLost: () => undefined,
      onAssignment: (partitions) => (assigned = partitions),
      onCrash: (error) => assert.fail(error),
    });
    try {
      await eventually('three records', () => received.length === 3);
      assert.deepEqual(seenUserData, ['hello-leader']);
      assert.deepEqual([...assigned].sort((a, b) => a.partition - b.partition), [{ topic, partition: 0 }, { topic, partition: 2 }]);
      const second = received.find((r) => r.value?.toString() === 'p2-second')!;
      assert.equal(second.offset, 1);
      assert.equal(second.headers.lastHeader('origin')?.value?.toString(), 'test');

      consumer.seek({ topic, partition: 2 }, 1);
      await eventually('the record at offset 1 again', () => received.filter((r) => r.value?.toString() === 'p2-second').length === 2);
    } finally {
      await consumer.stop();
    }
  } finally {
    await admin.deleteTopics([topic]);
    await admin.disconnect();
  }
});

test('the changelog reader rejects when onRecords throws, and when its signal aborts, instead of reading forever', async () => {
  const kafka = client();
  const admin = kafka.admin();
  await admin.connect();
  const topic = uniqueName('port-changelog');
  try {
    await admin.createTopics([{ name: topic, partitions: 1, config: {} }]);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send([record(topic, 0, 'a'), record(topic, 0, 'b')]);
    await producer.disconnect();
    const reader = kafka.changelogReader();

    const broken = new Error('store write failed');
    let calls = 0;
    const throwing = () => {
      calls++;
      throw broken;
    };
    await assert.rejects(reader.read([{ topic, partition: 0, from: 0, to: 2 }], throwing), (error: unknown) => error === broken);
    assert.equal(calls, 1, 'the failing batch is not fetched and applied again');

    // `to` lies beyond the end, so only the signal can end this read.
    const controller = new AbortController();
    const received: RawRecord[] = [];
    const reading = reader.read([{ topic, partition: 0, from: 0, to: 1_000 }], (records) => {
      received.push(...records);
      controller.abort();
    }, controller.signal);
    await assert.rejects(reading, { name: 'AbortError' });
    assert.equal(received.length, 2);
  } finally {
    await admin.deleteTopics([topic]);
    await admin.disconnect();
  }
});
