import type { KafkaAdmin, KafkaConnectionConfig, RecordProducer, TransactionalProducer } from '../../../src/runtime/client/kafka-client.js';
import { KafkajsClient } from '../../../src/runtime/kafka/kafkajs-client.js';
import { PlatformaticAdmin } from '../../../src/runtime/platformatic/platformatic-admin.js';
import { PlatformaticRecordProducer, PlatformaticTransactionalProducer } from '../../../src/runtime/platformatic/platformatic-producers.js';

/** The client adapters the integration suite runs on. */
export const CLIENT_KINDS = ['kafkajs', 'platformatic'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

/** The adapter `KSTREAMS_CLIENT` names (kafkajs when unset); the crash apps' child processes inherit it. */
export function testClientKind(): ClientKind {
  const value = process.env.KSTREAMS_CLIENT ?? 'kafkajs';
  if (!(CLIENT_KINDS as readonly string[]).includes(value)) throw new Error(`KSTREAMS_CLIENT must be one of ${CLIENT_KINDS.join(', ')}, got ${JSON.stringify(value)}`);
  return value as ClientKind;
}

/** The kafkajs client with the @platformatic/kafka producers and admin: the write side, until the read side lands. */
class HybridClient extends KafkajsClient {
  constructor(private readonly connection: KafkaConnectionConfig) {
    super(connection);
  }

  override admin(): KafkaAdmin {
    return new PlatformaticAdmin(this.connection);
  }

  override producer(): RecordProducer {
    return new PlatformaticRecordProducer(this.connection);
  }

  override transactionalProducer(transactionalId: string): TransactionalProducer {
    return new PlatformaticTransactionalProducer(this.connection, transactionalId);
  }
}

/** A client of the adapter `kind`. */
export function adapterClient(kind: ClientKind, connection: KafkaConnectionConfig): KafkajsClient {
  return kind === 'kafkajs' ? new KafkajsClient(connection) : new HybridClient(connection);
}
