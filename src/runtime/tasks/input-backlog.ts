import type { TopicPartition } from '../../processing/raw-record.js';
import { TopicPartitionMap } from '../../processing/topic-partition-map.js';

/**
 * How long a new task waits at most for the backlog of an input partition it has not read yet. Data known to be on
 * the broker normally arrives with the next fetches, in milliseconds; the bound only matters where the end offset
 * taken at the start can never be read (a transaction left open by a crashed producer, until it is aborted).
 */
export const BACKLOG_WAIT_MS = 10_000;

/** What a task holds of each input partition; an object rather than a callback, so no closure is made per record. */
export interface BufferedInput {
  bufferedCount(partition: TopicPartition): number;
}

/**
 * The input a new task knows is waiting on the broker: for each of its partitions, the end offset at the task's
 * start when it lies beyond the task's position. While one of those partitions has nothing buffered and its
 * consumer has not reached that offset, the task does not process its other partitions: a stream-table join must
 * not join a stream record before the table records that precede it were even fetched. Kafka Streams does the same
 * for any partition with known lag (KIP-695, `max.task.idle.ms`); we apply it to the backlog a task starts on,
 * where it matters (a new deployment, a restart, a task taking over), not to every fetch (docs/runtime.md).
 *
 * `holds` runs before every record a task processes and `reached` after every fetch, and a task that starts on a
 * large backlog asks them for as long as it reads it: both look partitions up without building keys, and `holds`
 * reads the clock only for a partition that would hold its task.
 */
export class InputBacklog {
  private readonly pending = new TopicPartitionMap<{ readonly end: number; readonly untilMs: number }>();

  constructor(private readonly clock: () => number = Date.now) {}

  /** The task reading `partition` from `position` starts with input up to `end` (exclusive) on the broker. */
  expect(partition: TopicPartition, position: number, end: number): void {
    if (end > position) this.pending.set(partition, { end, untilMs: this.clock() + BACKLOG_WAIT_MS });
    else this.pending.delete(partition);
  }

  /** The consumer will read `partition` from `nextOffset` on: a backlog that ends there is read. */
  reached(partition: TopicPartition, nextOffset: number): void {
    if (this.pending.size === 0) return;
    const backlog = this.pending.get(partition);
    if (backlog !== undefined && nextOffset >= backlog.end) this.pending.delete(partition);
  }

  forget(partition: TopicPartition): void {
    this.pending.delete(partition);
  }

  /**
   * Whether a task must wait: one of its partitions has nothing buffered (in `buffer`, the task's engine) and a
   * backlog not read yet.
   */
  holds(partitions: readonly TopicPartition[], buffer: BufferedInput): boolean {
    if (this.pending.size === 0) return false;
    for (const partition of partitions) {
      const backlog = this.pending.get(partition);
      // A partition with records buffered holds nothing, whether or not its wait has run out.
      if (backlog === undefined || buffer.bufferedCount(partition) > 0) continue;
      if (this.clock() < backlog.untilMs) return true;
      this.pending.delete(partition);
    }
    return false;
  }
}
