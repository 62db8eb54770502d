import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { eventually, record, roundRobinAssignor, startConsumer, values, withTopics } from './contract-support.js';
import type { ContractTarget } from './contract-target.js';

/** The group consumer: our assignor on the leader, rebalances as members come and go, seeks, commits. */
export function groupContract(target: ContractTarget): void {
  describe('group consumer', () => {
    test('the leader runs our assignor with every member’s user data; a joining member triggers a rebalance, a leaving one another', async () => {
      await withTopics(target, [{ partitions: 4 }], async (client, _admin, [topic]) => {
        const groupId = target.uniqueName('group');
        const seen: string[] = [];
        const first = await startConsumer(client, target, { groupId, topic: topic!, assignor: roundRobinAssignor(topic!, 'first', seen) });
        let second: Awaited<ReturnType<typeof startConsumer>> | undefined;
        try {
          await eventually('the first assignment', () => first.handlers.partitions().length === 4);
          assert.deepEqual(seen, ['first']);
          const rebalancesBefore = first.handlers.rebalances;
          second = await startConsumer(target.client(), target, { groupId, topic: topic!, assignor: roundRobinAssignor(topic!, 'second', seen) });
          await eventually('two partitions each', () => first.handlers.partitions().length === 2 && second!.handlers.partitions().length === 2);
          assert.ok(first.handlers.rebalances > rebalancesBefore, 'the first member heard of the rebalance');
          assert.deepEqual([...first.handlers.partitions(), ...second.handlers.partitions()].sort(), [0, 1, 2, 3]);
          assert.deepEqual(seen.slice(-2), ['first', 'second'], 'the leader saw both members’ user data');
          await second.consumer.stop();
          second = undefined;
          await eventually('all four back with the first member', () => first.handlers.partitions().length === 4);
          assert.equal(first.handlers.lost, 0);
          assert.equal(first.handlers.crash, undefined);
        } finally {
          await second?.consumer.stop();
          await first.consumer.stop();
        }
      });
    });

    test('describing the group shows each member’s subscription user data and its partitions once the group is stable', async () => {
      await withTopics(target, [{ partitions: 4 }], async (client, admin, [topic]) => {
        const groupId = target.uniqueName('described');
        const first = await startConsumer(client, target, { groupId, topic: topic!, assignor: roundRobinAssignor(topic!, 'first') });
        const second = await startConsumer(target.client(), target, { groupId, topic: topic!, assignor: roundRobinAssignor(topic!, 'second') });
        try {
          await eventually('two partitions each', () => first.handlers.partitions().length === 2 && second.handlers.partitions().length === 2);
          let described = { stable: false, members: [] } as Awaited<ReturnType<typeof admin.describeGroupMembers>>;
          await eventually('a stable group of two', async () => {
            described = await admin.describeGroupMembers(groupId);
            return described.stable && described.members.length === 2;
          });
          const byUserData = new Map(described.members.map((m) => [m.userData.toString(), m.assignment.map((p) => p.partition).sort()]));
          assert.deepEqual(byUserData, new Map([['first', first.handlers.partitions().sort()], ['second', second.handlers.partitions().sort()]]));
          assert.ok(described.members.every((m) => m.assignment.every((p) => p.topic === topic)));
        } finally {
          await second.consumer.stop();
          await first.consumer.stop();
        }
      });
    });

    test('records arrive per partition with offsets and headers; a seek reads again; pausing stops a partition until resumed', async () => {
      await withTopics(target, [{ partitions: 2 }], async (client, _admin, [topic]) => {
        const producer = client.producer();
        await producer.connect();
        await producer.send([record(topic!, 0, 'p0-a'), record(topic!, 0, 'p0-b'), record(topic!, 1, 'p1-a')]);
        const { consumer, handlers } = await startConsumer(client, target, { groupId: target.uniqueName('seek'), topic: topic!, assignor: roundRobinAssignor(topic!, 'm') });
        try {
          await eventually('three records', () => handlers.records.length === 3);
          const second = handlers.records.find((r) => r.value?.toString() === 'p0-b')!;
          assert.equal(second.partition, 0);
          assert.equal(second.offset, 1);
          assert.equal(second.headers.lastHeader('origin')?.value?.toString(), 'contract');
          consumer.seek({ topic: topic!, partition: 0 }, 1);
          await eventually('p0-b again', () => values(handlers.records).filter((v) => v === 'p0-b').length === 2);
          consumer.pause([{ topic: topic!, partition: 1 }]);
          await producer.send([record(topic!, 1, 'p1-paused'), record(topic!, 0, 'p0-c')]);
          await eventually('p0-c', () => values(handlers.records).includes('p0-c'));
          assert.ok(!values(handlers.records).includes('p1-paused'), 'a paused partition delivers nothing');
          consumer.resume([{ topic: topic!, partition: 1 }]);
          await eventually('p1-paused after the resume', () => values(handlers.records).includes('p1-paused'));
        } finally {
          await consumer.stop();
          await producer.disconnect();
        }
      });
    });

    test('the fetch position passes transaction markers and aborted records, which are never handed over', async () => {
      await withTopics(target, [{ partitions: 1 }], async (client, _admin, [topic]) => {
        const producer = client.transactionalProducer(target.uniqueName('position'));
        await producer.connect();
        const committed = await producer.begin();
        await committed.send([record(topic!, 0, 'c1'), record(topic!, 0, 'c2')]);
        await committed.commit();
        const aborted = await producer.begin();
        await aborted.send([record(topic!, 0, 'a1')]);
        await aborted.abort();
        await producer.disconnect();
        // c1 0, c2 1, commit marker 2, a1 3, abort marker 4: the consumer reads on from 5.
        const { consumer, handlers } = await startConsumer(client, target, { groupId: target.uniqueName('position'), topic: topic!, assignor: roundRobinAssignor(topic!, 'm') });
        try {
          await eventually('the position past the abort marker', () => handlers.positions.get(0) === 5);
          assert.deepEqual(values(handlers.records), ['c1', 'c2']);
        } finally {
          await consumer.stop();
        }
      });
    });

    test('offsets committed by a member are the group position, with their metadata; a new member starts there', async () => {
      await withTopics(target, [{ partitions: 1 }], async (client, admin, [topic]) => {
        const groupId = target.uniqueName('commit');
        const producer = client.producer();
        await producer.connect();
        await producer.send(['r0', 'r1', 'r2'].map((v) => record(topic!, 0, v)));
        await producer.disconnect();
        const first = await startConsumer(client, target, { groupId, topic: topic!, assignor: roundRobinAssignor(topic!, 'm'), readCommitted: false });
        try {
          await eventually('three records', () => first.handlers.records.length === 3);
          await first.consumer.commitOffsets([{ topic: topic!, partition: 0, offset: 2, metadata: 'partition-time' }]);
        } finally {
          await first.consumer.stop();
        }
        assert.deepEqual((await admin.committedOffsets(groupId, [{ topic: topic!, partition: 0 }])).get(`${topic}:0`), { offset: 2, metadata: 'partition-time' });
        const next = await startConsumer(client, target, { groupId, topic: topic!, assignor: roundRobinAssignor(topic!, 'm'), readCommitted: false });
        try {
          await eventually('the record after the committed offset', () => next.handlers.records.length >= 1);
          assert.deepEqual(values(next.handlers.records), ['r2']);
        } finally {
          await next.consumer.stop();
        }
      });
    });
  });
}
