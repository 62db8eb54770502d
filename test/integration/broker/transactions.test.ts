import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Kafka } from 'kafkajs';
import { kafka, uniqueName, withTopics } from '../support/broker.js';
import { consumeUntil } from '../support/consume.js';

function transactionalProducer(client: Kafka, transactionalId: string) {
  return client.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
}

test('a read_committed consumer sees exactly the committed transactions, and committed offsets land with them', async () => {
  const input = uniqueName('smoke-txn-in');
  const output = uniqueName('smoke-txn-out');
  const groupId = uniqueName('smoke-txn-group');
  const client = kafka();
  await withTopics([{ topic: input, numPartitions: 1 }, { topic: output, numPartitions: 1 }], async (admin) => {
    const committer = transactionalProducer(client, uniqueName('committer'));
    const aborter = transactionalProducer(client, uniqueName('aborter'));
    await committer.connect();
    await aborter.connect();
    try {
      const committed = await committer.transaction();
      await committed.send({ topic: output, messages: ['c1', 'c2', 'c3'].map((value) => ({ value })) });
      await committed.sendOffsets({ consumerGroupId: groupId, topics: [{ topic: input, partitions: [{ partition: 0, offset: '5' }] }] });
      await committed.commit();

      const aborted = await aborter.transaction();
      await aborted.send({ topic: output, messages: ['a1', 'a2'].map((value) => ({ value })) });
      await aborted.sendOffsets({ consumerGroupId: groupId, topics: [{ topic: input, partitions: [{ partition: 0, offset: '9' }] }] });
      await aborted.abort();

      // A last committed record marks the end, so "nothing else arrived" is decided by the log, not by a timer.
      const end = await committer.transaction();
      await end.send({ topic: output, messages: [{ value: 'end' }] });
      await end.commit();
    } finally {
      await committer.disconnect();
      await aborter.disconnect();
    }

    const readCommitted = await consumeUntil(output, (m) => m.some((r) => r.value === 'end'));
    assert.deepEqual(readCommitted.map((m) => m.value), ['c1', 'c2', 'c3', 'end']);

    const readUncommitted = await consumeUntil(output, (m) => m.some((r) => r.value === 'end'), { readUncommitted: true });
    assert.deepEqual(readUncommitted.map((m) => m.value), ['c1', 'c2', 'c3', 'a1', 'a2', 'end'], 'the aborted records are in the log');

    const offsets = await admin.fetchOffsets({ groupId, topics: [input] });
    assert.equal(offsets[0]?.partitions[0]?.offset, '5', 'only the committed transaction moved the group offset');
  });
});

test('a second producer with the same transactionalId fences the first', async () => {
  const output = uniqueName('smoke-fence');
  const transactionalId = uniqueName('fenced');
  const client = kafka();
  await withTopics([{ topic: output, numPartitions: 1 }], async () => {
    const zombie = transactionalProducer(client, transactionalId);
    const successor = transactionalProducer(client, transactionalId);
    await zombie.connect();
    await successor.connect();
    try {
      const zombieTxn = await zombie.transaction();
      await zombieTxn.send({ topic: output, messages: [{ value: 'zombie' }] });

      // Fencing happens when the successor begins its first transaction (InitProducerId bumps the epoch).
      const successorTxn = await successor.transaction();
      await successorTxn.send({ topic: output, messages: [{ value: 'successor' }] });

      await assert.rejects(zombieTxn.commit(), (error: Error & { type?: string }) => {
        assert.match(String(error.type ?? error.name), /PRODUCER_FENCED|INVALID_PRODUCER_EPOCH/);
        return true;
      });
      await successorTxn.commit();
    } finally {
      await zombie.disconnect();
      await successor.disconnect();
    }
    const seen = await consumeUntil(output, (m) => m.some((r) => r.value === 'successor'));
    assert.deepEqual(seen.map((m) => m.value), ['successor']);
  });
});
