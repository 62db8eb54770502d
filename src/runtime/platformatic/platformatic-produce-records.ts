import type { MessageToProduce, ProduceResult } from '@platformatic/kafka';
import type { Headers } from '../../core/headers.js';
import type { TopicPartition } from '../../processing/raw-record.js';
import type { OutgoingRecord } from '../../processing/record-collector.js';
import { TopicPartitionMap } from '../../processing/topic-partition-map.js';
import { topicPartitionKey } from '../../state/changelog.js';
import type { WrittenOffsets } from '../client/kafka-client.js';

/**
 * The library writes a header per entry of a `Map`. The runtime's headers are an ordered list in which a key may
 * repeat: with a fresh `Buffer` as each entry's key, equal names stay separate entries, in their order.
 */
function toHeaderMap(headers: Headers): Map<Buffer, Buffer> | undefined {
  if (headers.size === 0) return undefined;
  const map = new Map<Buffer, Buffer>();
  // A header without a value goes out as a null value (length -1), as Kafka allows.
  for (const { key, value } of headers) map.set(Buffer.from(key), value as Buffer);
  return map;
}

/**
 * The records as the library's producer sends them; a missing key is `undefined`, which the partitioner expects.
 * Built field by field rather than with spreads: this runs for every record sent.
 */
export function toMessages(records: readonly OutgoingRecord[]): MessageToProduce<Buffer, Buffer, Buffer, Buffer>[] {
  const messages = new Array<MessageToProduce<Buffer, Buffer, Buffer, Buffer>>(records.length);
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    // A tombstone's value goes out as null (length -1).
    const message: MessageToProduce<Buffer, Buffer, Buffer, Buffer> = { topic: record.topic, value: record.value as Buffer, timestamp: BigInt(record.timestamp) };
    if (record.partition !== undefined) message.partition = record.partition;
    if (record.key !== null) message.key = record.key;
    const headers = toHeaderMap(record.headers);
    if (headers !== undefined) message.headers = headers;
    messages[i] = message;
  }
  return messages;
}

/**
 * The broker answers the base offset of each partition's batch; with the number of records sent to that partition
 * this gives the offset of the last one, which the state layer records as its changelog position. Only records
 * sent to an explicit partition (changelog records always are) can be counted so, as in the kafkajs adapter.
 */
export function lastWrittenOffsets(records: readonly OutgoingRecord[], result: ProduceResult): WrittenOffsets {
  const counts = new TopicPartitionMap<number>();
  for (const record of records) {
    if (record.partition !== undefined) counts.set(record as TopicPartition, (counts.get(record as TopicPartition) ?? 0) + 1);
  }
  const written: WrittenOffsets = new Map();
  for (const answered of result.offsets ?? []) {
    const count = counts.get(answered);
    if (count !== undefined) written.set(topicPartitionKey(answered.topic, answered.partition), Number(answered.offset) + count - 1);
  }
  return written;
}
