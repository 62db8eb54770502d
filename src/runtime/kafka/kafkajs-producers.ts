import type { Kafka, Producer, Transaction } from 'kafkajs';
import type { OutgoingRecord } from '../task/record-collector.js';
import type { TopicPartition } from '../task/raw-record.js';
import type { ProducerTransaction, RecordProducer, TransactionalProducer, WrittenOffsets } from '../client/kafka-client.js';
import { classifyFailures } from './kafkajs-errors.js';
import { groupByTopic, lastWrittenOffsets, toTopicMessages } from './kafkajs-records.js';

async function sendAll(target: Producer | Transaction, records: readonly OutgoingRecord[]): Promise<WrittenOffsets> {
  if (records.length === 0) return new Map();
  const metadata = await classifyFailures('send', () => target.sendBatch({ topicMessages: toTopicMessages(records), acks: -1 }));
  return lastWrittenOffsets(records, metadata);
}

export class KafkajsRecordProducer implements RecordProducer {
  private readonly producer: Producer;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  send(records: readonly OutgoingRecord[]): Promise<WrittenOffsets> {
    return sendAll(this.producer, records);
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}

class KafkajsTransaction implements ProducerTransaction {
  constructor(private readonly transaction: Transaction) {}

  send(records: readonly OutgoingRecord[]): Promise<WrittenOffsets> {
    return sendAll(this.transaction, records);
  }

  sendOffsets(groupId: string, offsets: ReadonlyArray<TopicPartition & { offset: number }>): Promise<void> {
    const topics = [...groupByTopic(offsets)].map(([topic, list]) => ({
      topic,
      partitions: list.map((o) => ({ partition: o.partition, offset: String(o.offset) })),
    }));
    return classifyFailures('sendOffsets', () => this.transaction.sendOffsets({ consumerGroupId: groupId, topics }));
  }

  commit(): Promise<void> {
    return classifyFailures('commit', () => this.transaction.commit());
  }

  abort(): Promise<void> {
    return classifyFailures('abort', () => this.transaction.abort());
  }
}

export class KafkajsTransactionalProducer implements TransactionalProducer {
  private readonly producer: Producer;

  constructor(kafka: Kafka, transactionalId: string) {
    this.producer = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  async begin(): Promise<ProducerTransaction> {
    return new KafkajsTransaction(await classifyFailures('begin', () => this.producer.transaction()));
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}
