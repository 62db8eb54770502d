import type { KafkaClient } from '../client/kafka-client.js';
import type { OutgoingRecord } from '../../processing/record-collector.js';
import type { ActiveTask } from './active-task.js';
import type { ProductionExceptionHandler } from './production-exception-handler.js';
import { isRefusedRecord, sendOneByOne } from './send-output.js';
import { committableOffsets, type TaskCommitter } from './task-committer.js';

/**
 * Exactly-once: one transactional producer per task (`transactionalId = <applicationId>-<taskId>`), so that the
 * next owner of a task fences this one. Output, changelog records and input offsets of a task go in one Kafka
 * transaction; SQLite commits after it.
 */
export class ExactlyOnceCommitter implements TaskCommitter {
  /** What each task sent in its open transaction: if the transaction has to start over, all of it goes again. */
  private readonly sentInTransaction = new Map<ActiveTask, OutgoingRecord[]>();

  constructor(
    private readonly client: KafkaClient,
    private readonly applicationId: string,
    private readonly productionHandler: ProductionExceptionHandler,
  ) {}

  async initializeTask(task: ActiveTask): Promise<void> {
    const producer = this.client.transactionalProducer(`${this.applicationId}-${task.id}`);
    task.producer = producer;
    await producer.connect();
    task.transaction = await producer.begin();
  }

  /** Sends until the output is empty: the dead-letter copy of a refused record's input joins it while it is sent. */
  async sendBuffered(task: ActiveTask): Promise<void> {
    for (let records = task.drainOutput(); records.length > 0; records = task.drainOutput()) await this.send(task, records);
  }

  async commit(tasks: readonly ActiveTask[]): Promise<Map<ActiveTask, unknown>> {
    const failures = new Map<ActiveTask, unknown>();
    await Promise.all(tasks.map((task) => this.commitTask(task).catch((error: unknown) => failures.set(task, error))));
    return failures;
  }

  /**
   * The commit of one task, in this order and no other:
   * (a) flush: caches forward and stores write their changelog records into the task's output;
   * (b) one transaction: the output and changelog records, then the input offsets, then commit;
   * (c) SQLite: the state with the changelog offsets it now matches. A crash between (b) and (c) leaves SQLite
   *     behind Kafka, never ahead, and restoration replays the difference.
   */
  private async commitTask(task: ActiveTask): Promise<void> {
    task.engine.flush();
    const consumed = task.engine.consumedOffsets();
    const offsets = committableOffsets(task, consumed);
    await this.sendBuffered(task);
    const transaction = task.transaction!;
    if (offsets.length > 0) await transaction.sendOffsets(this.applicationId, offsets);
    await transaction.commit();
    task.transaction = null;
    this.sentInTransaction.delete(task);
    task.markInputCommitted(consumed);
    task.commitState();
    task.transaction = await task.producer!.begin();
  }

  /** Sends output inside the task's transaction and keeps it until the commit, in case the transaction starts over. */
  private async send(task: ActiveTask, records: readonly OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    const sent = this.sentInTransaction.get(task) ?? [];
    try {
      task.noteWritten(await task.transaction!.send(records));
    } catch (error) {
      if (!isRefusedRecord(error)) throw error;
      await this.startOver(task, sent.concat(records));
      return;
    }
    this.sentInTransaction.set(task, sent.concat(records));
  }

  /**
   * The broker refused a record, but kafkajs may already have written the batches of other partitions of the same
   * send: sending them again in this transaction would commit them twice. So the transaction is aborted, and all the
   * task sent since its last commit goes again in a new one, one record at a time, the production handler deciding
   * about each refused record alone.
   */
  private async startOver(task: ActiveTask, records: readonly OutgoingRecord[]): Promise<void> {
    const aborted = task.transaction!;
    task.transaction = null;
    this.sentInTransaction.delete(task);
    await aborted.abort();
    const transaction = await task.producer!.begin();
    task.transaction = transaction;
    const { written, accepted } = await sendOneByOne((batch) => transaction.send(batch), records, task, this.productionHandler);
    task.noteWritten(written);
    this.sentInTransaction.set(task, accepted);
  }

  async releaseTask(task: ActiveTask, abort: boolean): Promise<void> {
    this.sentInTransaction.delete(task);
    const { producer, transaction } = task;
    task.transaction = null;
    task.producer = null;
    try {
      if (abort && transaction !== null) await transaction.abort();
    } finally {
      await producer?.disconnect();
    }
  }

  async close(): Promise<void> {
    // Every producer belongs to a task and is released with it.
  }
}
