import type { KafkaClient, KafkaConnectionConfig } from '../client/kafka-client.js';
import { KafkajsClient } from '../kafka/kafkajs-client.js';
import { PlatformaticClient } from '../platformatic/platformatic-client.js';
import type { KafkaClientName } from './streams-config.js';

/** The client an instance (or a stream thread in a worker) makes itself when it is given none: the adapter `StreamsConfig.client` names. */
export function defaultClient(name: KafkaClientName, connection: KafkaConnectionConfig): KafkaClient {
  return name === 'platformatic' ? new PlatformaticClient(connection) : new KafkajsClient(connection);
}
