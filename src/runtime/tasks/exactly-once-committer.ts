import { StreamsError } from '../../core/errors.js';
import type { GroupMember, KafkaClient, OffsetAndMetadata } from '../client/kafka-client.js';
import { ProductionFailure } from '../client/production-failure.js';
import type { OutgoingRecord } from '../../processing/record-collector.js';
import type { ActiveTask } from './active-task.js';
import type { ProductionExceptionHandler } from './production-exception-handler.js';
import { isRefusedRecord, sendOneByOne } from './send-output.js';
import { committableOffsets, type TaskCommitter, type TransactionScope } from './task-committer.js';
import { TaskTransaction } from './task-transaction.js';

/**
 * Exactly-once: output, changelog records and input offsets go in one Kafka transaction, and SQLite commits after
 * it. Two ways to fence a task's previous owner, by what the client can do:
 * - a transactional producer per task (`transactionalId = <applicationId>-<taskId>`): the next owner's first
 *   transaction fences this one. kafkajs can do no other (its TxnOffsetCommit carries no group member);
 * - with `groupFencedTransactions` (KIP-447, Kafka Streams' `exactly_once_v2`), one producer for the stream thread
 *   (`threadTransactionalId`, `<applicationId>-<processId>-<threadIndex>`) and one transaction per commit for all
 *   its tasks: the offsets carry the consumer's group member, and the group coordinator refuses them once its
 *   generation is over. The first transaction of the thread fences its previous incarnation (a restart on the
 *   same state directory); a new owner of a task waits for stable offsets (`KafkaAdmin.committedOffsets`).
 * Each producer, its open transaction, what each task sent in it and its status live in a `TaskTransaction`.
 */
export class ExactlyOnceCommitter implements TaskCommitter {
  readonly transactionScope: TransactionScope;
  /** Producer per task: each task's transaction. */
  private readonly transactions = new Map<ActiveTask, TaskTransaction>();
  /** KIP-447: the tasks sharing the thread's transaction, by id. */
  private readonly threadTasks = new Map<string, ActiveTask>();
  /**
   * KIP-447: the tasks that sent output since the thread's last commit, by id. Their output is in the open
   * transaction (or in one aborted since, when a send failed): it commits with all of them, or none.
   */
  private readonly senders = new Set<string>();
  /** KIP-447: the thread's transaction, once connecting; a new one (and producer) after the last was released. */
  private thread: { readonly transaction: TaskTransaction; readonly ready: Promise<void> } | null = null;

  constructor(
    private readonly client: KafkaClient,
    private readonly applicationId: string,
    private readonly productionHandler: ProductionExceptionHandler,
    /** Set when the client has `groupFencedTransactions`: one transaction per commit for all tasks of the thread. */
    private readonly threadTransactionalId?: string,
  ) {
    this.transactionScope = threadTransactionalId === undefined ? 'task' : 'thread';
  }

  /** Creates the task's producer (or makes sure the thread's is there), whose first transaction fences the previous holder. */
  async initializeTask(task: ActiveTask): Promise<void> {
    if (this.transactionScope === 'thread') {
      this.threadTasks.set(task.id, task);
      await this.threadTransaction();
      return;
    }
    const transaction = new TaskTransaction(`task ${task.id}`, this.client.transactionalProducer(`${this.applicationId}-${task.id}`));
    this.transactions.set(task, transaction);
    await transaction.connect();
  }

  /** Commit step 2 (also early, for a large buffer): sends until the output is empty, since the dead-letter copy of a refused record's input joins it while it is sent. */
  async sendBuffered(task: ActiveTask): Promise<void> {
    for (let records = task.drainOutput(); records.length > 0; records = task.drainOutput()) await this.send(task, records);
  }

