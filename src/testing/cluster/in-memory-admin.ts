import type { CommittedOffset, GroupDescription, KafkaAdmin, PartitionOffset, TopicSpec } from '../../runtime/client/kafka-client.js';
import type { TopicPartition } from '../../processing/raw-record.js';
import { topicPartitionKey } from '../../state/changelog.js';
import type { ClusterBackend } from './cluster-backend.js';
import type { OperationKind } from './cluster-faults.js';
import { KafkaError, toBrokerFailure } from './kafka-error.js';
import type { GroupMembersMetadata } from '../../runtime/client/kafka-client.js';

/** How long a stable offset fetch waits at most before asking again, when no change of the cluster woke it (wall-clock). */
const UNSTABLE_RETRY_MS = 20;

/**
 * The admin calls of the port; like the kafkajs adapter, every failure is a `BrokerFailure`. With
 * `requireStable` (a client with KIP-447), `committedOffsets` waits while an open transaction holds offsets for one
 * of the partitions, asking again on each change of the cluster, as Kafka's consumer retries UNSTABLE_OFFSET_COMMIT.
 */
export class InMemoryAdmin implements KafkaAdmin {
  constructor(
    private readonly cluster: ClusterBackend,
    private readonly client: string,
    private readonly requireStable: boolean,
  ) {}

  connect(): Promise<void> {
    return this.call('connect', 'admin connect', () => undefined);
  }

  describeGroupMembers(groupId: string): Promise<GroupMembersMetadata> {
    return this.call('describeGroup', 'describing the group members', () => this.cluster.group(groupId).describeMembers());
  }

  partitionCounts(topics: readonly string[]): Promise<Map<string, number | undefined>> {
    return this.call('metadata', 'reading partition counts', () => new Map(topics.map((t) => [t, this.cluster.topics.get(t)?.partitions.length])));
  }

  /** Existing topics are left as they are, as the kafkajs adapter does. */
  createTopics(topics: readonly TopicSpec[]): Promise<void> {
    return this.call('createTopics', 'creating topics', () => {
      for (const t of topics) this.cluster.topics.create(t.name, t.partitions, t.config);
      this.cluster.changed();
    });
  }

  deleteTopics(topics: readonly string[]): Promise<void> {
    return this.call('deleteTopics', 'deleting topics', () => {
      for (const t of topics) this.cluster.deleteTopic(t);
    });
  }

  listTopics(): Promise<string[]> {
    return this.call('metadata', 'listing topics', () => this.cluster.topics.names());
  }

  async committedOffsets(groupId: string, partitions: readonly TopicPartition[]): Promise<Map<string, CommittedOffset | null>> {
    const fetch = () =>
      this.cluster.operate({ kind: 'fetchOffsets', client: this.client, groupId }, () => {
        const group = this.cluster.group(groupId);
        const unstable = this.requireStable ? partitions.find((p) => group.hasPendingOffsets(p)) : undefined;
        if (unstable !== undefined) throw new KafkaError('UNSTABLE_OFFSET_COMMIT', `an open transaction holds offsets of ${topicPartitionKey(unstable.topic, unstable.partition)} for group ${groupId}`);
        return new Map(partitions.map((p) => [topicPartitionKey(p.topic, p.partition), group.committedOffset(p)]));
      });
    for (;;) {
      try {
        return await fetch();
      } catch (error) {
        if (!(error instanceof KafkaError && error.code === 'UNSTABLE_OFFSET_COMMIT')) throw toBrokerFailure('reading committed offsets', error);
      }
      await this.nextChange();
    }
  }

  /** The last stable offset, as kafkajs' ListOffsets asks for it (read_committed): where a restoration must read to. */
  endOffsets(partitions: readonly TopicPartition[]): Promise<Map<string, number>> {
    return this.call('listOffsets', 'reading end offsets', () => new Map(partitions.map((p) => [topicPartitionKey(p.topic, p.partition), this.cluster.topics.log(p).lastStableOffset()])));
  }

  beginningOffsets(partitions: readonly TopicPartition[]): Promise<Map<string, number>> {
    return this.call('listOffsets', 'reading beginning offsets', () => new Map(partitions.map((p) => [topicPartitionKey(p.topic, p.partition), this.cluster.topics.log(p).logStartOffset()])));
  }

  offsetsForTimestamp(partitions: readonly TopicPartition[], timestampMs: number): Promise<Map<string, number>> {
    return this.call('listOffsets', 'reading offsets for a timestamp', () =>
      new Map(partitions.map((p) => {
        const log = this.cluster.topics.log(p);
        return [topicPartitionKey(p.topic, p.partition), log.offsetForTimestamp(timestampMs, 'read_committed') ?? log.lastStableOffset()];
      })),
    );
  }

  /** A group the cluster never saw is `dead`, as Kafka's coordinator describes an unknown group. */
  describeGroup(groupId: string): Promise<GroupDescription> {
    return this.call('describeGroup', 'describing the group', () => {
      if (!this.cluster.hasGroup(groupId)) return { groupId, state: 'dead', members: [] };
      const group = this.cluster.group(groupId);
      const state = group.state();
      return { groupId, state: state === 'preparing-rebalance' ? 'rebalancing' : state, members: group.memberIds().map((memberId) => ({ memberId })) };
    }, groupId);
  }

  setCommittedOffsets(groupId: string, offsets: readonly PartitionOffset[]): Promise<void> {
    return this.call('commitOffsets', 'setting committed offsets', () => this.cluster.group(groupId).commitAsAdmin(offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset }))), groupId);
  }

  disconnect(): Promise<void> {
    return this.call('disconnect', 'admin disconnect', () => undefined);
  }

  /** Resolves on the next change of the cluster (a transaction ending writes markers), or after a short while. */
  private nextChange(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, UNSTABLE_RETRY_MS);
      const unsubscribe = this.cluster.onChange(done);
      function done(): void {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      }
    });
  }

  private async call<T>(kind: OperationKind, what: string, apply: () => T, groupId?: string): Promise<T> {
    try {
      return await this.cluster.operate({ kind, client: this.client, ...(groupId === undefined ? {} : { groupId }) }, apply);
    } catch (error) {
      throw toBrokerFailure(what, error);
    }
  }
}
