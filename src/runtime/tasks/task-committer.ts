import { topicPartitionKey } from '../../state/changelog.js';
import type { OffsetAndMetadata } from '../client/kafka-client.js';
import type { ActiveTask } from './active-task.js';
import { encodePartitionTime } from './partition-time-metadata.js';

/** The commit path of one processing guarantee; the stream thread drives it without knowing which one it is. */
export interface TaskCommitter {
  /**
   * Prepares a newly assigned task before its input offsets are read. Under exactly-once this creates the task's
   * producer and begins its first transaction, which fences the previous owner and settles its open transaction.
   */
  initializeTask(task: ActiveTask): Promise<void>;
  /** Sends a task's buffered output before the commit, so a busy task's buffer stays bounded. */
  sendBuffered(task: ActiveTask): Promise<void>;
  /** Commits every given task; returns the tasks whose commit failed, with the reason. */
  commit(tasks: readonly ActiveTask[]): Promise<Map<ActiveTask, unknown>>;
  /** Releases a task's producer; `abort` first aborts its open transaction (dropping what it sent). */
  releaseTask(task: ActiveTask, abort: boolean): Promise<void>;
  close(): Promise<void>;
}

/**
 * A task's consumed offsets (`topic:partition → offset`) as the list the client port commits, each with the
 * partition's time in its metadata (once the partition has one), so that stream time survives a restart.
 */
export function committableOffsets(task: ActiveTask, consumed: ReadonlyMap<string, number>): OffsetAndMetadata[] {
  return task.inputPartitions.flatMap((p) => {
    const offset = consumed.get(topicPartitionKey(p.topic, p.partition));
    if (offset === undefined) return [];
    const partitionTimeMs = task.engine.partitionTime(p);
    return [{ topic: p.topic, partition: p.partition, offset, ...(partitionTimeMs < 0 ? {} : { metadata: encodePartitionTime(partitionTimeMs) }) }];
  });
}
