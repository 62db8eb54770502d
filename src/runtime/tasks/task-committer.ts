import { topicPartitionKey } from '../../state/changelog.js';
import type { GroupMember, OffsetAndMetadata } from '../client/kafka-client.js';
import type { ActiveTask } from './active-task.js';
import { encodePartitionTime } from './partition-time-metadata.js';

/**
 * Which tasks' output one Kafka transaction holds: none (at-least-once), one task's (exactly-once with a producer per
 * task, fenced by its transactional id), or every task of the stream thread (KIP-447, fenced by the group generation).
 */
export type TransactionScope = 'none' | 'task' | 'thread';

/** The commit path of one processing guarantee; the stream thread drives it without knowing which one it is. */
export interface TaskCommitter {
  readonly transactionScope: TransactionScope;
  /**
   * Prepares a newly assigned task before its input offsets are read. Under exactly-once this creates the task's
   * producer and begins its first transaction, which fences the previous owner and settles its open transaction.
   */
  initializeTask(task: ActiveTask): Promise<void>;
  /** Sends a task's buffered output before the commit, so a busy task's buffer stays bounded. */
  sendBuffered(task: ActiveTask): Promise<void>;
  /**
   * Commits every given task; returns the tasks whose commit failed, with the reason. Under the `thread` scope they
   * commit in one transaction, whose offsets carry `member` (the generation the tasks were assigned in).
   */
  commit(tasks: readonly ActiveTask[], member?: GroupMember): Promise<Map<ActiveTask, unknown>>;
  /**
   * `tasks` and every task whose uncommitted output shares an open transaction with one of them: closing one of
   * them dirty aborts that transaction, so all of them must be closed dirty.
   */
  entangled(tasks: readonly ActiveTask[]): ActiveTask[];
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
