import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import kafkajs from 'kafkajs';
import { readToEnd } from '../../../scripts/committed-reader/committed-reader.js';
import type { RawRecord, TopicPartition } from '../../../src/processing/raw-record.js';
import type { GroupAssignor, KafkaClient } from '../../../src/runtime/client/kafka-client.js';
import { PlatformaticGroupConsumer } from '../../../src/runtime/platformatic/platformatic-group-consumer.js';
import { eventually, record, RecordingHandlers, roundRobinAssignor, startConsumer, values, withTopics } from '../../contract/contract-support.js';
import { brokers, kafka, uniqueName } from '../support/broker.js';
import { brokerContractTarget } from '../support/broker-contract-target.js';

/** The whole platformatic client (the contract itself runs on it in client-contract.test.ts); these are the read side's own cases. */
const target = brokerContractTarget('platformatic');
const connection = () => ({ bootstrapServers: brokers(), clientId: uniqueName('plat-cases') });

/** The member assignment the broker stored for each member of `groupId`, read with kafkajs' admin. */
async function storedAssignments(groupId: string): Promise<Array<{ [topic: string]: number[] }>> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    const [group] = (await admin.describeGroups([groupId])).groups;
    return group!.members.map((m) => kafkajs.AssignerProtocol.MemberAssignment.decode(m.memberAssignment)!.assignment);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Producers A and B write into one partition with transactions interleaved, several aborted per producer, with
 * committed ones between them: only b2 and a5 are committed.
 */
async function writeInterleavedTransactions(client: KafkaClient, topic: string): Promise<void> {
  const [a, b] = ['a', 'b'].map((name) => client.transactionalProducer(uniqueName(`interleaved-${name}`)));
  for (const producer of [a!, b!]) await producer.connect();
  const send = (txn: { send: (r: ReturnType<typeof record>[]) => Promise<unknown> }, value: string) => txn.send([record(topic, 0, value)]);
  try {
    const a1 = await a!.begin();
    await send(a1, 'aborted-a1');
    const b1 = await b!.begin();
    await send(b1, 'aborted-b1');
    await send(a1, 'aborted-a2');
    await b1.abort();
    await a1.abort();
    const b2 = await b!.begin();
    await send(b2, 'committed-b2');
    const a2 = await a!.begin();
    await send(a2, 'aborted-a3');
    await b2.commit();
    await send(a2, 'aborted-a4');
    await a2.abort();
    const a3 = await a!.begin();
    await send(a3, 'committed-a5');
    const b3 = await b!.begin();
    await send(b3, 'aborted-b3');
    await a3.commit();
    await b3.abort();
  } finally {
    for (const producer of [a!, b!]) await producer.disconnect();
  }
}

