import { Kafka, logLevel, type KafkaConfig, type logCreator, type SASLOptions } from 'kafkajs';
import { ClientLogBridge } from '../client/client-log-bridge.js';
import type {
  ChangelogReader,
  GroupConsumer,
  GroupConsumerOptions,
  KafkaAdmin,
  KafkaClient,
  KafkaConnectionConfig,
  PartitionTailer,
  RecordProducer,
  SaslConfig,
  TransactionalProducer,
} from '../client/kafka-client.js';
import { KafkajsChangelogReader } from './kafkajs-changelog-reader.js';
import { KafkajsAdmin } from './kafkajs-admin.js';
import { KafkajsGroupConsumer } from './kafkajs-group-consumer.js';
import { KafkajsPartitionTailer } from './kafkajs-partition-tailer.js';
import { fixKafkajsReadCommitted } from './kafkajs-read-committed.js';
import { KafkajsRecordProducer, KafkajsTransactionalProducer } from './kafkajs-producers.js';

function toKafkajsSasl({ mechanism, username, password }: SaslConfig): SASLOptions {
  switch (mechanism) {
    case 'plain':
      return { mechanism, username, password };
    case 'scram-sha-256':
      return { mechanism, username, password };
    case 'scram-sha-512':
      return { mechanism, username, password };
  }
}

/**
 * kafkajs' log lines through the bridge: its errors are mostly retried ones (a coordinator moving, a rebalance
 * answering a heartbeat), which the runtime waits out, so they come out as warnings; the runtime's own error lines
 * say when something failed for good.
 */
function kafkajsLogCreator(bridge: ClientLogBridge): logCreator {
  return () => ({ namespace, level, log }) => {
    const { message, ...fields } = log;
    bridge.line(level <= logLevel.WARN ? 'warn' : 'debug', message, { ...fields, namespace });
  };
}

/** The kafkajs adapter of the runtime's client port. */
export class KafkajsClient implements KafkaClient {
  /** kafkajs sends TxnOffsetCommit v0/v1, which carry no generation or member: a producer per task fences instead. */
  readonly groupFencedTransactions = false;
  private readonly kafka: Kafka;

  constructor(private readonly config: KafkaConnectionConfig) {
    // Every read of the runtime (sources, repartition topics, changelog restoration) goes through this copy.
    fixKafkajsReadCommitted();
    const kafkaConfig: KafkaConfig = {
      clientId: config.clientId,
      brokers: [...config.bootstrapServers],
      // kafkajs' warnings and errors go to the application's logger (rate-limited); below that they are noise.
      ...(config.logger === undefined ? { logLevel: logLevel.NOTHING } : { logLevel: logLevel.WARN, logCreator: kafkajsLogCreator(new ClientLogBridge(config.logger, 'kafkajs')) }),
      ...(config.ssl === undefined ? {} : { ssl: config.ssl }),
      ...(config.sasl === undefined ? {} : { sasl: toKafkajsSasl(config.sasl) }),
    };
    this.kafka = new Kafka(kafkaConfig);
  }

  admin(): KafkaAdmin {
    return new KafkajsAdmin(this.kafka);
  }

  groupConsumer(options: GroupConsumerOptions): GroupConsumer {
    return new KafkajsGroupConsumer(this.kafka, options);
  }

  producer(): RecordProducer {
    return new KafkajsRecordProducer(this.kafka);
  }

  transactionalProducer(transactionalId: string): TransactionalProducer {
    return new KafkajsTransactionalProducer(this.kafka, transactionalId);
  }

  changelogReader(): ChangelogReader {
    return new KafkajsChangelogReader(this.kafka, this.config.clientId);
  }

  partitionTailer(): PartitionTailer {
    return new KafkajsPartitionTailer(this.kafka, this.config.clientId);
  }
}
