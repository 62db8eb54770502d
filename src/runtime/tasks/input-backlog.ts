import { topicPartitionKey } from '../../state/changelog.js';
import type { TopicPartition } from '../../processing/raw-record.js';

/**
 * How long a new task waits at most for the backlog of an input partition it has not read yet. Data known to be on
 * the broker normally arrives with the next fetches, in milliseconds; the bound only matters where the end offset
 * taken at the start can never be read (a transaction left open by a crashed producer, until it is aborted).
 */
export const BACKLOG_WAIT_MS = 10_000;

/**
 * The input a new task knows is waiting on the broker: for each of its partitions, the end offset at the task's
 * start when it lies beyond the task's position. While one of those partitions has nothing buffered and its
 * consumer has not reached that offset, the task does not process its other partitions: a stream-table join must
 * not join a stream record before the table records that precede it were even fetched. Kafka Streams does the same
 * for any partition with known lag (KIP-695, `max.task.idle.ms`); we apply it to the backlog a task starts on,
 * where it matters (a new deployment, a restart, a task taking over), not to every fetch (docs/runtime.md).
 */
export class InputBacklog {
  private readonly pending = new Map<string, { readonly end: number; readonly untilMs: number }>();

  constructor(private readonly clock: () => number = Date.now) {}

  /** The task reading `partition` from `position` starts with input up to `end` (exclusive) on the broker. */
  expect(partition: TopicPartition, position: number, end: number): void {
    const key = topicPartitionKey(partition.topic, partition.partition);
    if (end > position) this.pending.set(key, { end, untilMs: this.clock() + BACKLOG_WAIT_MS });
    else this.pending.delete(key);
  }

  /** The consumer will read `partition` from `nextOffset` on: a backlog that ends there is read. */
  reached(partition: TopicPartition, nextOffset: number): void {
    const key = topicPartitionKey(partition.topic, partition.partition);
    const backlog = this.pending.get(key);
    if (backlog !== undefined && nextOffset >= backlog.end) this.pending.delete(key);
  }

  forget(partition: TopicPartition): void {
    this.pending.delete(topicPartitionKey(partition.topic, partition.partition));
  }

  /** Whether a task must wait: one of its partitions has nothing buffered and a backlog not read yet. */
  holds(partitions: readonly TopicPartition[], bufferedCount: (partition: TopicPartition) => number): boolean {
    if (this.pending.size === 0) return false;
    const now = this.clock();
    return partitions.some((partition) => {
      const key = topicPartitionKey(partition.topic, partition.partition);
      const backlog = this.pending.get(key);
      if (backlog === undefined) return false;
      if (now >= backlog.untilMs) {
        this.pending.delete(key);
        return false;
      }
      return bufferedCount(partition) === 0;
    });
  }
}
