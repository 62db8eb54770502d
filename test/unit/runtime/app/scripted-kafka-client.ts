import type { RawRecord, TopicPartition } from '../../../../src/processing/raw-record.js';
import type {
  ChangelogReader,
  GroupConsumer,
  GroupConsumerHandlers,
  GroupConsumerOptions,
  KafkaAdmin,
  KafkaClient,
  PartitionTailer,
  RecordProducer,
  TopicSpec,
  TransactionalProducer,
} from '../../../../src/runtime/client/kafka-client.js';

/**
 * The smallest client port a `KafkaStreams` runs on, until the in-memory cluster lands: topics with partition
 * counts, one group member that is assigned every partition of its topics at once and receives `records` of a
 * partition when the task resumes it, and an at-least-once producer that accepts every send. No broker semantics
 * beyond that: tests of the app object's lifecycle only.
 */
export class ScriptedKafkaClient implements KafkaClient {
  private readonly partitions = new Map<string, number>();
  readonly sent: string[] = [];

  constructor(
    topics: ReadonlyMap<string, number>,
    private readonly records: readonly RawRecord[],
  ) {
    for (const [topic, count] of topics) this.partitions.set(topic, count);
  }

  admin(): KafkaAdmin {
    const partitions = this.partitions;
    return {
      connect: async () => undefined,
      disconnect: async () => undefined,
      partitionCounts: async (topics: readonly string[]) => new Map(topics.map((t) => [t, partitions.get(t)])),
      createTopics: async (specs: readonly TopicSpec[]) => void specs.forEach((s) => partitions.set(s.name, s.partitions)),
      deleteTopics: async () => undefined,
      listTopics: async () => [...partitions.keys()],
      committedOffsets: async (_group: string, ps: readonly TopicPartition[]) => new Map(ps.map((p) => [`${p.topic}:${p.partition}`, null])),
      endOffsets: async (ps: readonly TopicPartition[]) => new Map(ps.map((p) => [`${p.topic}:${p.partition}`, 0])),
      beginningOffsets: async (ps: readonly TopicPartition[]) => new Map(ps.map((p) => [`${p.topic}:${p.partition}`, 0])),
    };
  }

  groupConsumer(options: GroupConsumerOptions): GroupConsumer {
    let handlers: GroupConsumerHandlers | undefined;
    const assigned = options.topics.flatMap((topic) => Array.from({ length: this.partitions.get(topic) ?? 0 }, (_, partition) => ({ topic, partition })));
    return {
      start: async (h: GroupConsumerHandlers) => {
        handlers = h;
        setImmediate(() => h.onAssignment(assigned));
      },
      pause: () => undefined,
      resume: (ps: readonly TopicPartition[]) => {
        for (const p of ps) {
          const batch = this.records.filter((r) => r.topic === p.topic && r.partition === p.partition);
          if (batch.length > 0) setImmediate(() => handlers?.onRecords(batch));
        }
      },
      seek: () => undefined,
      commitOffsets: async () => undefined,
      outage: () => undefined,
      stop: async () => undefined,
    };
  }

  producer(): RecordProducer {
    return {
      connect: async () => undefined,
      send: async (records) => {
        this.sent.push(...records.map((r) => r.topic));
        return new Map();
      },
      disconnect: async () => undefined,
    };
  }

  transactionalProducer(): TransactionalProducer {
    throw new Error('the scripted client runs at-least-once only');
  }

  changelogReader(): ChangelogReader {
    return { read: async () => undefined };
  }

  partitionTailer(): PartitionTailer {
    throw new Error('the scripted client has no global tables');
  }
}
