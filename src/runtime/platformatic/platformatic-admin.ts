import { Admin, FetchIsolationLevels, ListOffsetTimestamps } from '@platformatic/kafka';
import type { TopicPartition } from '../../processing/raw-record.js';
import { topicPartitionKey } from '../../state/changelog.js';
import { BrokerFailure } from '../client/broker-failure.js';
import { groupStateName } from '../client/group-state.js';
import type { CommittedOffset, GroupDescription, KafkaAdmin, KafkaConnectionConfig, PartitionOffset, TopicSpec } from '../client/kafka-client.js';
import { platformaticBaseOptions } from './platformatic-connection.js';
import { TRANSACTION_TIMEOUT_MS } from './platformatic-producers.js';
import { setTimeout as delay } from 'node:timers/promises';
import { brokerAnswers, classifyBrokerFailures, platformaticBrokerFailure } from './platformatic-errors.js';
import { platformaticAdminRetryOptions } from './platformatic-retry-options.js';
import type { GroupMembersMetadata } from '../client/kafka-client.js';
import { bridgePlatformaticLogs } from './platformatic-log-bridge.js';

/** How long `createTopics` waits for every new partition to have a leader, as kafkajs' `waitForLeaders` does. */
const LEADER_WAIT_MS = 30_000;
const LEADER_POLL_MS = 100;
/** Twice the transaction timeout of the adapter's producers: an open transaction ends well before this. */
const STABLE_OFFSETS_WAIT_MS = 2 * TRANSACTION_TIMEOUT_MS;

function byTopic(partitions: readonly TopicPartition[]): Map<string, number[]> {
  const topics = new Map<string, number[]>();
  for (const { topic, partition } of partitions) topics.set(topic, [...(topics.get(topic) ?? []), partition]);
  return topics;
}

/** The admin calls of the runtime. Every failure is a `BrokerFailure` saying whether it is worth retrying. */
export class PlatformaticAdmin implements KafkaAdmin {
  private readonly admin: Admin;

  constructor(connection: KafkaConnectionConfig) {
    this.admin = new Admin({ ...platformaticBaseOptions(connection, 'admin'), ...platformaticAdminRetryOptions });
    bridgePlatformaticLogs(this.admin, connection, 'admin');
  }

  async connect(): Promise<void> {
    await classifyBrokerFailures('admin connect', () => this.admin.metadata({ topics: [] }));
  }

