import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { GroupMember } from '../../src/runtime/client/kafka-client.js';
import { ProductionFailure } from '../../src/runtime/client/production-failure.js';
import { eventually, RecordingHandlers, roundRobinAssignor, startConsumer, withTopics } from './contract-support.js';
import type { ContractTarget } from './contract-target.js';

const fenced = (error: unknown) => error instanceof ProductionFailure && error.kind === 'fenced';

/**
 * KIP-447, which one producer per stream thread relies on: transactional offsets carry the consumer's group member,
 * and the group coordinator refuses them once that member's generation is over. A client without
 * `groupFencedTransactions` (kafkajs) cannot send a member, so these cases do not apply to it.
 */
export function groupFencingContract(target: ContractTarget): void {
  const skip = target.client().groupFencedTransactions ? false : 'the client sends no group member with transactional offsets (no KIP-447)';

  describe('transactional offsets fenced by the group generation (KIP-447)', () => {
    test('offsets sent with the member of the current generation commit; a stale generation or an unknown member fails fenced', { skip }, async () => {
      await withTopics(target, [{ partitions: 2 }], async (client, admin, [topic]) => {
        const groupId = target.uniqueName('kip447');
        const partitions = [0, 1].map((partition) => ({ topic: topic!, partition }));
        const committed = async () => [...(await admin.committedOffsets(groupId, partitions)).values()].map((o) => o?.offset ?? null);
        const first = await startConsumer(client, target, { groupId, topic: topic!, assignor: roundRobinAssignor(topic!, 'first') });
        let second: Awaited<ReturnType<typeof startConsumer>> | undefined;
        const producer = client.transactionalProducer(target.uniqueName('kip447'));
        await producer.connect();
        try {
          await eventually('the first assignment', () => first.handlers.partitions().length === 2);
          const member = first.consumer.groupMember();
          assert.ok(member !== undefined && member.memberId.length > 0, 'a member in the group knows its generation and id');
          const accepted = await producer.begin();
          await accepted.sendOffsets(groupId, [{ topic: topic!, partition: 0, offset: 4 }], member);
          await accepted.commit();
          await eventually('the offset committed with the current generation', async () => (await committed())[0] === 4);

          second = await startConsumer(target.client(), target, { groupId, topic: topic!, assignor: roundRobinAssignor(topic!, 'second') });
          await eventually('a partition each', () => first.handlers.partitions().length === 1 && second!.handlers.partitions().length === 1);
          await eventually('the first member in the next generation', () => (first.consumer.groupMember()?.generationId ?? member.generationId) !== member.generationId);
          const stale = await producer.begin();
          await assert.rejects(stale.sendOffsets(groupId, [{ topic: topic!, partition: 0, offset: 9 }], member), fenced);
          await stale.abort();

          const current = first.consumer.groupMember()!;
          const unknown: GroupMember = { generationId: current.generationId, memberId: `${current.memberId}-gone` };
          const stranger = await producer.begin();
          await assert.rejects(stranger.sendOffsets(groupId, [{ topic: topic!, partition: 1, offset: 9 }], unknown), fenced);
          await stranger.abort();
          assert.deepEqual(await committed(), [4, null], 'neither refused offset counts');
        } finally {
          await producer.disconnect();
          await second?.consumer.stop();
          await first.consumer.stop();
        }
      });
    });

    test('a consumer knows no group member before it joins, and none once stopped', { skip }, async () => {
      await withTopics(target, [{ partitions: 1 }], async (client, _admin, [topic]) => {
        const consumer = client.groupConsumer({ groupId: target.uniqueName('member'), topics: [topic!], assignor: roundRobinAssignor(topic!, 'm'), readCommitted: true, ...target.group });
        assert.equal(consumer.groupMember(), undefined);
        const handlers = new RecordingHandlers();
        await consumer.start(handlers);
        await eventually('the assignment', () => handlers.assignments > 0);
        assert.ok(consumer.groupMember() !== undefined);
        await consumer.stop();
        assert.equal(consumer.groupMember(), undefined);
      });
    });
  });
}
