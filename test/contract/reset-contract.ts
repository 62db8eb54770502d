import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { eventually, record, roundRobinAssignor, startConsumer, values, withTopics } from './contract-support.js';
import type { ContractTarget } from './contract-target.js';

/** The admin calls the application reset tool stands on: offsets by timestamp, the group's members, setting its offsets. */
export function resetContract(target: ContractTarget): void {
  describe('admin calls of the reset tool', () => {
    test('offsets for a timestamp: the first record at or after it in offset order; the end offset where none is', async () => {
      await withTopics(target, [{ partitions: 2 }], async (client, admin, [topic]) => {
        const producer = client.producer();
        await producer.connect();
        // Out of order at offset 2: the first record at or after 2500 is offset 1 (3000), before offset 3 (4000).
        await producer.send([1_000, 3_000, 2_000, 4_000].map((timestamp, i) => ({ ...record(topic!, 0, `r${i}`), timestamp })));
        await producer.disconnect();
        const partitions = [0, 1].map((partition) => ({ topic: topic!, partition }));
        const at = async (timestampMs: number) => [...(await admin.offsetsForTimestamp(partitions, timestampMs)).values()];
        assert.deepEqual(await at(0), [0, 0]);
        assert.deepEqual(await at(1_000), [0, 0]);
        assert.deepEqual(await at(1_001), [1, 0]);
        assert.deepEqual(await at(2_500), [1, 0]);
        assert.deepEqual(await at(3_500), [3, 0]);
        assert.deepEqual(await at(4_001), [4, 0], 'past the last record: the end offset');
      });
    });

    test('a group is described with its members; its offsets are set only once it has none, without metadata, and a new member starts there', async () => {
      await withTopics(target, [{ partitions: 1 }], async (client, admin, [topic]) => {
        const groupId = target.uniqueName('reset-group');
        assert.deepEqual(await admin.describeGroup(groupId), { groupId, state: 'dead', members: [] }, 'a group nobody used');
        const producer = client.producer();
        await producer.connect();
        await producer.send(['r0', 'r1', 'r2', 'r3'].map((v) => record(topic!, 0, v)));
        await producer.disconnect();
        const partition = { topic: topic!, partition: 0 };
        const first = await startConsumer(client, target, { groupId, topic: topic!, assignor: roundRobinAssignor(topic!, 'm'), readCommitted: false });
        try {
          await eventually('four records', () => first.handlers.records.length === 4);
          await first.consumer.commitOffsets([{ ...partition, offset: 4, metadata: 'partition-time' }]);
          const described = await admin.describeGroup(groupId);
          assert.equal(described.state, 'stable');
          assert.equal(described.members.length, 1);
          await assert.rejects(admin.setCommittedOffsets(groupId, [{ ...partition, offset: 1 }]), 'refused while the group has a member');
        } finally {
          await first.consumer.stop();
        }
        await eventually('the group empty', async () => (await admin.describeGroup(groupId)).state === 'empty');
        assert.deepEqual((await admin.describeGroup(groupId)).members, []);
        assert.deepEqual((await admin.committedOffsets(groupId, [partition])).get(`${topic}:0`), { offset: 4, metadata: 'partition-time' }, 'the refused call changed nothing');
        await admin.setCommittedOffsets(groupId, [{ ...partition, offset: 1 }]);
        assert.deepEqual((await admin.committedOffsets(groupId, [partition])).get(`${topic}:0`), { offset: 1, metadata: null });
        const next = await startConsumer(client, target, { groupId, topic: topic!, assignor: roundRobinAssignor(topic!, 'm'), readCommitted: false });
        try {
          await eventually('the records from the set offset on', () => next.handlers.records.length >= 3);
          assert.deepEqual(values(next.handlers.records), ['r1', 'r2', 'r3']);
        } finally {
          await next.consumer.stop();
        }
      });
    });
  });
}
