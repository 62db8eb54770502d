import type { KafkaClient } from '../client/kafka-client.js';
import type { ActiveTask } from './active-task.js';
import type { ProductionExceptionHandler } from './production-exception-handler.js';
import { sendOutput } from './send-output.js';
import { offsetList, type TaskCommitter } from './task-committer.js';

/**
 * Exactly-once: one transactional producer per task (`transactionalId = <applicationId>-<taskId>`), so that the
 * next owner of a task fences this one. Output, changelog records and input offsets of a task go in one Kafka
 * transaction; SQLite commits after it.
 */
export class ExactlyOnceCommitter implements TaskCommitter {
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

  async sendBuffered(task: ActiveTask): Promise<void> {
    const transaction = task.transaction!;
    task.noteWritten(await sendOutput((records) => transaction.send(records), task.drainOutput(), task, this.productionHandler));
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
    task.stream.flush();
    const consumed = task.stream.consumedOffsets();
    const output = task.drainOutput();
    const transaction = task.transaction!;
    task.noteWritten(await sendOutput((records) => transaction.send(records), output, task, this.productionHandler));
    const offsets = offsetList(consumed, task.inputPartitions);
    if (offsets.length > 0) await transaction.sendOffsets(this.applicationId, offsets);
    await transaction.commit();
    task.transaction = null;
    task.markInputCommitted(consumed);
    task.commitState();
    task.transaction = await task.producer!.begin();
  }

  async releaseTask(task: ActiveTask, abort: boolean): Promise<void> {
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
