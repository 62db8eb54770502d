import avsc from 'avsc';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { FollowingReader, type ReadRecord } from '../../../scripts/committed-reader/committed-reader.js';
import { brokers, eventually } from './broker.js';

/** The registry under test; `npm run test:integration` starts the project's own when SCHEMA_REGISTRY_URL is unset. */
export function registryUrl(): string {
  const url = process.env.SCHEMA_REGISTRY_URL;
  if (!url) throw new Error('SCHEMA_REGISTRY_URL is not set: run integration tests with `npm run test:integration`, which starts a local registry');
  return url;
}

/** avsc's long as a bigint, so that the plain client keeps 64-bit values exact (as notes/real-components.md does). */
const bigintLong = avsc.types.LongType.__with({
  fromBuffer: (bytes: Buffer) => bytes.readBigInt64LE(),
  toBuffer: (n: bigint) => {
    const bytes = Buffer.alloc(8);
    bytes.writeBigInt64LE(BigInt(n));
    return bytes;
  },
  fromJSON: BigInt,
  toJSON: Number,
  isValid: (n: unknown) => typeof n === 'bigint',
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

/**
 * A plain client of the registry, independent of kstreams' serdes: @kafkajs/confluent-schema-registry, with avsc
 * as it comes (logical types stay their underlying values) except for bigint longs.
 */
export function plainRegistryClient(): SchemaRegistry {
  const typeHook = (schema: unknown) => (schema === 'long' ? bigintLong : undefined);
  return new SchemaRegistry({ host: registryUrl() }, { [SchemaType.AVRO]: { typeHook } } as ConstructorParameters<typeof SchemaRegistry>[1]);
}

/** Reads `topic` from the beginning with Kafka's Java consumer until `count` records are there; their raw bytes. */
export async function readRaw(topic: string, count: number, timeoutMs = 30_000): Promise<ReadRecord[]> {
  const records: ReadRecord[] = [];
  const reader = new FollowingReader(brokers().join(','), [topic], (record) => records.push(record));
  try {
    await Promise.race([eventually(`${count} records of ${topic}`, () => records.length >= count, timeoutMs), reader.failed]);
    return records;
  } finally {
    await reader.close();
  }
}
