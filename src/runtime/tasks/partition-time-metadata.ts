/**
 * Partition time travels with the committed input offset, in the offset's metadata string, in Kafka Streams' format
 * (its `TopicPartitionMetadata`): base64 of a version byte and the time as a big-endian int64. Version 1 is the
 * time alone; version 2 appends processor metadata that we do not use. We write version 1, which every Kafka
 * Streams version reads, and read both, so a task moving between Java and TypeScript keeps its stream time.
 */
const TIME_ONLY_VERSION = 1;
const WITH_PROCESSOR_METADATA_VERSION = 2;
const ENCODED_BYTES = 9;

export function encodePartitionTime(partitionTimeMs: number): string {
  const bytes = Buffer.alloc(ENCODED_BYTES);
  bytes.writeUInt8(TIME_ONLY_VERSION, 0);
  bytes.writeBigInt64BE(BigInt(partitionTimeMs), 1);
  return bytes.toString('base64');
}

/** The partition time in committed offset metadata; `undefined` when there is none we can read. */
export function decodePartitionTime(metadata: string | null): number | undefined {
  if (metadata === null || metadata.length === 0) return undefined;
  const bytes = Buffer.from(metadata, 'base64');
  if (bytes.length < ENCODED_BYTES) return undefined;
  const version = bytes.readUInt8(0);
  if (version !== TIME_ONLY_VERSION && version !== WITH_PROCESSOR_METADATA_VERSION) return undefined;
  const partitionTimeMs = Number(bytes.readBigInt64BE(1));
  return Number.isSafeInteger(partitionTimeMs) && partitionTimeMs >= 0 ? partitionTimeMs : undefined;
}
