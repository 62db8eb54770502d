import type { TopicPartition } from '../../processing/raw-record.js';
import { TopicPartitionMap } from '../../processing/topic-partition-map.js';

/** How far a task is behind one input partition: records on the broker not fetched yet plus those fetched but not processed. */
export interface PartitionLag extends TopicPartition {
  readonly lag: number;
}

interface Known {
  /** The partition's end as last seen: the high watermark of the latest fetch, or the end offset at the task's start. */
  end: number;
  /** The next offset the consumer fetches. */
  fetched: number;
}

/**
 * Kafka's `records-lag` per input partition, for the tasks this thread runs. The end comes with every fetch (the
 * client port passes the high watermark when it has one), so nothing is asked of the broker at scrape time; the
 * records a task buffered but has not processed count as lag too, which Kafka's consumer metric cannot see.
 */
export class RecordsLag {
  private readonly known = new TopicPartitionMap<Known>();

  started(partition: TopicPartition, offset: number, end: number): void {
    this.known.set(partition, { end, fetched: offset });
  }

  fetchedUpTo(partition: TopicPartition, nextOffset: number, highWatermark: number | undefined): void {
    const known = this.known.get(partition);
    if (known === undefined) return;
    known.fetched = Math.max(known.fetched, nextOffset);
    known.end = highWatermark ?? Math.max(known.end, known.fetched);
  }

  forget(partition: TopicPartition): void {
    this.known.delete(partition);
  }

  /** `buffered(partition)`: what the partition's task holds unprocessed. */
  snapshot(buffered: (partition: TopicPartition) => number): PartitionLag[] {
    const lags: PartitionLag[] = [];
    for (const [partition, known] of this.known.entries()) {
      lags.push({ ...partition, lag: Math.max(0, known.end - known.fetched) + buffered(partition) });
    }
    return lags;
  }
}
