import { StreamsError } from '../../core/errors.js';
import type { OutgoingRecord } from '../../processing/record-collector.js';
import type { GroupMember, OffsetAndMetadata, ProducerTransaction, TransactionalProducer } from '../client/kafka-client.js';
import { StateMachine, type TransitionTable } from '../state-machine.js';

/**
 * Where an exactly-once producer stands (a task's own, or a stream thread's under KIP-447):
 * - `connecting`: the producer connects and begins its first transaction, which fences its transactional id's
 *   previous holder (a task's previous owner, or this thread's previous incarnation);
 * - `open`: a transaction is open; output sent early goes into it (and is kept, in case it has to start over);
 * - `committing`: commit steps 3 and 4 are under way (offsets and commit, then the state); then the next
 *   transaction begins and it is `open` again (a task's), or it is `idle` until output or offsets need one (a thread's);
 * - `idle`: committed, no transaction begun yet;
 * - `restarting`: the broker refused a record, so the transaction is aborted and its records go again in a new one;
 * - `released`: its tasks are closed; an open transaction was aborted (or left to the next holder's fencing).
 */
export type TransactionStatus = 'connecting' | 'open' | 'committing' | 'idle' | 'restarting' | 'released';

const TRANSACTION_TRANSITIONS: TransitionTable<TransactionStatus> = {
  connecting: ['open', 'released'],
  open: ['committing', 'restarting', 'released'],
  committing: ['open', 'idle', 'released'],
  idle: ['open', 'released'],
  restarting: ['open', 'released'],
  released: [],
};

/** Records one task sent into the open transaction, in the order sent. */
export interface SentRecords {
  readonly taskId: string;
  readonly records: readonly OutgoingRecord[];
}

/**
 * Everything exactly-once keeps for one transactional producer, in one record: the producer, the open transaction,
 * what each task sent in it, and an explicit status, so that no step can use a transaction another step has
 * already ended. Under exactly-once with a producer per task it serves one task; with KIP-447 all tasks of a stream
 * thread share it.
 */
export class TaskTransaction {
  private readonly status: StateMachine<TransactionStatus>;
  private open: ProducerTransaction | null = null;
  /** What was sent in the open transaction: if it has to start over, all of it goes again. */
  private sentRecords: SentRecords[] = [];

  /** `owner` names it in errors: `task 0_1`, or `thread 1`. */
  constructor(
    readonly owner: string,
    private readonly producer: TransactionalProducer,
  ) {
    this.status = new StateMachine(`the transaction of ${owner}`, TRANSACTION_TRANSITIONS, 'connecting');
  }

  get state(): TransactionStatus {
    return this.status.state;
  }

  /** Every record sent in the open transaction, in the order sent. */
  get sent(): readonly OutgoingRecord[] {
    return this.sentRecords.flatMap((s) => s.records);
  }

  /** Connects the producer and begins the first transaction (fencing any older producer of the transactional id). */
  async connect(): Promise<void> {
    await this.producer.connect();
    this.open = await this.producer.begin();
    this.status.moveTo('open');
  }

  /** The open transaction, for the step that uses it now; throws when there is none. */
  current(): ProducerTransaction {
    if (this.open === null || (this.status.state !== 'open' && this.status.state !== 'committing')) {
      throw new StreamsError('ILLEGAL_STATE', `${this.owner} has no open transaction (it is ${this.status.state})`);
    }
    return this.open;
  }

  /** The open transaction, begun first when the last one committed (`idle`): a thread begins one when it needs one. */
  async opened(): Promise<ProducerTransaction> {
    if (this.status.state === 'idle') {
      this.open = await this.producer.begin();
      this.status.moveTo('open');
    }
    return this.current();
  }

  noteSent(taskId: string, records: readonly OutgoingRecord[]): void {
    this.sentRecords.push({ taskId, records });
  }

  /**
   * Commit step 3: the input offsets (when any moved) and the commit of the open transaction. `member` goes with
   * the offsets under KIP-447, so that the group coordinator refuses them once the member's generation is over.
   */
  async commit(groupId: string, offsets: readonly OffsetAndMetadata[], member?: GroupMember): Promise<void> {
    const transaction = this.current();
    this.status.moveTo('committing');
    if (offsets.length > 0) await (member === undefined ? transaction.sendOffsets(groupId, offsets) : transaction.sendOffsets(groupId, offsets, member));
    await transaction.commit();
    this.open = null;
    this.sentRecords = [];
  }

  /** After commit step 4: the next transaction, which output sent before the next commit goes into. */
  async beginNext(): Promise<void> {
    this.requireCommitting('begins a next transaction');
    this.open = await this.producer.begin();
    this.status.moveTo('open');
  }

  /** After commit step 4, for a thread's transaction: the next one begins when output or offsets need it (`opened`). */
  settle(): void {
    this.requireCommitting('settles');
    this.status.moveTo('idle');
  }

  /**
   * Aborts the open transaction and begins a new one; resolves with the new transaction and what the aborted one
   * had sent, per task in the order sent, which the caller sends again.
   */
  async restart(): Promise<{ transaction: ProducerTransaction; resend: readonly SentRecords[] }> {
    const aborted = this.current();
    const resend = this.sentRecords;
    this.status.moveTo('restarting');
    this.open = null;
    await aborted.abort();
    this.open = await this.producer.begin();
    this.sentRecords = [];
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

  private requireCommitting(what: string): void {
    if (this.status.state !== 'committing') {
      throw new StreamsError('ILLEGAL_STATE', `${this.owner} ${what} only after a commit (it is ${this.status.state})`);
    }
  }
}
