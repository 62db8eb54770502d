import { Producer, type ProducerOptions } from '@platformatic/kafka';
import type { OutgoingRecord } from '../../processing/record-collector.js';
import type { GroupMember, KafkaConnectionConfig, OffsetAndMetadata, ProducerTransaction, RecordProducer, TransactionalProducer, WrittenOffsets } from '../client/kafka-client.js';
import { ProductionFailure } from '../client/production-failure.js';
import { platformaticBaseOptions } from './platformatic-connection.js';
import { classifyProductionFailures } from './platformatic-errors.js';
import { JavaCompatiblePartitioner } from './platformatic-partitioner.js';
import { RefusedBeforeSending, TopicLimitsCache } from './platformatic-produce-limits.js';
import { lastWrittenOffsets, toMessages } from './platformatic-produce-records.js';
import { platformaticRetryOptions } from './platformatic-retry-options.js';
import { TransactionalOffsets, type BufferTransaction } from './platformatic-txn-offsets.js';
import { bridgePlatformaticLogs } from './platformatic-log-bridge.js';

type BufferProducer = Producer<Buffer, Buffer, Buffer, Buffer>;

/** What both producers share: idempotent, acks=all, Java's partitioning, the adapter's retries. */
function producerOptions(connection: KafkaConnectionConfig, clientIdSuffix: string): ProducerOptions<Buffer, Buffer, Buffer, Buffer> {
  return {
    ...platformaticBaseOptions(connection, clientIdSuffix),
    ...platformaticRetryOptions,
    idempotent: true,
    acks: -1,
    partitioner: new JavaCompatiblePartitioner().partition,
  };
}

/** Sends `records`, unless one of them is one the broker would refuse: then nothing is sent, and the send fails so. */
async function sendAll(target: BufferProducer | BufferTransaction, limits: TopicLimitsCache, records: readonly OutgoingRecord[]): Promise<WrittenOffsets> {
  if (records.length === 0) return new Map();
  const refused = await limits.check(records);
  if (refused !== undefined) throw refused;
  const messages = toMessages(records);
  const result = await classifyProductionFailures('send', () => target.send({ messages, acks: -1 }));
  return lastWrittenOffsets(records, result);
}

/**
 * The at-least-once producer. After a failed send the library itself drops its producer id and sequence numbers
 * and asks for a new id before the next send, so a refused or lost batch cannot leave a sequence gap behind.
 */
export class PlatformaticRecordProducer implements RecordProducer {
  private readonly producer: BufferProducer;
  private readonly limits: TopicLimitsCache;

  constructor(connection: KafkaConnectionConfig) {
    this.producer = new Producer({ ...producerOptions(connection, 'producer'), timeout: 30_000 });
    bridgePlatformaticLogs(this.producer, connection, 'producer');
    this.limits = new TopicLimitsCache(this.producer);
  }

  async connect(): Promise<void> {
    await classifyProductionFailures('connect', () => this.producer.connectToBrokers(null));
  }

  send(records: readonly OutgoingRecord[]): Promise<WrittenOffsets> {
    return sendAll(this.producer, this.limits, records);
  }

  disconnect(): Promise<void> {
    return this.producer.close();
  }
}

/** A library producer with what the adapter keeps per producer; replaced whole when a new epoch is needed. */
interface ProducerParts {
  readonly producer: BufferProducer;
  readonly offsets: TransactionalOffsets;
  readonly limits: TopicLimitsCache;
}

class PlatformaticTransaction implements ProducerTransaction {
  /** Whether anything reached the coordinator: a transaction that never sent anything ends without it. */
  private used = false;

  constructor(
    private readonly transaction: BufferTransaction,
    private readonly parts: ProducerParts,
    private readonly onSequencesSpoiled: () => void,
  ) {}

