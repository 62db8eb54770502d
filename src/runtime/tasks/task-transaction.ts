import { StreamsError } from '../../core/errors.js';
import type { OutgoingRecord } from '../../processing/record-collector.js';
import type { ProducerTransaction, TransactionalProducer } from '../client/kafka-client.js';
import { StateMachine, type TransitionTable } from '../state-machine.js';

/**
 * Where a task's exactly-once producer stands:
 * - `connecting`: the producer connects and begins its first transaction, which fences the task's previous owner;
 * - `open`: a transaction is open; output sent early goes into it (and is kept, in case it has to start over);
 * - `committing`: commit steps 3 and 4 are under way (offsets and commit, then the state); then the next
 *   transaction begins and the task is `open` again;
 * - `restarting`: the broker refused a record, so the transaction is aborted and its records go again in a new one;
 * - `released`: the task is closed; an open transaction was aborted (or left to the next owner's fencing).
 */
export type TransactionStatus = 'connecting' | 'open' | 'committing' | 'restarting' | 'released';

const TRANSACTION_TRANSITIONS: TransitionTable<TransactionStatus> = {
  connecting: ['open', 'released'],
  open: ['committing', 'restarting', 'released'],
  committing: ['open', 'released'],
  restarting: ['open', 'released'],
  released: [],
};

/**
 * Everything exactly-once keeps for one task, in one record: its transactional producer, the open transaction, what
 * was sent in it, and an explicit status, so that no step can use a transaction another step has already ended.
 */
export class TaskTransaction {
  private readonly status: StateMachine<TransactionStatus>;
  private open: ProducerTransaction | null = null;
  /** What was sent in the open transaction: if it has to start over, all of it goes again. */
  private sentRecords: OutgoingRecord[] = [];

  constructor(
    readonly taskId: string,
    private readonly producer: TransactionalProducer,
  ) {
    this.status = new StateMachine(`the transaction of task ${taskId}`, TRANSACTION_TRANSITIONS, 'connecting');
  }

  get state(): TransactionStatus {
    return this.status.state;
  }

  get sent(): readonly OutgoingRecord[] {
    return this.sentRecords;
  }

  /** Connects the producer and begins the first transaction (fencing any older producer of the task). */
  async connect(): Promise<void> {
    await this.producer.connect();
    this.open = await this.producer.begin();
    this.status.moveTo('open');
  }

  /** The open transaction, for the step that uses it now; throws when there is none. */
  current(): ProducerTransaction {
    if (this.open === null || (this.status.state !== 'open' && this.status.state !== 'committing')) {
      throw new StreamsError('ILLEGAL_STATE', `task ${this.taskId} has no open transaction (it is ${this.status.state})`);
    }
    return this.open;
  }

  noteSent(records: readonly OutgoingRecord[]): void {
    this.sentRecords = this.sentRecords.concat(records);
  }

  /** Commit step 3: the input offsets (when any moved) and the commit of the open transaction. */
  async commit(groupId: string, offsets: Parameters<ProducerTransaction['sendOffsets']>[1]): Promise<void> {
    const transaction = this.current();
    this.status.moveTo('committing');
    if (offsets.length > 0) await transaction.sendOffsets(groupId, offsets);
    await transaction.commit();
    this.open = null;
    this.sentRecords = [];
  }

  /** After commit step 4: the next transaction, which output sent before the next commit goes into. */
  async beginNext(): Promise<void> {
    if (this.status.state !== 'committing') {
      throw new StreamsError('ILLEGAL_STATE', `task ${this.taskId} begins a next transaction only after a commit (it is ${this.status.state})`);
    }
    this.open = await this.producer.begin();
    this.status.moveTo('open');
  }

  /**
   * Aborts the open transaction and begins a new one; resolves with the new transaction and what the aborted one
   * had sent, which the caller sends again.
   */
  async restart(): Promise<{ transaction: ProducerTransaction; resend: readonly OutgoingRecord[] }> {
    const aborted = this.current();
    const resend = this.sentRecords;
    this.status.moveTo('restarting');
    this.open = null;
    this.sentRecords = [];
    await aborted.abort();
    this.open = await this.producer.begin();
    this.status.moveTo('open');
    return { transaction: this.open, resend };
  }

  /** Releases the producer; `abort` aborts an open transaction first (a dirty close). */
  async release(abort: boolean): Promise<void> {
    const transaction = this.open;
    this.open = null;
    this.sentRecords = [];
    if (this.status.state === 'released') return;
    this.status.moveTo('released');
    try {
      if (abort && transaction !== null) await transaction.abort();
    } finally {
      await this.producer.disconnect();
    }
  }
}
