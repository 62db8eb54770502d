import kafkajs from 'kafkajs';
import type { Admin, Kafka } from 'kafkajs';
import { groupStateName } from '../client/group-state.js';
import type { CommittedOffset, GroupDescription, KafkaAdmin, PartitionOffset, TopicSpec } from '../client/kafka-client.js';
import type { TopicPartition } from '../../processing/raw-record.js';
import { topicPartitionKey } from '../../state/changelog.js';
import { classifyBrokerFailures, kafkaErrorType } from './kafkajs-errors.js';
import { groupByTopic } from './kafkajs-records.js';
import type { GroupMembersMetadata } from '../client/kafka-client.js';

/** How long a topic just created may take to have a leader for every partition, and how often to look. */
const LEADER_WAIT_MS = 30_000;
const LEADER_POLL_MS = 100;
/** What the broker answers about a topic it is still creating. */
const TOPIC_NOT_READY = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/**
 * The admin calls of the runtime. Every failure is a `BrokerFailure` saying whether it is worth retrying: kafkajs
 * does not retry some calls at all (`fetchOffsets` fails at once on a coordinator that is still loading after a
 * broker restart), so the runtime decides.
 */
export class KafkajsAdmin implements KafkaAdmin {
  private readonly admin: Admin;

  constructor(kafka: Kafka) {
    this.admin = kafka.admin();
  }

  connect(): Promise<void> {
    return classifyBrokerFailures('admin connect', () => this.admin.connect());
  }

  /** kafkajs hands the consumer protocol bytes over as they are; its own protocol helpers decode them. */
  describeGroupMembers(groupId: string): Promise<GroupMembersMetadata> {
    return classifyBrokerFailures('describing the group members', async () => {
      const [group] = (await this.admin.describeGroups([groupId])).groups;
      if (group === undefined || group.state !== 'Stable') return { stable: false, members: [] };
      const { AssignerProtocol } = kafkajs;
      const members = group.members.map((m) => {
        const assigned = AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment ?? {};
        return {
          memberId: m.memberId,
          userData: AssignerProtocol.MemberMetadata.decode(m.memberMetadata)?.userData ?? Buffer.alloc(0),
          assignment: Object.entries(assigned).flatMap(([topic, partitions]) => partitions.map((partition) => ({ topic, partition }))),
        };
      });
      return { stable: true, members };
    });
  }

  partitionCounts(topics: readonly string[]): Promise<Map<string, number | undefined>> {
    return classifyBrokerFailures('reading partition counts', async () => {
      const existing = new Set(await this.admin.listTopics());
      const present = topics.filter((t) => existing.has(t));
      const counts = new Map<string, number | undefined>(topics.map((t) => [t, undefined]));
      if (present.length > 0) {
        const metadata = await this.admin.fetchTopicMetadata({ topics: present });
        for (const topic of metadata.topics) counts.set(topic.name, topic.partitions.length);
      }
      return counts;
    });
  }

