import type { KafkaClient, KafkaConnectionConfig } from '../../../src/runtime/client/kafka-client.js';
import { KafkajsClient } from '../../../src/runtime/kafka/kafkajs-client.js';
import { PlatformaticClient } from '../../../src/runtime/platformatic/platformatic-client.js';

/** The client adapters the integration suite runs on (`StreamsConfig.client`). */
export const CLIENT_KINDS = ['kafkajs', 'platformatic'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

/**
 * The adapter the integration suite runs on: `KSTREAMS_CLIENT`, platformatic (the runtime's default) when unset. The crash apps' child processes
 * inherit the variable, so they run on the same one.
 */
export function testClientKind(): ClientKind {
  const value = process.env.KSTREAMS_CLIENT ?? 'platformatic';
  if (!(CLIENT_KINDS as readonly string[]).includes(value)) throw new Error(`KSTREAMS_CLIENT must be one of ${CLIENT_KINDS.join(', ')}, got ${JSON.stringify(value)}`);
  return value as ClientKind;
}

/** A client of the adapter `kind`, for tests that use the client port directly. */
export function adapterClient(kind: ClientKind, connection: KafkaConnectionConfig): KafkaClient {
  return kind === 'kafkajs' ? new KafkajsClient(connection) : new PlatformaticClient(connection);
}