  /** The library decodes the consumer protocol of each member (subscription user data, assigned partitions). */
  describeGroupMembers(groupId: string): Promise<GroupMembersMetadata> {
    return classifyBrokerFailures('describing the group members', async () => {
      const group = (await this.admin.describeGroups({ groups: [groupId] })).get(groupId);
      if (group === undefined || (group.state !== 'Stable' && group.state !== 'STABLE')) return { stable: false, members: [] };
      const members = [...group.members.values()].map((m) => {
        const userData = m.metadata?.metadata;
        return {
          memberId: m.id,
          userData: userData === undefined ? Buffer.alloc(0) : Buffer.from(userData),
          assignment: [...(m.assignments?.values() ?? [])].flatMap(({ topic, partitions }) => partitions.map((partition) => ({ topic, partition }))),
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
        const metadata = await this.admin.metadata({ topics: present, forceUpdate: true });
        for (const [name, topic] of metadata.topics) if (counts.has(name)) counts.set(name, topic.partitionsCount);
      }
      return counts;
    });
  }

  /** Topics of equal settings go in one request (the library takes one config list per request). */
  createTopics(topics: readonly TopicSpec[]): Promise<void> {
    return classifyBrokerFailures('creating topics', async () => {
      const existing = new Set(await this.admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t.name));
      if (missing.length === 0) return;
      const bySettings = new Map<string, TopicSpec[]>();
      for (const spec of missing) {
        const settings = JSON.stringify(Object.entries(spec.config).sort());
        bySettings.set(settings, [...(bySettings.get(settings) ?? []), spec]);
      }
      for (const specs of bySettings.values()) {
        const configs = Object.entries(specs[0]!.config).map(([name, value]) => ({ name, value }));
        await this.admin.createTopics({ topics: specs.map((t) => ({ topic: t.name, partitions: t.partitions })), configs }).catch((error: unknown) => {
          // Another instance of the application created them first.
          const answers = brokerAnswers(error);
          if (answers.length === 0 || answers.some((answer) => answer !== 'TOPIC_ALREADY_EXISTS')) throw error;
        });
      }
      await this.awaitLeaders(missing);
    });
  }

  deleteTopics(topics: readonly string[]): Promise<void> {
    return classifyBrokerFailures('deleting topics', async () => {
      if (topics.length > 0) await this.admin.deleteTopics({ topics: [...topics] });
    });
  }

  listTopics(): Promise<string[]> {
    return classifyBrokerFailures('listing topics', () => this.admin.listTopics());
  }

  /**
   * OffsetFetch with `requireStable` (v7+, which every broker this adapter talks to has): while a transaction that
   * holds offsets of the group for these partitions is still open, the coordinator answers UNSTABLE_OFFSET_COMMIT
   * instead of the older offsets, so a new owner of a task never starts from offsets a still-open transaction of the
   * previous owner is about to move (KIP-447). As the port asks, that answer is waited out here, as Kafka's Java
   * consumer does in `committed()`: the open transaction ends by its commit, its abort or its timeout.
   */
  async committedOffsets(groupId: string, partitions: readonly TopicPartition[]): Promise<Map<string, CommittedOffset | null>> {
    const deadline = Date.now() + STABLE_OFFSETS_WAIT_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.stableCommittedOffsets(groupId, partitions);
      } catch (error) {
        if (!brokerAnswers(error).includes('UNSTABLE_OFFSET_COMMIT') || Date.now() >= deadline) throw platformaticBrokerFailure('reading committed offsets', error);
        await delay(Math.min(500, 25 * attempt));
      }
    }
  }

  private async stableCommittedOffsets(groupId: string, partitions: readonly TopicPartition[]): Promise<Map<string, CommittedOffset | null>> {
    const topics = [...byTopic(partitions)].map(([name, partitionIndexes]) => ({ name, partitionIndexes }));
    const [group] = await this.admin.listConsumerGroupOffsets({ groups: [{ groupId, topics }], requireStable: true });
    const found = new Map<string, CommittedOffset>();
    for (const topic of group?.topics ?? []) {
      for (const p of topic.partitions) {
        // The broker answers -1 where nothing was committed; a commit without metadata reads back as "".
        if (p.committedOffset >= 0n) found.set(topicPartitionKey(topic.name, p.partitionIndex), { offset: Number(p.committedOffset), metadata: p.metadata === '' || p.metadata === undefined ? null : p.metadata });
      }
    }
    return new Map(partitions.map((p) => [topicPartitionKey(p.topic, p.partition), found.get(topicPartitionKey(p.topic, p.partition)) ?? null]));
  }

  /** ListOffsets read_committed: the last stable offset, where a read_committed reader stops. */
  endOffsets(partitions: readonly TopicPartition[]): Promise<Map<string, number>> {
    return classifyBrokerFailures('reading end offsets', () => this.listOffsets(partitions, ListOffsetTimestamps.LATEST));
  }

  beginningOffsets(partitions: readonly TopicPartition[]): Promise<Map<string, number>> {
    return classifyBrokerFailures('reading beginning offsets', () => this.listOffsets(partitions, ListOffsetTimestamps.EARLIEST));
  }

  /** The broker answers -1 where no record below the last stable offset has such a timestamp: the end offset then. */
  offsetsForTimestamp(partitions: readonly TopicPartition[], timestampMs: number): Promise<Map<string, number>> {
    return classifyBrokerFailures('reading offsets for a timestamp', async () => {
      const found = await this.listOffsets(partitions, BigInt(timestampMs));
      const past = partitions.filter((p) => (found.get(topicPartitionKey(p.topic, p.partition)) ?? -1) < 0);
      const ends = await this.listOffsets(past, ListOffsetTimestamps.LATEST);
      return new Map([...found].map(([key, offset]) => [key, offset < 0 ? ends.get(key)! : offset]));
    });
  }

  describeGroup(groupId: string): Promise<GroupDescription> {
    return classifyBrokerFailures('describing the group', async () => {
      const group = (await this.admin.describeGroups({ groups: [groupId] })).get(groupId);
      if (group === undefined) return { groupId, state: 'dead', members: [] };
      return { groupId, state: groupStateName(group.state), members: [...group.members.values()].map((m) => ({ memberId: m.id, clientId: m.clientId, host: m.clientHost })) };
    });
  }

  /** An OffsetCommit outside any generation (the library's `alterConsumerGroupOffsets`), which commits no metadata. */
  setCommittedOffsets(groupId: string, offsets: readonly PartitionOffset[]): Promise<void> {
    return classifyBrokerFailures('setting committed offsets', async () => {
      const topics = [...byTopic(offsets)].map(([name]) => ({
        name,
        partitionOffsets: offsets.filter((o) => o.topic === name).map((o) => ({ partition: o.partition, offset: BigInt(o.offset) })),
      }));
      if (topics.length > 0) await this.admin.alterConsumerGroupOffsets({ groupId, topics });
    });
  }

  disconnect(): Promise<void> {
    return this.admin.close();
  }

  private async listOffsets(partitions: readonly TopicPartition[], timestamp: bigint): Promise<Map<string, number>> {
    if (partitions.length === 0) return new Map();
    const topics = [...byTopic(partitions)].map(([name, list]) => ({ name, partitions: list.map((partitionIndex) => ({ partitionIndex, timestamp })) }));
    const found = new Map<string, number>();
    for (const topic of await this.admin.listOffsets({ topics, isolationLevel: FetchIsolationLevels.READ_COMMITTED })) {
      for (const p of topic.partitions) found.set(topicPartitionKey(topic.name, p.partitionIndex), Number(p.offset));
    }
    // The brokers answer per leader, in no particular order; callers read the map in the order they asked.
    const result = new Map<string, number>();
    for (const { topic, partition } of partitions) {
      const key = topicPartitionKey(topic, partition);
      const offset = found.get(key);
      if (offset !== undefined) result.set(key, offset);
    }
    return result;
  }

  /** New partitions have no leader for a moment; producing or fetching before one is elected would fail. */
  private async awaitLeaders(topics: readonly TopicSpec[]): Promise<void> {
    const deadline = Date.now() + LEADER_WAIT_MS;
    for (;;) {
      const metadata = await this.admin.metadata({ topics: topics.map((t) => t.name), forceUpdate: true }).catch(() => undefined);
      const ready = topics.every((t) => {
        const topic = metadata?.topics.get(t.name);
        return topic !== undefined && topic.partitionsCount >= t.partitions && topic.partitions.every((p) => p.leader >= 0);
      });
      if (ready) return;
      if (Date.now() > deadline) throw new BrokerFailure(`the new topics ${topics.map((t) => t.name).join(', ')} have no leader for every partition after ${LEADER_WAIT_MS} ms`, { retriable: true });
      await new Promise((resolve) => setTimeout(resolve, LEADER_POLL_MS));
    }
  }
}
