import { StreamsError } from '../../core/errors.js';
import type { KafkaClient } from '../client/kafka-client.js';
import type { OutgoingRecord } from '../../processing/record-collector.js';
import type { ActiveTask } from './active-task.js';
import type { ProductionExceptionHandler } from './production-exception-handler.js';
import { isRefusedRecord, sendOneByOne } from './send-output.js';
import { committableOffsets, type TaskCommitter } from './task-committer.js';
import { TaskTransaction } from './task-transaction.js';

/**
 * Exactly-once: one transactional producer per task (`transactionalId = <applicationId>-<taskId>`), so that the
 * next owner of a task fences this one. Output, changelog records and input offsets of a task go in one Kafka
 * transaction; SQLite commits after it. Each task's producer, open transaction and status live in its
 * `TaskTransaction`.
 */
export class ExactlyOnceCommitter implements TaskCommitter {
  private readonly transactions = new Map<ActiveTask, TaskTransaction>();

  constructor(
    private readonly client: KafkaClient,
    private readonly applicationId: string,
    private readonly productionHandler: ProductionExceptionHandler,
  ) {}

  async initializeTask(task: ActiveTask): Promise<void> {
    const transaction = new TaskTransaction(task.id, this.client.transactionalProducer(`${this.applicationId}-${task.id}`));
    this.transactions.set(task, transaction);
    await transaction.connect();
  }

  /** Commit step 2 (also early, for a large buffer): sends until the output is empty, since the dead-letter copy of a refused record's input joins it while it is sent. */
  async sendBuffered(task: ActiveTask): Promise<void> {
    for (let records = task.drainOutput(); records.length > 0; records = task.drainOutput()) await this.send(task, records);
  }

  async commit(tasks: readonly ActiveTask[]): Promise<Map<ActiveTask, unknown>> {
    const failures = new Map<ActiveTask, unknown>();
    await Promise.all(tasks.map((task) => this.commitTask(task).catch((error: unknown) => failures.set(task, error))));
    return failures;
  }

  /**
   * The commit of one task, in these steps and no other (`docs/runtime.md`, "The commit path"):
   * 1. flush: caches forward and stores write their changelog records into the task's output;
   * 2. send: the output and changelog records, into the open transaction;
   * 3. commit offsets: the input offsets into the transaction, then its commit;
   * 4. commit state: SQLite, with the changelog offsets it now matches. A crash between 3 and 4 leaves SQLite
   *    behind Kafka, never ahead, and restoration replays the difference.
   */
  private async commitTask(task: ActiveTask): Promise<void> {
    task.engine.flush();
    const consumed = task.engine.consumedOffsets();
    const offsets = committableOffsets(task, consumed);
    await this.sendBuffered(task);
    const transaction = this.transactionOf(task);
    await transaction.commit(this.applicationId, offsets);
    task.markInputCommitted(consumed);
    task.commitState();
    await transaction.beginNext();
  }

  /** Sends output inside the task's transaction and keeps it until the commit, in case the transaction starts over. */
  private async send(task: ActiveTask, records: readonly OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    const transaction = this.transactionOf(task);
    try {
      task.noteWritten(await transaction.current().send(records));
    } catch (error) {
      if (!isRefusedRecord(error)) throw error;
      await this.startOver(task, transaction, records);
      return;
    }
    transaction.noteSent(records);
  }

  /**
   * The broker refused a record, but kafkajs may already have written the batches of other partitions of the same
   * send: sending them again in this transaction would commit them twice. So the transaction is aborted, and all the
   * task sent since its last commit goes again in a new one, one record at a time, the production handler deciding
   * about each refused record alone.
   */
  private async startOver(task: ActiveTask, transaction: TaskTransaction, refusedSend: readonly OutgoingRecord[]): Promise<void> {
    const { transaction: next, resend } = await transaction.restart();
    const { written, accepted } = await sendOneByOne((batch) => next.send(batch), resend.concat(refusedSend), task, this.productionHandler);
    task.noteWritten(written);
    transaction.noteSent(accepted);
  }

  async releaseTask(task: ActiveTask, abort: boolean): Promise<void> {
    const transaction = this.transactions.get(task);
    this.transactions.delete(task);
    await transaction?.release(abort);
  }

  async close(): Promise<void> {
    // Every producer belongs to a task and is released with it.
  }

  private transactionOf(task: ActiveTask): TaskTransaction {
    const transaction = this.transactions.get(task);
    if (transaction === undefined) throw new StreamsError('ILLEGAL_STATE', `task ${task.id} has no transactional producer`);
    return transaction;
  }
}
