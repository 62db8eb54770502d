import kafkajs from 'kafkajs';
import type { Consumer, Kafka, PartitionAssigner } from 'kafkajs';
import type { GroupAssignor, GroupConsumer, GroupConsumerHandlers, GroupConsumerOptions, OffsetAndMetadata } from '../client/kafka-client.js';
import type { TopicPartition } from '../task/raw-record.js';
import { groupByTopic, toRawRecord } from './kafkajs-records.js';

// kafkajs is CommonJS: Node sees its protocol helpers only on the default export.
const { AssignerProtocol } = kafkajs;

const PROTOCOL_NAME = 'kstreams-tasks';

/** Wraps the runtime's task assignor in kafkajs' assigner shape (member metadata in, topic-partitions out). */
function kafkajsAssigner(assignor: GroupAssignor): PartitionAssigner {
  return ({ cluster }) => ({
    name: PROTOCOL_NAME,
    version: 1,
    protocol: ({ topics }) => ({
      name: PROTOCOL_NAME,
      metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: assignor.memberUserData() }),
    }),
    assign: async ({ members }) => {
      await cluster.refreshMetadata();
      const decoded = members.map((m) => ({
        memberId: m.memberId,
        userData: AssignerProtocol.MemberMetadata.decode(m.memberMetadata)?.userData ?? Buffer.alloc(0),
      }));
      const partitionCount = (topic: string) => {
        const partitions = cluster.findTopicPartitionMetadata(topic);
        return partitions.length > 0 ? partitions.length : undefined;
      };
      const assignment = assignor.assign(decoded, partitionCount);
      return members.map(({ memberId }) => {
        const byTopic = groupByTopic(assignment.get(memberId) ?? []);
        const topics = Object.fromEntries([...byTopic].map(([topic, list]) => [topic, list.map((p) => p.partition)]));
        return { memberId, memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 1, assignment: topics, userData: Buffer.alloc(0) }) };
      });
    },
  });
}

/**
 * A kafkajs group consumer that only buffers: `eachBatch` hands records to the runtime and marks them fetched, so
 * kafkajs moves on; offsets are committed by the runtime (in the task's transaction, or explicitly).
 */
export class KafkajsGroupConsumer implements GroupConsumer {
  private readonly consumer: Consumer;

  constructor(kafka: Kafka, private readonly options: GroupConsumerOptions) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      partitionAssigners: [kafkajsAssigner(options.assignor)],
      readUncommitted: !options.readCommitted,
      sessionTimeout: options.sessionTimeoutMs ?? 10_000,
      rebalanceTimeout: options.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: options.heartbeatIntervalMs ?? 1_000,
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
    });
  }

  async start(handlers: GroupConsumerHandlers): Promise<void> {
    const { consumer } = this;
    consumer.on(consumer.events.REBALANCING, () => handlers.onRebalancing());
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const partitions = Object.entries(payload.memberAssignment).flatMap(([topic, list]) =>
        (list as number[]).map((partition) => ({ topic, partition })),
      );
      handlers.onAssignment(partitions);
    });
    // kafkajs restarts the consumer itself after retriable crashes (then rejoins, so onAssignment follows).
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) handlers.onCrash(payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.options.topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset }) => {
        if (batch.messages.length > 0) {
          handlers.onRecords(batch.messages.map((m) => toRawRecord(batch.topic, batch.partition, m)));
        }
        resolveOffset(batch.lastOffset());
      },
    });
  }

  pause(partitions: readonly TopicPartition[]): void {
    for (const [topic, list] of groupByTopic(partitions)) this.consumer.pause([{ topic, partitions: list.map((p) => p.partition) }]);
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const [topic, list] of groupByTopic(partitions)) this.consumer.resume([{ topic, partitions: list.map((p) => p.partition) }]);
  }

  seek(partition: TopicPartition, offset: number): void {
    this.consumer.seek({ topic: partition.topic, partition: partition.partition, offset: String(offset) });
  }

  async commitOffsets(offsets: readonly OffsetAndMetadata[]): Promise<void> {
    await this.consumer.commitOffsets(offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: String(o.offset), metadata: o.metadata ?? null })));
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
