import type { RawRecord, TopicPartition } from '../../processing/raw-record.js';
import { TopicPartitionMap } from '../../processing/topic-partition-map.js';
import type { GroupConsumer } from '../client/kafka-client.js';
import type { ActiveTask } from './active-task.js';
import { InputBacklog } from './input-backlog.js';
import { RecordsLag, type PartitionLag } from './records-lag.js';

export interface InputRouterOptions {
  readonly consumer: () => GroupConsumer;
  /** The task an input partition belongs to, when this instance holds it. */
  readonly taskOf: (partition: TopicPartition) => ActiveTask | undefined;
  readonly maxBufferedRecordsPerPartition: number;
}

/**
 * The input side of the task manager: where each input partition is read from, which fetched records reach their
 * task (records below the expected offset are duplicates after a seek), backpressure (a partition whose task
 * buffers too many records is paused, and resumed below half), and the backlog a new task waits for
 * (`InputBacklog`).
 */
export class InputRouter {
  /** Next offset expected per input partition. */
  private readonly positions = new TopicPartitionMap<number>();
  /** Partitions paused because their task buffers too many records. */
  private readonly backpressured = new TopicPartitionMap<TopicPartition>();
  private readonly backlog = new InputBacklog();
  private readonly lag = new RecordsLag();

  constructor(private readonly options: InputRouterOptions) {}

  /** A new task reads `partition` from `offset`, and the broker holds its input up to `end` (exclusive). */
  startAt(partition: TopicPartition, offset: number, end: number): void {
    this.options.consumer().seek(partition, offset);
    this.positions.set(partition, offset);
    this.backlog.expect(partition, offset, end);
    this.lag.started(partition, offset, end);
  }

  /**
   * After a rebalance that kept the partition's task: the consumer continues after what the task buffered. Returns
   * `false` when that position is unknown (the task lost it), and the caller pauses the partition until its task
   * is created again.
   */
  continueAfterBuffered(partition: TopicPartition): boolean {
    const position = this.positions.get(partition);
    if (position === undefined) return false;
    this.options.consumer().seek(partition, position);
    return true;
  }

  /** Pauses a partition until its task is ready, which then says where to read from (`startAt`). */
  holdUntilStarted(partition: TopicPartition): void {
    this.options.consumer().pause([partition]);
    this.positions.delete(partition);
  }

  /** The partition's task is lost: what it read is no longer where the partition continues. */
  forgetPosition(partition: TopicPartition): void {
    this.positions.delete(partition);
    this.backlog.forget(partition);
    this.lag.forget(partition);
  }

  /** The partition's task is closed. */
  forget(partition: TopicPartition): void {
    this.forgetPosition(partition);
    this.backpressured.delete(partition);
  }

  /** Buffers fetched records of one partition in its task; pauses the partition when the task holds too many. */
  accept(records: readonly RawRecord[]): void {
    const first = records[0];
    if (first === undefined) return;
    const partition = { topic: first.topic, partition: first.partition };
    const task = this.options.taskOf(partition);
    const expected = this.positions.get(partition);
    if (task === undefined || expected === undefined || task.state === 'closed') return;
    // Records come in offset order: only a batch that starts before the expected offset (after a seek) has any to drop.
    const fresh = first.offset >= expected ? records : records.filter((r) => r.offset >= expected);
    if (fresh.length === 0) return;
    const next = fresh[fresh.length - 1]!.offset + 1;
    this.positions.set(partition, next);
    this.backlog.reached(partition, next);
    this.lag.fetchedUpTo(partition, next, undefined);
    const buffered = task.engine.addRecords(partition, fresh);
    if (buffered >= this.options.maxBufferedRecordsPerPartition && !this.backpressured.has(partition)) {
      this.backpressured.set(partition, partition);
      this.options.consumer().pause([partition]);
    }
  }

  /** The consumer's position after a fetch, past records `accept` never sees (control and aborted ones). */
  noteFetchPosition(partition: TopicPartition, nextOffset: number, highWatermark?: number): void {
    this.backlog.reached(partition, nextOffset);
    this.lag.fetchedUpTo(partition, nextOffset, highWatermark);
  }

  /** Records lag of every input partition of a held task (`RecordsLag`). */
  recordsLag(): PartitionLag[] {
    return this.lag.snapshot((partition) => this.options.taskOf(partition)?.engine.bufferedCount(partition) ?? 0);
  }

  /** Whether a task waits for input known to be on the broker before it processes more (`InputBacklog`). */
  holds(task: ActiveTask): boolean {
    return this.backlog.holds(task.inputPartitions, task.engine);
  }

  /** Resumes partitions whose task drained below half the buffer limit. */
  resumeDrained(): void {
    if (this.backpressured.size === 0) return;
    for (const [, partition] of this.backpressured.entries()) {
      const task = this.options.taskOf(partition);
      if (task === undefined) {
        this.backpressured.delete(partition);
      } else if (task.state === 'running' && task.engine.bufferedCount(partition) < this.options.maxBufferedRecordsPerPartition / 2) {
        this.backpressured.delete(partition);
        this.options.consumer().resume([partition]);
      }
    }
  }
}
