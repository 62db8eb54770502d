import type { KafkaClient, OffsetAndMetadata, RecordProducer } from '../client/kafka-client.js';
import type { TaskLogger } from '../../processing/task-logger.js';
import { describeError } from '../../core/errors.js';
import type { ActiveTask } from './active-task.js';
import type { ProductionExceptionHandler } from './production-exception-handler.js';
import { sendOutput } from './send-output.js';
import { committableOffsets, type TaskCommitter } from './task-committer.js';

/**
 * At-least-once: one idempotent producer for the instance. A commit flushes, sends and awaits the acks, commits
 * the input offsets through the consumer, then commits SQLite with the changelog offsets. If the offset commit
 * fails (the group is rebalancing), the state is still committed (it matches the changelog); the input is
 * processed again by whoever owns it next, which at-least-once allows.
 */
export class AtLeastOnceCommitter implements TaskCommitter {
  readonly transactionScope = 'none';
  private readonly producer: RecordProducer;
  private connected: Promise<void> | null = null;

  constructor(
    client: KafkaClient,
    private readonly commitOffsets: (offsets: readonly OffsetAndMetadata[]) => Promise<void>,
    private readonly productionHandler: ProductionExceptionHandler,
    private readonly logger: TaskLogger,
  ) {
    this.producer = client.producer();
  }

  async initializeTask(): Promise<void> {
    // A failed connect is forgotten, so that the next task tries again instead of failing on the old rejection.
    this.connected ??= this.producer.connect().catch((error: unknown) => {
      this.connected = null;
      throw error;
    });
    await this.connected;
  }

  /** Sends until the output is empty: the dead-letter copy of a refused record's input joins it while it is sent. */
  async sendBuffered(task: ActiveTask): Promise<void> {
    for (let records = task.drainOutput(); records.length > 0; records = task.drainOutput()) {
      task.noteWritten(await sendOutput((batch) => this.producer.send(batch), records, task, this.productionHandler));
    }
  }

  /**
   * The commit steps (`docs/runtime.md`, "The commit path") over all due tasks: 1 flush and 2 send per task, 3 commit
   * offsets of every task that sent, through the consumer, 4 commit state per task — even when step 3 failed, since
   * the state matches the changelog records already acknowledged.
   */
  async commit(tasks: readonly ActiveTask[]): Promise<Map<ActiveTask, unknown>> {
    const failures = new Map<ActiveTask, unknown>();
    const sent: Array<{ task: ActiveTask; consumed: ReadonlyMap<string, number>; offsets: OffsetAndMetadata[] }> = [];
    await Promise.all(
      tasks.map(async (task) => {
        try {
          task.engine.flush();
          const consumed = task.engine.consumedOffsets();
          const offsets = committableOffsets(task, consumed);
          await this.sendBuffered(task);
          sent.push({ task, consumed, offsets });
        } catch (error) {
          failures.set(task, error);
        }
      }),
    );
    try {
      await this.commitOffsets(sent.flatMap(({ offsets }) => offsets));
      for (const { task, consumed } of sent) task.markInputCommitted(consumed);
    } catch (error) {
      this.logger.warn({ error: describeError(error), tasks: sent.map(({ task }) => task.id) }, 'input offset commit failed; records will be processed again');
    }
    for (const { task } of sent) {
      try {
        task.commitState();
      } catch (error) {
        failures.set(task, error);
      }
    }
    return failures;
  }

  /** Sent output is acknowledged at once: no task's output waits on another's. */
  entangled(tasks: readonly ActiveTask[]): ActiveTask[] {
    return [...tasks];
  }

  async releaseTask(): Promise<void> {
    // The producer is shared by all tasks; sent records are acknowledged, so there is nothing to abort.
  }

  async close(): Promise<void> {
    if (this.connected !== null) await this.producer.disconnect();
  }
}