  /** A producer per task: each task commits its own transaction, side by side. KIP-447: all in one. */
  async commit(tasks: readonly ActiveTask[], member?: GroupMember): Promise<Map<ActiveTask, unknown>> {
    if (this.transactionScope === 'thread') return this.commitThread(tasks, member);
    const failures = new Map<ActiveTask, unknown>();
    await Promise.all(tasks.map(async (task) => (await this.commitTogether([task])).forEach((error, failed) => failures.set(failed, error))));
    return failures;
  }

  /**
   * KIP-447: every task that sent output into the thread's transaction must commit in it, since its output commits
   * with it. A sender missing from `tasks` (the caller may not commit it: its generation is over) fails them all:
   * the transaction is aborted and each of them closed dirty.
   */
  private async commitThread(tasks: readonly ActiveTask[], member: GroupMember | undefined): Promise<Map<ActiveTask, unknown>> {
    const given = new Set(tasks.map((task) => task.id));
    const excluded = [...this.senders].filter((id) => !given.has(id));
    if (excluded.length > 0) {
      const error = new ProductionFailure('fenced', `the thread's open transaction holds output of task(s) ${excluded.join(', ')}, which may not commit with generation ${member?.generationId ?? 'none'}; it is aborted`);
      const sharing = [...this.senders].flatMap((id) => this.threadTasks.get(id) ?? []);
      return new Map([...new Set([...tasks, ...sharing])].map((task) => [task, error]));
    }
    if (tasks.length === 0) return new Map();
    const failures = await this.commitTogether(tasks, member);
    // Failed before its state step: the transaction did not commit and cannot be used again.
    if (tasks.some((task) => failures.has(task)) && this.thread !== null && this.thread.transaction.state !== 'idle') await this.releaseThread(this.thread, true).catch(() => undefined);
    return failures;
  }

  /**
   * The commit of tasks that share one transaction (a task alone, or all of a thread's), in these steps and no
   * other (`docs/runtime.md`, "The commit path"):
   * 1. flush: caches forward and stores write their changelog records into each task's output;
   * 2. send: each task's output and changelog records, into the open transaction, one task after the other;
   * 3. commit offsets: every task's input offsets into the transaction (with `member` under KIP-447), then its commit;
   * 4. commit state: each task's SQLite, with the changelog offsets it now matches. A crash between 3 and 4 leaves
   *    SQLite behind Kafka, never ahead, and restoration replays the difference.
   * A failure before step 4 fails every task of the transaction; one in step 4 only its task.
   */
  private async commitTogether(tasks: readonly ActiveTask[], member?: GroupMember): Promise<Map<ActiveTask, unknown>> {
    const consumed = new Map<ActiveTask, ReadonlyMap<string, number>>();
    const offsets: OffsetAndMetadata[] = [];
    let transaction: TaskTransaction;
    try {
      for (const task of tasks) {
        task.engine.flush();
        consumed.set(task, task.engine.consumedOffsets());
        offsets.push(...committableOffsets(task, consumed.get(task)!));
      }
      for (const task of tasks) await this.sendBuffered(task);
      transaction = await this.transactionOf(tasks[0]!);
      await transaction.opened();
      await transaction.commit(this.applicationId, offsets, member);
      for (const task of tasks) this.senders.delete(task.id);
    } catch (error) {
      return new Map(tasks.map((task) => [task, error]));
    }
    const failures = new Map<ActiveTask, unknown>();
    for (const task of tasks) {
      try {
        task.markInputCommitted(consumed.get(task)!);
        task.commitState();
      } catch (error) {
        failures.set(task, error);
      }
    }
    if (this.transactionScope === 'thread') transaction.settle();
    else await transaction.beginNext().catch((error: unknown) => failures.set(tasks[0]!, error));
    return failures;
  }

  /** Sends output inside the task's transaction and keeps it until the commit, in case the transaction starts over. */
  private async send(task: ActiveTask, records: readonly OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    const transaction = await this.transactionOf(task);
    const open = await transaction.opened();
    // Before the send: a failed send may have written some batches, so the task's output is in the transaction.
    if (this.transactionScope === 'thread') this.senders.add(task.id);
    try {
      task.noteWritten(await open.send(records));
    } catch (error) {
      if (!isRefusedRecord(error)) throw error;
      await this.startOver(task, transaction, records);
      return;
    }
    transaction.noteSent(task.id, records);
  }

