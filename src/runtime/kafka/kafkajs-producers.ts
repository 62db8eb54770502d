import type { Kafka, Producer, Transaction } from 'kafkajs';
import type { OutgoingRecord } from '../../processing/record-collector.js';
import type { OffsetAndMetadata, ProducerTransaction, RecordProducer, TransactionalProducer, WrittenOffsets } from '../client/kafka-client.js';
import { ProductionFailure } from '../client/production-failure.js';
import { classifyFailures, isConcurrentTransactions } from './kafkajs-errors.js';
import { groupByTopic, lastWrittenOffsets, toTopicMessages } from './kafkajs-records.js';

/**
 * Sends records; `onSequencesSpoiled` runs when the producer's sequence numbers can no longer be trusted:
 * - the broker refused part of a send of several records. kafkajs then rolls back the sequence numbers of every
 *   partition of the request, also of those whose batch the broker wrote, so the producer's next write to them
 *   would fail with OUT_OF_ORDER_SEQUENCE_NUMBER;
 * - the outcome of a send is unknown (a timeout, a connection lost, the broker restarting): the broker may have
 *   written it, while kafkajs kept the sequence numbers, so the next batch would reuse them and could be taken for
 *   a duplicate and dropped.
 * Only a new producer (a new producer id or epoch) starts its sequences afresh.
 */
async function sendAll(target: Producer | Transaction, records: readonly OutgoingRecord[], onSequencesSpoiled: () => void): Promise<WrittenOffsets> {
  if (records.length === 0) return new Map();
  try {
    const metadata = await classifyFailures('send', () => target.sendBatch({ topicMessages: toTopicMessages(records), acks: -1 }));
    return lastWrittenOffsets(records, metadata);
  } catch (error) {
    if (error instanceof ProductionFailure && (error.kind === 'other' || (error.kind === 'record' && records.length > 1))) onSequencesSpoiled();
    throw error;
  }
}

export class KafkajsRecordProducer implements RecordProducer {
  private producer: Producer;
  private spoiled = false;

  constructor(private readonly kafka: Kafka) {
    this.producer = this.create();
  }

  connect(): Promise<void> {
    return classifyFailures('connect', () => this.producer.connect());
  }

  async send(records: readonly OutgoingRecord[]): Promise<WrittenOffsets> {
    if (this.spoiled) {
      this.spoiled = false;
      await this.producer.disconnect().catch(() => undefined);
      this.producer = this.create();
      await this.connect();
    }
    return sendAll(this.producer, records, () => (this.spoiled = true));
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  private create(): Producer {
    return this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  }
}

/** Attempts of a transaction request the coordinator refuses while it completes the previous transaction. */
const CONCURRENT_TRANSACTION_ATTEMPTS = 10;
const CONCURRENT_TRANSACTION_BACKOFF_MS = 20;

/**
 * Right after a commit, the coordinator may still be writing the previous transaction's markers and answers the next
 * transaction's AddOffsetsToTxn with CONCURRENT_TRANSACTIONS. Kafka's Java producer retries it after a short backoff;
 * kafkajs does not, so without this a commit soon after another fails and the task is rebuilt for nothing. Nothing
 * was added to the transaction by the refused request, so sending it again is safe.
 */
async function retryWhileCompleting<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= CONCURRENT_TRANSACTION_ATTEMPTS || !isConcurrentTransactions(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, CONCURRENT_TRANSACTION_BACKOFF_MS * attempt));
    }
  }
}

class KafkajsTransaction implements ProducerTransaction {
  constructor(
    private readonly transaction: Transaction,
    private readonly onSequencesSpoiled: () => void,
  ) {}

  send(records: readonly OutgoingRecord[]): Promise<WrittenOffsets> {
    return sendAll(this.transaction, records, this.onSequencesSpoiled);
  }

  /** No `member`: kafkajs' TxnOffsetCommit (v0/v1) has no field for it, hence `groupFencedTransactions: false`. */
  sendOffsets(groupId: string, offsets: readonly OffsetAndMetadata[]): Promise<void> {
    // kafkajs' types omit `metadata` here, but it passes the partitions as given to TxnOffsetCommit, which writes it.
    const topics = [...groupByTopic(offsets)].map(([topic, list]) => ({
      topic,
      partitions: list.map((o) => ({ partition: o.partition, offset: String(o.offset), metadata: o.metadata ?? null })),
    }));
    return classifyFailures('sendOffsets', () => retryWhileCompleting(() => this.transaction.sendOffsets({ consumerGroupId: groupId, topics })));
  }

  commit(): Promise<void> {
    return classifyFailures('commit', () => this.transaction.commit());
  }

  abort(): Promise<void> {
    return classifyFailures('abort', () => this.transaction.abort());
  }
}

export class KafkajsTransactionalProducer implements TransactionalProducer {
  private producer: Producer;
  private spoiled = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly transactionalId: string,
  ) {
    this.producer = this.create();
  }

  connect(): Promise<void> {
    return classifyFailures('connect', () => this.producer.connect());
  }

  /** After a send that spoiled the sequence numbers (the runtime aborted that transaction), a new producer with the same id takes over. */
  async begin(): Promise<ProducerTransaction> {
    if (this.spoiled) {
      this.spoiled = false;
      await this.producer.disconnect().catch(() => undefined);
      this.producer = this.create();
      await this.connect();
    }
    const transaction = await classifyFailures('begin', () => this.producer.transaction());
    return new KafkajsTransaction(transaction, () => (this.spoiled = true));
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  private create(): Producer {
    return this.kafka.producer({ transactionalId: this.transactionalId, idempotent: true, maxInFlightRequests: 1 });
  }
}