  createTopics(topics: readonly TopicSpec[]): Promise<void> {
    return classifyBrokerFailures('creating topics', async () => {
      const existing = new Set(await this.admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t.name));
      if (missing.length === 0) return;
      await this.admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((t) => ({
          topic: t.name,
          numPartitions: t.partitions,
          configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
        })),
      });
      await this.waitForLeaders(missing.map((t) => t.name));
    });
  }

  /**
   * kafkajs' own `waitForLeaders` gives up on the first UNKNOWN_TOPIC_OR_PARTITION, which a busy broker answers for a
   * moment after creating the topic; this waits that out too, until every partition has a leader.
   */
  private async waitForLeaders(topics: readonly string[]): Promise<void> {
    const deadline = Date.now() + LEADER_WAIT_MS;
    for (;;) {
      try {
        const metadata = await this.admin.fetchTopicMetadata({ topics: [...topics] });
        if (metadata.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
      } catch (error) {
        if (!TOPIC_NOT_READY.has(kafkaErrorType(error) ?? '') || Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline) throw new Error(`topics ${topics.join(', ')} have partitions without a leader after ${LEADER_WAIT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, LEADER_POLL_MS));
    }
  }

  deleteTopics(topics: readonly string[]): Promise<void> {
    return classifyBrokerFailures('deleting topics', async () => {
      if (topics.length > 0) await this.admin.deleteTopics({ topics: [...topics] });
    });
  }

  listTopics(): Promise<string[]> {
    return classifyBrokerFailures('listing topics', () => this.admin.listTopics());
  }

  committedOffsets(groupId: string, partitions: readonly TopicPartition[]): Promise<Map<string, CommittedOffset | null>> {
    return classifyBrokerFailures('reading committed offsets', async () => {
      const result = new Map<string, CommittedOffset | null>();
      const topics = [...groupByTopic(partitions).keys()];
      for (const { topic, partitions: fetched } of await this.admin.fetchOffsets({ groupId, topics })) {
        for (const p of fetched) {
          // kafkajs reports "no committed offset" as -1.
          const offset = Number(p.offset);
          result.set(topicPartitionKey(topic, p.partition), offset < 0 ? null : { offset, metadata: p.metadata });
        }
      }
      return new Map(partitions.map((p) => [topicPartitionKey(p.topic, p.partition), result.get(topicPartitionKey(p.topic, p.partition)) ?? null]));
    });
  }

  endOffsets(partitions: readonly TopicPartition[]): Promise<Map<string, number>> {
    return classifyBrokerFailures('reading end offsets', () => this.offsets(partitions, 'high'));
  }

  beginningOffsets(partitions: readonly TopicPartition[]): Promise<Map<string, number>> {
    return classifyBrokerFailures('reading beginning offsets', () => this.offsets(partitions, 'low'));
  }

  /** kafkajs answers -1 where no record has a timestamp at or after the one asked, and then gives the end offset itself. */
  offsetsForTimestamp(partitions: readonly TopicPartition[], timestampMs: number): Promise<Map<string, number>> {
    return classifyBrokerFailures('reading offsets for a timestamp', async () => {
      const result = new Map<string, number>();
      for (const [topic, wanted] of groupByTopic(partitions)) {
        const offsets = await this.admin.fetchTopicOffsetsByTimestamp(topic, timestampMs);
        for (const p of wanted) {
          const found = offsets.find((o) => o.partition === p.partition);
          if (found) result.set(topicPartitionKey(topic, p.partition), Number(found.offset));
        }
      }
      return result;
    });
  }

  describeGroup(groupId: string): Promise<GroupDescription> {
    return classifyBrokerFailures('describing the group', async () => {
      const [group] = (await this.admin.describeGroups([groupId])).groups;
      if (group === undefined) return { groupId, state: 'dead', members: [] };
      return { groupId, state: groupStateName(group.state), members: group.members.map((m) => ({ memberId: m.memberId, clientId: m.clientId, host: m.clientHost })) };
    });
  }

  /**
   * kafkajs' `setOffsets`, one topic at a time: it joins the group with a consumer of its own, commits the offsets
   * as that member and leaves; it refuses (as the coordinator would) while the group has members.
   */
  setCommittedOffsets(groupId: string, offsets: readonly PartitionOffset[]): Promise<void> {
    return classifyBrokerFailures('setting committed offsets', async () => {
      for (const [topic, list] of groupByTopic(offsets)) {
        await this.admin.setOffsets({ groupId, topic, partitions: list.map((o) => ({ partition: o.partition, offset: String(o.offset) })) });
      }
    });
  }

  disconnect(): Promise<void> {
    return this.admin.disconnect();
  }

  private async offsets(partitions: readonly TopicPartition[], which: 'high' | 'low'): Promise<Map<string, number>> {
    const result = new Map<string, number>();
    for (const [topic, wanted] of groupByTopic(partitions)) {
      const offsets = await this.admin.fetchTopicOffsets(topic);
      for (const p of wanted) {
        const found = offsets.find((o) => o.partition === p.partition);
        if (found) result.set(topicPartitionKey(topic, p.partition), Number(found[which]));
      }
    }
    return result;
  }
}
