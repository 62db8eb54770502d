import type {
  ChangelogReader,
  GroupConsumer,
  GroupConsumerOptions,
  KafkaAdmin,
  KafkaClient,
  KafkaConnectionConfig,
  PartitionTailer,
  RecordProducer,
  TransactionalProducer,
} from '../client/kafka-client.js';
import { PlatformaticAdmin } from './platformatic-admin.js';
import { PlatformaticChangelogReader } from './platformatic-changelog-reader.js';
import { PlatformaticGroupConsumer } from './platformatic-group-consumer.js';
import { PlatformaticPartitionTailer } from './platformatic-partition-tailer.js';
import { PlatformaticRecordProducer, PlatformaticTransactionalProducer } from './platformatic-producers.js';

/**
 * The @platformatic/kafka adapter of the runtime's client port (`StreamsConfig.client: 'platformatic'`). Each part
 * is a library client of its own, made from the connection settings; nothing is shared between them, so a part
 * closes with its owner.
 */
export class PlatformaticClient implements KafkaClient {
  /** TxnOffsetCommit v3+ carries the member's generation (KIP-447): the runtime runs one producer per thread. */
  readonly groupFencedTransactions = true;

  constructor(private readonly connection: KafkaConnectionConfig) {}

  admin(): KafkaAdmin {
    return new PlatformaticAdmin(this.connection);
  }

  groupConsumer(options: GroupConsumerOptions): GroupConsumer {
    return new PlatformaticGroupConsumer(this.connection, options);
  }

  producer(): RecordProducer {
    return new PlatformaticRecordProducer(this.connection);
  }

  transactionalProducer(transactionalId: string): TransactionalProducer {
    return new PlatformaticTransactionalProducer(this.connection, transactionalId);
  }

  changelogReader(): ChangelogReader {
    return new PlatformaticChangelogReader(this.connection);
  }

  partitionTailer(): PartitionTailer {
    return new PlatformaticPartitionTailer(this.connection);
  }
}
