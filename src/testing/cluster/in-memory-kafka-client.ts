import type {
  ChangelogReader,
  GroupConsumer,
  GroupConsumerOptions,
  KafkaAdmin,
  KafkaClient,
  PartitionTailer,
  RecordProducer,
  TransactionalProducer,
} from '../../runtime/client/kafka-client.js';
import type { ClusterBackend } from './cluster-backend.js';
import { InMemoryAdmin } from './in-memory-admin.js';
import { InMemoryChangelogReader } from './in-memory-changelog-reader.js';
import { InMemoryGroupConsumer } from './in-memory-group-consumer.js';
import { InMemoryPartitionTailer } from './in-memory-partition-tailer.js';
import { InMemoryRecordProducer, InMemoryTransactionalProducer } from './in-memory-producers.js';

/**
 * The client port over an in-memory cluster; `name` tells fault rules (and `cluster.crash`) which client calls.
 * `groupFencedTransactions` (default true) sends the group member with transactional offsets and fetches stable
 * offsets only (KIP-447), as a client with TxnOffsetCommit v3+ does; false behaves as the kafkajs adapter
 * (TxnOffsetCommit v0/v1, no `requireStable`), so the runtime falls back to a producer per task.
 */
export class InMemoryKafkaClient implements KafkaClient {
  constructor(
    private readonly cluster: ClusterBackend,
    readonly name: string,
    readonly groupFencedTransactions: boolean = true,
  ) {}

  admin(): KafkaAdmin {
    return new InMemoryAdmin(this.cluster, this.name, this.groupFencedTransactions);
  }

  groupConsumer(options: GroupConsumerOptions): GroupConsumer {
    return new InMemoryGroupConsumer(this.cluster, this.name, options);
  }

  producer(): RecordProducer {
    return new InMemoryRecordProducer(this.cluster, this.name);
  }

  transactionalProducer(transactionalId: string): TransactionalProducer {
    return new InMemoryTransactionalProducer(this.cluster, this.name, transactionalId, this.groupFencedTransactions);
  }

  changelogReader(): ChangelogReader {
    return new InMemoryChangelogReader(this.cluster, this.name);
  }

  partitionTailer(): PartitionTailer {
    return new InMemoryPartitionTailer(this.cluster, this.name);
  }
}
