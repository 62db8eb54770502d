import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Consumer } from 'kafkajs';
import { FAST_CONSUMER, eventually, kafka, uniqueName, withTopics } from '../support/broker.js';

/** Follows the partitions a group member owns, as announced by its latest GROUP_JOIN. */
function trackAssignment(consumer: Consumer, topic: string): { partitions: number[] } {
  const current = { partitions: [] as number[] };
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    current.partitions = [...(payload.memberAssignment[topic] ?? [])].sort((a, b) => a - b);
  });
  return current;
}

test('two members of one group split the partitions, and the survivor takes all when one leaves', async () => {
  const topic = uniqueName('smoke-group');
  const groupId = uniqueName('smoke-group');
  const client = kafka();
  await withTopics([{ topic, numPartitions: 4 }], async () => {
    const members = [client.consumer({ ...FAST_CONSUMER, groupId }), client.consumer({ ...FAST_CONSUMER, groupId })];
    const assignments = members.map((m) => trackAssignment(m, topic));
    try {
      for (const member of members) {
        await member.connect();
        await member.subscribe({ topics: [topic] });
        await member.run({ eachMessage: async () => undefined });
      }
      await eventually('both members own two partitions', () => assignments.every((a) => a.partitions.length === 2));
      const union = [...assignments[0]!.partitions, ...assignments[1]!.partitions].sort((a, b) => a - b);
      assert.deepEqual(union, [0, 1, 2, 3], 'the members split the partitions without overlap');

      await members[1]!.disconnect();
      await eventually('the survivor owns all four partitions', () => assignments[0]!.partitions.length === 4);
      assert.deepEqual(assignments[0]!.partitions, [0, 1, 2, 3]);
    } finally {
      await Promise.all(members.map((m) => m.disconnect()));
    }
  });
});
