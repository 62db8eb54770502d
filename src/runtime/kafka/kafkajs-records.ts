import type { IHeaders, KafkaMessage, Message, RecordMetadata } from 'kafkajs';
import { Headers } from '../../core/headers.js';
import type { OutgoingRecord } from '../../processing/record-collector.js';
import type { RawRecord, TopicPartition } from '../../processing/raw-record.js';
import { topicPartitionKey } from '../../state/changelog.js';

/** kafkajs keeps a repeated header as an array under one key; the runtime keeps an ordered list. */
function toKafkajsHeaders(headers: Headers): IHeaders {
  const out: { [key: string]: Buffer[] } = {};
  for (const { key, value } of headers) (out[key] ??= []).push(value ?? Buffer.alloc(0));
  return out;
}

export function toRawRecord(topic: string, partition: number, message: KafkaMessage): RawRecord {
  return {
    topic,
    partition,
    offset: Number(message.offset),
    timestamp: Number(message.timestamp),
    key: message.key ?? null,
    value: message.value ?? null,
    headers: Headers.fromMap(message.headers ?? {}),
  };
}

/** Groups records by topic, keeping their order, as kafkajs `sendBatch` wants them. */
export function toTopicMessages(records: readonly OutgoingRecord[]): Array<{ topic: string; messages: Message[] }> {
  const byTopic = new Map<string, Message[]>();
  for (const record of records) {
    const messages = byTopic.get(record.topic) ?? [];
    messages.push({
      key: record.key,
      value: record.value,
      headers: toKafkajsHeaders(record.headers),
      timestamp: String(record.timestamp),
      ...(record.partition === undefined ? {} : { partition: record.partition }),
    });
    byTopic.set(record.topic, messages);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/**
 * The broker returns the base offset of each partition's batch; with the number of records sent to that partition
 * this gives the offset of the last one, which is what the state layer records as its changelog position. Only
 * records sent to an explicit partition (changelog records always are) can be counted this way.
 */
export function lastWrittenOffsets(records: readonly OutgoingRecord[], metadata: readonly RecordMetadata[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of records) {
    if (r.partition !== undefined) counts.set(topicPartitionKey(r.topic, r.partition), (counts.get(topicPartitionKey(r.topic, r.partition)) ?? 0) + 1);
  }
  const written = new Map<string, number>();
  for (const m of metadata) {
    const key = topicPartitionKey(m.topicName, m.partition);
    const count = counts.get(key);
    if (count !== undefined && m.baseOffset !== undefined) written.set(key, Number(m.baseOffset) + count - 1);
  }
  return written;
}

export function groupByTopic<T extends TopicPartition>(partitions: readonly T[]): Map<string, T[]> {
  const byTopic = new Map<string, T[]>();
  for (const p of partitions) {
    const list = byTopic.get(p.topic);
    if (list === undefined) byTopic.set(p.topic, [p]);
    else list.push(p);
  }
  return byTopic;
}
