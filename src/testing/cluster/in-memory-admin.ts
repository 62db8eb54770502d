import type { CommittedOffset, KafkaAdmin, TopicSpec } from '../../runtime/client/kafka-client.js';
import type { TopicPartition } from '../../processing/raw-record.js';
import { topicPartitionKey } from '../../state/changelog.js';
import type { ClusterBackend } from './cluster-backend.js';
import type { OperationKind } from './cluster-faults.js';
import { toBrokerFailure } from './kafka-error.js';

/** The admin calls of the port; like the kafkajs adapter, every failure is a `BrokerFailure`. */
export class InMemoryAdmin implements KafkaAdmin {
  constructor(
    private readonly cluster: ClusterBackend,
    private readonly client: string,
  ) {}

  connect(): Promise<void> {
    return this.call('connect', 'admin connect', () => undefined);
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
      for (const t of topics) this.cluster.topics.delete(t);
      this.cluster.changed();
    });
  }

  listTopics(): Promise<string[]> {
    return this.call('metadata', 'listing topics', () => this.cluster.topics.names());
  }

  committedOffsets(groupId: string, partitions: readonly TopicPartition[]): Promise<Map<string, CommittedOffset | null>> {
    return this.call('fetchOffsets', 'reading committed offsets', () => {
      const group = this.cluster.group(groupId);
      return new Map(partitions.map((p) => [topicPartitionKey(p.topic, p.partition), group.committedOffset(p)]));
    });
  }

  /** The last stable offset, as kafkajs' ListOffsets asks for it (read_committed): where a restoration must read to. */
  endOffsets(partitions: readonly TopicPartition[]): Promise<Map<string, number>> {
    return this.call('listOffsets', 'reading end offsets', () => new Map(partitions.map((p) => [topicPartitionKey(p.topic, p.partition), this.cluster.topics.log(p).lastStableOffset()])));
  }

  beginningOffsets(partitions: readonly TopicPartition[]): Promise<Map<string, number>> {
    return this.call('listOffsets', 'reading beginning offsets', () => new Map(partitions.map((p) => [topicPartitionKey(p.topic, p.partition), this.cluster.topics.log(p).logStartOffset()])));
  }

  disconnect(): Promise<void> {
    return this.call('disconnect', 'admin disconnect', () => undefined);
  }

  private async call<T>(kind: OperationKind, what: string, apply: () => T): Promise<T> {
    try {
      return await this.cluster.operate({ kind, client: this.client }, apply);
    } catch (error) {
      throw toBrokerFailure(what, error);
    }
  }
}
