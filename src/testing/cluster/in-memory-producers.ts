import type { GroupMember, OffsetAndMetadata, ProducerTransaction, RecordProducer, TransactionalProducer, WrittenOffsets } from '../../runtime/client/kafka-client.js';
import { ProductionFailure } from '../../runtime/client/production-failure.js';
import type { OutgoingRecord } from '../../processing/record-collector.js';
import { topicPartitionKey } from '../../state/changelog.js';
import type { ClusterBackend } from './cluster-backend.js';
import type { ClusterOperation } from './cluster-faults.js';
import type { BatchTransaction } from './cluster-topics.js';
import { KafkaError, toProductionFailure } from './kafka-error.js';
import type { ProducerIdentity } from './transaction-coordinator.js';

/** kafkajs' default `transactionTimeout`, which the adapter keeps: the coordinator aborts a transaction open longer. */
const TRANSACTION_TIMEOUT_MS = 60_000;

/** The group coordinator's answers to a TxnOffsetCommit whose member it no longer takes: the member's tasks moved. */
const GROUP_FENCING = new Set(['ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID']);

/**
 * Sends records as one produce request and reports, as the kafkajs adapter does, the last offset of each partition
 * whose records all named their partition (changelog records do). A refused partition batch fails the send after
 * the other partitions' batches were written, as on a broker.
 */
async function produce(cluster: ClusterBackend, operation: ClusterOperation, records: readonly OutgoingRecord[], transaction: BatchTransaction, check: () => void): Promise<WrittenOffsets> {
  if (records.length === 0) return new Map();
  const topics = [...new Set(records.map((r) => r.topic))];
  try {
    const { lastOffsets, refused } = await cluster.operate({ ...operation, topics }, () => {
      check();
      const result = cluster.topics.send(records, cluster.clock.now(), transaction);
      cluster.changed();
      return result;
    });
    if (refused !== undefined) throw refused;
    const chosen = new Set(records.filter((r) => r.partition !== undefined).map((r) => topicPartitionKey(r.topic, r.partition!)));
    const unchosen = new Set(records.filter((r) => r.partition === undefined).map((r) => r.topic));
    return new Map([...lastOffsets].filter(([key]) => chosen.has(key) && !unchosen.has(key.slice(0, key.lastIndexOf(':')))));
  } catch (error) {
    throw toProductionFailure('send', error);
  }
}

/** The idempotent producer of at-least-once: records are visible as soon as the send resolves. */
export class InMemoryRecordProducer implements RecordProducer {
  constructor(
    private readonly cluster: ClusterBackend,
    private readonly client: string,
  ) {}

  async connect(): Promise<void> {
    try {
      await this.cluster.operate({ kind: 'initProducerId', client: this.client }, () => this.cluster.transactions.newProducerId());
    } catch (error) {
      throw toProductionFailure('connect', error);
    }
  }

  send(records: readonly OutgoingRecord[]): Promise<WrittenOffsets> {
    return produce(this.cluster, { kind: 'produce', client: this.client }, records, () => undefined, () => undefined);
  }

  async disconnect(): Promise<void> {
    await this.cluster.operate({ kind: 'disconnect', client: this.client }, () => undefined);
  }
}

/**
 * A transactional producer. Its first `begin()` runs `InitProducerId`, which fences an older producer of the same
 * transactional id (aborting its open transaction); every later call is checked against the current epoch.
 */
export class InMemoryTransactionalProducer implements TransactionalProducer {
  private identity: ProducerIdentity | null = null;
  private open: InMemoryTransaction | null = null;

  constructor(
    private readonly cluster: ClusterBackend,
    private readonly client: string,
    private readonly transactionalId: string,
    private readonly groupFenced: boolean,
  ) {}

  async connect(): Promise<void> {
    await this.step('connect', { kind: 'connect', client: this.client }, () => undefined);
  }

