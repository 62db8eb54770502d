import { topicPartitionKey } from '../../state/changelog.js';
import type { TopicPartition } from '../task/raw-record.js';
import type { ActiveTask } from './active-task.js';

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

/** `topic:partition → offset` as the list the client port takes. */
export function offsetList(offsets: ReadonlyMap<string, number>, partitions: readonly TopicPartition[]): Array<TopicPartition & { offset: number }> {
  return partitions.flatMap((p) => {
    const offset = offsets.get(topicPartitionKey(p.topic, p.partition));
    return offset === undefined ? [] : [{ topic: p.topic, partition: p.partition, offset }];
  });
}