  /**
   * The broker refused a record, but kafkajs may already have written the batches of other partitions of the same
   * send: sending them again in this transaction would commit them twice. So the transaction is aborted, and all
   * that was sent in it since the last commit (by every task sharing it) goes again in a new one, one record at a
   * time, the production handler of the record's task deciding about each refused record alone.
   */
  private async startOver(task: ActiveTask, transaction: TaskTransaction, refusedSend: readonly OutgoingRecord[]): Promise<void> {
    const { transaction: next, resend } = await transaction.restart();
    for (const { taskId, records } of [...resend, { taskId: task.id, records: refusedSend }]) {
      const owner = taskId === task.id ? task : this.threadTasks.get(taskId);
      if (owner === undefined || records.length === 0) continue;
      const { written, accepted } = await sendOneByOne((batch) => next.send(batch), records, owner, this.productionHandler);
      owner.noteWritten(written);
      transaction.noteSent(taskId, accepted);
    }
  }

  /** KIP-447: the senders since the last commit share one fate; a task of its own is alone. */
  entangled(tasks: readonly ActiveTask[]): ActiveTask[] {
    if (!tasks.some((task) => this.senders.has(task.id))) return [...tasks];
    const sharing = [...this.senders].flatMap((id) => this.threadTasks.get(id) ?? []);
    return [...new Set([...tasks, ...sharing])];
  }

  /**
   * Releases a task's producer; `abort` first aborts its open transaction. KIP-447: the thread's producer stays for
   * the other tasks, unless the task has output in the open transaction and `abort` is set: then that transaction
   * is aborted and the producer released (the tasks sharing it are closed dirty too, see `entangled`); the next
   * task or send makes a new one, whose first transaction settles anything of the old one left open.
   */
  async releaseTask(task: ActiveTask, abort: boolean): Promise<void> {
    if (this.transactionScope === 'thread') {
      if (this.threadTasks.get(task.id) === task) this.threadTasks.delete(task.id);
      const thread = this.thread;
      if (abort && this.senders.has(task.id)) {
        this.senders.clear();
        if (thread !== null) await this.releaseThread(thread, true);
      }
      return;
    }
    const transaction = this.transactions.get(task);
    this.transactions.delete(task);
    await transaction?.release(abort);
  }

  /** Per task, every producer was released with its task; the thread's producer is released here. */
  async close(): Promise<void> {
    if (this.thread !== null) await this.releaseThread(this.thread, true);
  }

  private async releaseThread(thread: NonNullable<typeof this.thread>, abort: boolean): Promise<void> {
    if (this.thread !== thread) return;
    this.thread = null;
    this.senders.clear();
    await thread.transaction.release(abort);
  }

  /** The thread's transaction, connected; a failed connect is forgotten, so that the next call tries again. */
  private async threadTransaction(): Promise<TaskTransaction> {
    if (this.thread === null) {
      const transaction = new TaskTransaction(`thread ${this.threadTransactionalId!}`, this.client.transactionalProducer(this.threadTransactionalId!));
      const thread = { transaction, ready: transaction.connect() };
      this.thread = thread;
      thread.ready.catch(() => void this.releaseThread(thread, false).catch(() => undefined));
    }
    const { transaction, ready } = this.thread;
    await ready;
    return transaction;
  }

  private async transactionOf(task: ActiveTask): Promise<TaskTransaction> {
    if (this.transactionScope === 'thread') return this.threadTransaction();
    const transaction = this.transactions.get(task);
    if (transaction === undefined) throw new StreamsError('ILLEGAL_STATE', `task ${task.id} has no transactional producer`);
    return transaction;
  }
}