  async begin(): Promise<ProducerTransaction> {
    if (this.open?.active) throw new ProductionFailure('other', 'begin failed: there is already an ongoing transaction for this producer');
    if (this.identity === null) {
      const operation = { kind: 'initProducerId', client: this.client, transactionalId: this.transactionalId } as const;
      this.identity = await this.step('begin', operation, () => this.cluster.transactions.initProducerId(this.transactionalId));
    }
    this.open = new InMemoryTransaction(this.cluster, this.client, this.transactionalId, this.identity, this.groupFenced);
    return this.open;
  }

  async disconnect(): Promise<void> {
    await this.cluster.operate({ kind: 'disconnect', client: this.client }, () => undefined);
  }

  private async step<T>(what: string, operation: ClusterOperation, apply: () => T): Promise<T> {
    try {
      return await this.cluster.operate(operation, apply);
    } catch (error) {
      throw toProductionFailure(what, error);
    }
  }
}

class InMemoryTransaction implements ProducerTransaction {
  private ended = false;
  /** Whether the coordinator knows this transaction: kafkajs (and Java) end one that never added anything locally. */
  private started = false;

  constructor(
    private readonly cluster: ClusterBackend,
    private readonly client: string,
    private readonly transactionalId: string,
    private readonly identity: ProducerIdentity,
    /** TxnOffsetCommit v3+: the group checks the member that sends offsets (KIP-447). */
    private readonly groupFenced: boolean,
  ) {}

  async send(records: readonly OutgoingRecord[]): Promise<WrittenOffsets> {
    const { transactions } = this.cluster;
    this.guard('send');
    const join: BatchTransaction = (log) => {
      const outcome = transactions.addPartition(this.transactionalId, this.identity, log, TRANSACTION_TIMEOUT_MS);
      this.started = true;
      return { producerId: this.identity.producerId, outcome };
    };
    return produce(this.cluster, { kind: 'produce', client: this.client, transactionalId: this.transactionalId }, records, join, () => transactions.check(this.transactionalId, this.identity));
  }

  /**
   * AddOffsetsToTxn, then TxnOffsetCommit. With `groupFenced` and a member, the group checks it first; a refusal
   * fails `fenced` (the offsets' owner is someone else now), and the producer may still end the transaction.
   */
  async sendOffsets(groupId: string, offsets: readonly OffsetAndMetadata[], member?: GroupMember): Promise<void> {
    this.guard('sendOffsets');
    const operation = { kind: 'sendOffsets', client: this.client, transactionalId: this.transactionalId, groupId, ...(member === undefined ? {} : { memberId: member.memberId }) } as const;
    try {
      await this.cluster.operate(operation, () => {
        const group = this.cluster.group(groupId);
        this.cluster.transactions.addOffsets(this.transactionalId, this.identity, group, TRANSACTION_TIMEOUT_MS);
        this.started = true;
        if (this.groupFenced && member !== undefined) group.checkTransactionalMember(member);
        group.stage(this.identity.producerId, offsets);
      });
    } catch (error) {
      if (error instanceof KafkaError && GROUP_FENCING.has(error.code)) {
        throw new ProductionFailure('fenced', `sendOffsets failed (${error.code}): ${error.message}`, { cause: error });
      }
      throw toProductionFailure('sendOffsets', error);
    }
  }

  commit(): Promise<void> {
    return this.end(true);
  }

  abort(): Promise<void> {
    return this.end(false);
  }

  private async end(commit: boolean): Promise<void> {
    const what = commit ? 'commit' : 'abort';
    this.guard(what);
    if (this.started) {
      await this.step(what, { kind: 'endTransaction', client: this.client, transactionalId: this.transactionalId, commit }, () =>
        this.cluster.transactions.endTransaction(this.transactionalId, this.identity, commit),
      );
    }
    this.ended = true;
  }

  get active(): boolean {
    return !this.ended;
  }

  private guard(what: string): void {
    if (this.ended) throw new ProductionFailure('other', `${what} failed: cannot continue to use the transaction once ended`);
  }

  private async step<T>(what: string, operation: ClusterOperation, apply: () => T): Promise<T> {
    try {
      return await this.cluster.operate(operation, apply);
    } catch (error) {
      throw toProductionFailure(what, error);
    }
  }
}