describe('platformatic read side', () => {
  test('a member alone in its group gets what our assignor gives it, not every partition', async () => {
    await withTopics(target, [{ partitions: 3 }], async (_client, _admin, [topic]) => {
      const groupId = uniqueName('alone');
      const calls: string[][] = [];
      const onlyPartitionOne: GroupAssignor = {
        memberUserData: () => Buffer.from('alone'),
        assign: (members) => {
          calls.push(members.map((m) => m.userData.toString()));
          return new Map(members.map((m) => [m.memberId, [{ topic: topic!, partition: 1 }]]));
        },
      };
      const consumer = new PlatformaticGroupConsumer(connection(), { groupId, topics: [topic!], assignor: onlyPartitionOne, readCommitted: true, ...target.group });
      const handlers = new RecordingHandlers();
      await consumer.start(handlers);
      try {
        await eventually('the assignment', () => handlers.assignments > 0);
        assert.deepEqual(calls, [['alone']]);
        assert.deepEqual(handlers.partitions(), [1]);
        assert.deepEqual(await storedAssignments(groupId), [{ [topic!]: [1] }]);
        assert.equal(consumer.groupMember()?.generationId, 1);
      } finally {
        await consumer.stop();
      }
    });
  });

  test('interleaved aborted transactions of two producers, several each, are all skipped by reader, tailer and consumer', async () => {
    await withTopics(target, [{ partitions: 1 }], async (client, admin, [topic]) => {
      await writeInterleavedTransactions(client, topic!);
      const end = async () => (await admin.endOffsets([{ topic: topic!, partition: 0 }])).get(`${topic}:0`)!;
      // 8 records and 6 markers; the coordinator writes the last marker after EndTxn answers.
      await eventually('the last marker', async () => (await end()) === 14);
      const committed = (await readToEnd(brokers().join(','), [topic!])).map((r) => `${r.value?.toString()}@${r.offset}`);
      assert.deepEqual(committed.map((r) => r.split('@')[0]), ['committed-b2', 'committed-a5']);
      const seen = (records: readonly RawRecord[]) => records.map((r) => `${r.value?.toString()}@${r.offset}`);

      const restored: RawRecord[] = [];
      await client.changelogReader().read([{ topic: topic!, partition: 0, from: 0, to: 14 }], (records) => restored.push(...records));
      assert.deepEqual(seen(restored), committed);

      const tailer = client.partitionTailer();
      const tailed: RawRecord[] = [];
      await tailer.start([{ topic: topic!, partition: 0, offset: 0 }], (records) => tailed.push(...records), (error) => assert.fail(String(error)));
      try {
        await eventually('both committed records tailed', () => tailed.length >= 2);
      } finally {
        await tailer.stop();
      }
      assert.deepEqual(seen(tailed), committed);

      const { consumer, handlers } = await startConsumer(client, target, { groupId: uniqueName('interleaved'), topic: topic!, assignor: roundRobinAssignor(topic!, 'm') });
      try {
        await eventually('the position past the last marker', () => handlers.positions.get(0) === 14);
        assert.deepEqual(seen(handlers.records), committed);
      } finally {
        await consumer.stop();
      }
    });
  });

  test('pauses and seeks made in onAssignment hold before anything is fetched; a seek while paused applies on resume', async () => {
    await withTopics(target, [{ partitions: 2 }], async (client, _admin, [topic]) => {
      const producer = client.producer();
      await producer.connect();
      await producer.send(['a', 'b', 'c', 'd'].flatMap((v) => [record(topic!, 0, `p0-${v}`), record(topic!, 1, `p1-${v}`)]));
      await producer.disconnect();
      const p0: TopicPartition = { topic: topic!, partition: 0 };
      const consumer = new PlatformaticGroupConsumer(connection(), { groupId: uniqueName('paused'), topics: [topic!], assignor: roundRobinAssignor(topic!, 'm'), readCommitted: true, ...target.group });
      const handlers = new RecordingHandlers();
      const onAssignment = handlers.onAssignment.bind(handlers);
      handlers.onAssignment = (partitions) => {
        onAssignment(partitions);
        consumer.pause([p0]);
        consumer.seek(p0, 1);
      };
      await consumer.start(handlers);
      try {
        await eventually('partition 1', () => values(handlers.records).length === 4);
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.deepEqual(values(handlers.records), ['p1-a', 'p1-b', 'p1-c', 'p1-d'], 'nothing of the paused partition');
        consumer.seek(p0, 2);
        consumer.resume([p0]);
        await eventually('partition 0 from the last seek', () => handlers.records.length === 6);
        assert.deepEqual(values(handlers.records).slice(4), ['p0-c', 'p0-d']);
      } finally {
        await consumer.stop();
      }
    });
  });

  test('committed metadata round-trips: commitOffsets with and without metadata, read back by the admin', async () => {
    await withTopics(target, [{ partitions: 2 }], async (client, admin, [topic]) => {
      const groupId = uniqueName('metadata');
      const { consumer, handlers } = await startConsumer(client, target, { groupId, topic: topic!, assignor: roundRobinAssignor(topic!, 'm') });
      try {
        await eventually('the assignment', () => handlers.assignments > 0);
        // Kafka Streams' partition time: base64 of version 1 and an 8-byte time.
        await consumer.commitOffsets([{ topic: topic!, partition: 0, offset: 0, metadata: 'AQAAAAAAAAPo' }, { topic: topic!, partition: 1, offset: 0 }]);
      } finally {
        await consumer.stop();
      }
      const partitions = [0, 1].map((partition) => ({ topic: topic!, partition }));
      assert.deepEqual([...(await admin.committedOffsets(groupId, partitions)).values()], [{ offset: 0, metadata: 'AQAAAAAAAAPo' }, { offset: 0, metadata: null }]);
    });
  });
});
