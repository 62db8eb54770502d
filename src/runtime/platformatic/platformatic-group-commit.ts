import { promisify } from 'node:util';
import { kGetApi, type Consumer, type offsetCommitV9 } from '@platformatic/kafka';
import type { GroupMember, OffsetAndMetadata } from '../client/kafka-client.js';
import { classifyReadFailures } from './platformatic-fetch-errors.js';


type OffsetCommitApi = ((connection: unknown, groupId: string, generationId: number, memberId: string, groupInstanceId: string | null, topics: offsetCommitV9.OffsetCommitRequestTopic[], callback: (error: unknown, response: unknown) => void) => void);

/**
 * Commits `offsets` for `member` with their metadata. @platformatic/kafka's `consumer.commit()` always sends
 * `committedMetadata: null`, and Kafka Streams keeps the partition time there, so the OffsetCommit request is made
 * here: the version the broker and the library share (as `commit()` picks it), on the member client's connection to
 * the group coordinator, with the group id, generation and member id of the member's current generation.
 */
export async function commitWithMetadata(client: Consumer, member: GroupMember, offsets: readonly OffsetAndMetadata[]): Promise<void> {
  const topics = new Map<string, offsetCommitV9.OffsetCommitRequestTopic>();
  for (const o of offsets) {
    let entry = topics.get(o.topic);
    if (entry === undefined) topics.set(o.topic, (entry = { name: o.topic, partitions: [] }));
    entry.partitions.push({ partitionIndex: o.partition, committedOffset: BigInt(o.offset), committedLeaderEpoch: -1, committedMetadata: o.metadata ?? null });
  }
  await classifyReadFailures('committing offsets', async () => {
    const coordinator = await client.findGroupCoordinator();
    const broker = (await client.metadata({ topics: [] })).brokers.get(coordinator);
    if (broker === undefined) throw Object.assign(new Error(`the group coordinator ${coordinator} is not in the cluster metadata`), { apiId: 'NOT_COORDINATOR' });
    const connection = await client.connections.get(broker);
    const getApi = promisify((name: string, callback: (error: Error | null, api: OffsetCommitApi) => void) => client[kGetApi](name, callback as never));
    const api = await getApi('OffsetCommit');
    await promisify(api)(connection, client.groupId, member.generationId, member.memberId, member.groupInstanceId ?? null, [...topics.values()]);
  });
}
