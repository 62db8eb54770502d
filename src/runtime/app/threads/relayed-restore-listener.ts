import { describeError } from '../../../core/errors.js';
import type { TopicPartition } from '../../../processing/raw-record.js';
import type { TaskLogger } from '../../../processing/task-logger.js';
import type { StateRestoreListener } from '../../tasks/state-restore-listener.js';

/** One call of a `StateRestoreListener` made in a worker, as it crosses to the main thread. */
export type RestoreCall =
  | { readonly method: 'onRestoreStart'; readonly partition: TopicPartition; readonly store: string; readonly startingOffset: number; readonly endingOffset: number }
  | { readonly method: 'onBatchRestored'; readonly partition: TopicPartition; readonly store: string; readonly batchEndOffset: number; readonly numRestored: number }
  | { readonly method: 'onRestoreEnd' | 'onRestoreSuspended'; readonly partition: TopicPartition; readonly store: string; readonly totalRestored: number };

/** The worker's listener: every call goes to the main thread, where the user's listener lives (`deliverRestoreCall`). */
export function relayingRestoreListener(post: (call: RestoreCall) => void): StateRestoreListener {
  return {
    onRestoreStart: (partition, store, startingOffset, endingOffset) => post({ method: 'onRestoreStart', partition, store, startingOffset, endingOffset }),
    onBatchRestored: (partition, store, batchEndOffset, numRestored) => post({ method: 'onBatchRestored', partition, store, batchEndOffset, numRestored }),
    onRestoreEnd: (partition, store, totalRestored) => post({ method: 'onRestoreEnd', partition, store, totalRestored }),
    onRestoreSuspended: (partition, store, totalRestored) => post({ method: 'onRestoreSuspended', partition, store, totalRestored }),
  };
}

/** Makes a worker's call on the user's listener; what it throws is logged, as on a single thread. */
export function deliverRestoreCall(listener: StateRestoreListener | undefined, call: RestoreCall, logger: TaskLogger): void {
  if (listener === undefined) return;
  try {
    if (call.method === 'onRestoreStart') listener.onRestoreStart(call.partition, call.store, call.startingOffset, call.endingOffset);
    else if (call.method === 'onBatchRestored') listener.onBatchRestored(call.partition, call.store, call.batchEndOffset, call.numRestored);
    else if (call.method === 'onRestoreEnd') listener.onRestoreEnd(call.partition, call.store, call.totalRestored);
    else listener.onRestoreSuspended?.(call.partition, call.store, call.totalRestored);
  } catch (error) {
    logger.error({ method: call.method, store: call.store, topic: call.partition.topic, partition: call.partition.partition, error: describeError(error) }, 'state restore listener failed');
  }
}
