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

/** The client port over an in-memory cluster; `name` tells fault rules (and `cluster.crash`) which client calls. */
export class InMemoryKafkaClient implements KafkaClient {
  constructor(
    private readonly cluster: ClusterBackend,
    readonly name: string,
  ) {}

  admin(): KafkaAdmin {
    return new InMemoryAdmin(this.cluster, this.name);
  }

  groupConsumer(options: GroupConsumerOptions): GroupConsumer {
    return new InMemoryGroupConsumer(this.cluster, this.name, options);
  }

  producer(): RecordProducer {
    return new InMemoryRecordProducer(this.cluster, this.name);
  }

  transactionalProducer(transactionalId: string): TransactionalProducer {
    return new InMemoryTransactionalProducer(this.cluster, this.name, transactionalId);
  }

  changelogReader(): ChangelogReader {
    return new InMemoryChangelogReader(this.cluster, this.name);
  }

  partitionTailer(): PartitionTailer {
    return new InMemoryPartitionTailer(this.cluster, this.name);
  }
}
