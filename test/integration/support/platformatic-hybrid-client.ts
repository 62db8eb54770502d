import { readToEnd } from '../../../scripts/committed-reader/committed-reader.js';
import type { KafkaClient, KafkaConnectionConfig } from '../../../src/runtime/client/kafka-client.js';
import { KafkajsClient } from '../../../src/runtime/kafka/kafkajs-client.js';
import { PlatformaticChangelogReader } from '../../../src/runtime/platformatic/platformatic-changelog-reader.js';
import { PlatformaticGroupConsumer } from '../../../src/runtime/platformatic/platformatic-group-consumer.js';
import { PlatformaticPartitionTailer } from '../../../src/runtime/platformatic/platformatic-partition-tailer.js';
import type { ContractTarget } from '../../contract/contract-target.js';
import { brokers, uniqueName } from './broker.js';

/**
 * The read side of the @platformatic/kafka adapter, until its whole client exists: the kafkajs client with the group
 * consumer, changelog reader and partition tailer replaced by the platformatic ones.
 */
export function hybridClient(connection: KafkaConnectionConfig): KafkaClient {
  const kafkajs = new KafkajsClient(connection);
  return {
    // Its transactional producers are kafkajs': no group member in TxnOffsetCommit, so a producer per task.
    groupFencedTransactions: false,
    admin: () => kafkajs.admin(),
    producer: () => kafkajs.producer(),
    transactionalProducer: (id) => kafkajs.transactionalProducer(id),
    groupConsumer: (options) => new PlatformaticGroupConsumer(connection, options),
    changelogReader: () => new PlatformaticChangelogReader(connection),
    partitionTailer: () => new PlatformaticPartitionTailer(connection),
  };
}


/** The client contract's target on the real broker with the hybrid client; what is committed is read by Kafka's Java consumer. */
export const platformaticReadSideTarget: ContractTarget = {
  client: () => hybridClient({ bootstrapServers: brokers(), clientId: uniqueName('plat-read') }),
  uniqueName,
  committedValues: async (topic) => (await readToEnd(brokers().join(','), [topic])).filter((r) => r.partition === 0).map((r) => r.value?.toString()),
  compactedTopicConfig: { 'cleanup.policy': 'compact', 'segment.ms': '100', 'min.cleanable.dirty.ratio': '0.001', 'delete.retention.ms': '0', 'min.compaction.lag.ms': '0' },
  compact: async (_topic, compacted) => {
    const deadline = Date.now() + 45_000;
    while (!(await compacted())) {
      if (Date.now() > deadline) throw new Error('the broker did not compact the topic within 45 s');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  },
  group: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 100 },
};

