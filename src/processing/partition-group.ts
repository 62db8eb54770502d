import { StreamsError } from '../core/errors.js';
import type { RawRecord, TopicPartition } from './raw-record.js';
import type { RecordQueue, StampedRecord } from './record-queue.js';
import { TopicPartitionMap } from './topic-partition-map.js';

/**
 * The input partitions of one task. Records are processed in timestamp order across partitions: the next record
 * comes from the partition whose head has the smallest timestamp, as in Kafka Streams' `PartitionGroup`.
 * Stream time is the largest timestamp handed out so far.
 *
 * Non-empty queues wait in the order they became non-empty (a polled queue goes to the back), and that order
 * breaks ties between equal head timestamps, so partitions with equal timestamps take turns.
 */
export class PartitionGroup {
  /** By partition, looked up for every fetched batch and (by the input backlog) every record. */
  private readonly queues = new TopicPartitionMap<RecordQueue>();
  private readonly allQueues: readonly RecordQueue[];
  private readonly waiting: RecordQueue[] = [];
  private streamTimeMs = -1;

  constructor(
    /** The owning task, for error coordinates. */
    private readonly taskId: string,
    queues: readonly RecordQueue[],
  ) {
    for (const queue of queues) this.queues.set(queue.partition, queue);
    this.allQueues = queues;
  }

  /** Buffers records of one partition; returns that partition's new buffered count. */
  addRecords(partition: TopicPartition, records: readonly RawRecord[]): number {
    const queue = this.queue(partition);
    const wasEmpty = queue.size() === 0;
    const size = queue.add(records);
    if (wasEmpty && size > 0) this.waiting.push(queue);
    return size;
  }

  /** Takes the next record in timestamp order, advancing stream time; `undefined` when nothing is buffered. */
  nextRecord(): StampedRecord | undefined {
    const index = this.earliestIndex();
    if (index < 0) return undefined;
    const waiting = this.waiting;
    const queue = waiting[index]!;
    const record = queue.poll()!;
    const stillBuffered = queue.size() > 0;
    if (!stillBuffered || index !== waiting.length - 1) {
      waiting.splice(index, 1);
      if (stillBuffered) waiting.push(queue);
    }
    if (record.timestamp > this.streamTimeMs) this.streamTimeMs = record.timestamp;
    return record;
  }

  /** Timestamp of the record `nextRecord()` would return. */
  nextTimestamp(): number | undefined {
    return this.earliest()?.headTimestamp();
  }

  streamTime(): number {
    return this.streamTimeMs;
  }

  /** Partition time committed earlier for one partition; stream time becomes the largest of them. */
  initializePartitionTime(partition: TopicPartition, partitionTimeMs: number): void {
    this.queue(partition).initializePartitionTime(partitionTimeMs);
    if (partitionTimeMs > this.streamTimeMs) this.streamTimeMs = partitionTimeMs;
  }

  /** The largest timestamp processed from one partition; -1 before the first. */
  partitionTime(partition: TopicPartition): number {
    return this.queue(partition).partitionTime();
  }

  bufferedCount(partition: TopicPartition): number {
    return this.queue(partition).size();
  }

  partitions(): RecordQueue[] {
    return [...this.allQueues];
  }

  private queue(partition: TopicPartition): RecordQueue {
    const queue = this.queues.get(partition);
    if (queue === undefined) {
      throw new StreamsError('ILLEGAL_STATE', 'partition does not belong to this task', {
        coordinates: { topic: partition.topic, partition: partition.partition, taskId: this.taskId },
      });
    }
    return queue;
  }

  private earliest(): RecordQueue | undefined {
    const index = this.earliestIndex();
    return index < 0 ? undefined : this.waiting[index];
  }

  /** Position in `waiting` of the queue with the smallest head timestamp (the first of equals); -1 when none. */
  private earliestIndex(): number {
    const waiting = this.waiting;
    let best = -1;
    let bestTimestamp = Infinity;
    for (let i = 0; i < waiting.length; i++) {
      const timestamp = waiting[i]!.headTimestamp()!;
      if (best < 0 || timestamp < bestTimestamp) {
        best = i;
        bestTimestamp = timestamp;
      }
    }
    return best;
  }
}