  /**
   * The library counts sequence numbers before it sends and never takes them back inside a transaction, so after a
   * failed send the broker expects numbers the producer has moved past: only a new epoch starts them afresh
   * (`onSequencesSpoiled`). Records the adapter refused itself never got numbers; a fenced producer is done anyway.
   */
  async send(records: readonly OutgoingRecord[]): Promise<WrittenOffsets> {
    const usedBefore = this.used;
    this.used ||= records.length > 0;
    try {
      return await sendAll(this.transaction, this.parts.limits, records);
    } catch (error) {
      if (error instanceof RefusedBeforeSending) this.used = usedBefore;
      else if (!(error instanceof ProductionFailure && error.kind === 'fenced')) this.onSequencesSpoiled();
      throw error;
    }
  }

  sendOffsets(groupId: string, offsets: readonly OffsetAndMetadata[], member?: GroupMember): Promise<void> {
    if (offsets.length === 0) return Promise.resolve();
    this.used = true;
    return classifyProductionFailures('sendOffsets', () => this.parts.offsets.send(this.transaction, groupId, offsets, member));
  }

  commit(): Promise<void> {
    return classifyProductionFailures('commit', () => (this.used ? this.transaction.commit() : this.transaction.cancel()));
  }

  abort(): Promise<void> {
    return classifyProductionFailures('abort', () => (this.used ? this.transaction.abort() : this.transaction.cancel()));
  }
}

/**
 * One per stream thread under exactly_once_v2 (the runtime's choice for this adapter). Built with producer id -1 and
 * epoch -1: the library's InitProducerId otherwise sends 0/0, which the coordinator answers with PRODUCER_FENCED for
 * a transactional id it knows (every restart, every takeover); -1/-1 asks it to fence whoever holds the id and bump
 * the epoch, as Kafka's Java producer does. The transaction timeout is the library's request `timeout`:
 * TRANSACTION_TIMEOUT_MS, as Kafka Streams sets it under exactly-once.
 */
/**
 * Kafka Streams' `transaction.timeout.ms` under exactly-once (10 s, against the producer's own 60 s): a thread whose
 * process died mid-transaction and comes back without its state directory gets a new process id, so a new
 * transactional id, and nothing fences the old one; its open transaction holds back every read_committed reader of
 * the partitions it wrote, and the stable offsets of its tasks, until the coordinator aborts it on this timeout.
 */
export const TRANSACTION_TIMEOUT_MS = 10_000;

export class PlatformaticTransactionalProducer implements TransactionalProducer {
  private parts: ProducerParts;
  private spoiled = false;

  constructor(
    private readonly connection: KafkaConnectionConfig,
    private readonly transactionalId: string,
  ) {
    this.parts = this.create();
  }

  async connect(): Promise<void> {
    await classifyProductionFailures('connect', () => this.parts.producer.connectToBrokers(null));
  }

  /**
   * The first call fences the previous owner (InitProducerId). After a send that spoiled the sequence numbers (the
   * runtime aborted that transaction), a new producer with the same id takes over with a new epoch.
   */
  async begin(): Promise<ProducerTransaction> {
    if (this.spoiled) {
      this.spoiled = false;
      await this.parts.producer.close().catch(() => undefined);
      this.parts = this.create();
    }
    const parts = this.parts;
    const transaction = await classifyProductionFailures('begin', () => parts.producer.beginTransaction()).catch(async (error: unknown) => {
      // The library keeps a transaction whose InitProducerId failed as the active one; without this every later
      // begin would fail with "There is already an active transaction".
      await parts.producer.transaction?.cancel().catch(() => undefined);
      throw error;
    });
    return new PlatformaticTransaction(transaction, parts, () => (this.spoiled = true));
  }

  disconnect(): Promise<void> {
    return this.parts.producer.close();
  }

  private create(): ProducerParts {
    const producer: BufferProducer = new Producer({
      ...producerOptions(this.connection, `txn-${this.transactionalId}`),
      transactionalId: this.transactionalId,
      producerId: -1n,
      producerEpoch: -1,
      timeout: TRANSACTION_TIMEOUT_MS,
    });
    bridgePlatformaticLogs(producer, this.connection, `txn-${this.transactionalId}`);
    return { producer, offsets: new TransactionalOffsets(producer), limits: new TopicLimitsCache(producer) };
  }
}
