import type { MessageToProduce, ProduceResult } from '@platformatic/kafka';
import type { Headers } from '../../core/headers.js';
import type { OutgoingRecord } from '../../processing/record-collector.js';
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

/** The records as the library's producer sends them; a missing key is `undefined`, which the partitioner expects. */
export function toMessages(records: readonly OutgoingRecord[]): MessageToProduce<Buffer, Buffer, Buffer, Buffer>[] {
  return records.map((record) => {
    const headers = toHeaderMap(record.headers);
    return {
      topic: record.topic,
      ...(record.partition === undefined ? {} : { partition: record.partition }),
      ...(record.key === null ? {} : { key: record.key }),
      // A tombstone's value goes out as null (length -1).
      value: record.value as Buffer,
      ...(headers === undefined ? {} : { headers }),
      timestamp: BigInt(record.timestamp),
    };
  });
}

/**
 * The broker answers the base offset of each partition's batch; with the number of records sent to that partition
 * this gives the offset of the last one, which the state layer records as its changelog position. Only records
 * sent to an explicit partition (changelog records always are) can be counted so, as in the kafkajs adapter.
 */
export function lastWrittenOffsets(records: readonly OutgoingRecord[], result: ProduceResult): WrittenOffsets {
  const counts = new Map<string, number>();
  for (const { topic, partition } of records) {
    if (partition !== undefined) counts.set(topicPartitionKey(topic, partition), (counts.get(topicPartitionKey(topic, partition)) ?? 0) + 1);
  }
  const written: WrittenOffsets = new Map();
  for (const { topic, partition, offset } of result.offsets ?? []) {
    const key = topicPartitionKey(topic, partition);
    const count = counts.get(key);
    if (count !== undefined) written.set(key, Number(offset) + count - 1);
  }
  return written;
}
