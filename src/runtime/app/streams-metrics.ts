import type { GlobalStoreMetrics } from '../global/global-state-updater.js';
import type { TaskMetrics } from '../../processing/task-metrics.js';
import type { ThreadMetricsSnapshot } from '../metrics/thread-metrics.js';
import { SuppressionBuffer } from '../../state/suppression/suppression-buffer.js';
import type { ActiveTask } from '../tasks/active-task.js';
import type { TaskState } from '../tasks/task-state.js';

/** Counters of one local task. */
export interface TaskRuntimeMetrics extends TaskMetrics {
  readonly state: TaskState;
  /** Changelog records replayed into this task's stores since it was created here. */
  readonly restoredRecords: number;
  /** Changelog records without a key skipped while restoring (logged with their coordinates). */
  readonly skippedRestoredRecords: number;
  /** Output records the broker refused and the production handler dropped. */
  readonly productionErrors: number;
  /** How often this task was closed after a failed commit or fencing and created again here. */
  readonly rebuilds: number;
  /** How often its state file was found damaged (or another application's or task's) when it opened, and deleted: the changelog restored it. */
  readonly damagedStateDeletions: number;
  /** Reads of the task's caching stores the cache answered, and those that went to the store below. */
  readonly cacheLookups: { readonly hits: number; readonly misses: number };
  /** What each suppression buffer of the task holds now (`suppress()`): records, and bytes as `BufferConfig.maxBytes` counts them. */
  readonly suppressionBuffers: ReadonlyArray<{ readonly store: string; readonly records: number; readonly bytes: number }>;
}

/** A task's counters as `metrics()` shows them, read from the task (on its own thread) at that moment. */
export function taskRuntimeMetricsOf(task: ActiveTask, counts: Pick<TaskRuntimeMetrics, 'rebuilds' | 'damagedStateDeletions'>): TaskRuntimeMetrics {
  const suppressionBuffers = task.state === 'closed' ? [] : task.engine.storeNames().flatMap((store) => {
    const buffer = task.engine.stateStore(store);
    return buffer instanceof SuppressionBuffer && buffer.isOpen() ? [{ store, records: buffer.numRecords, bytes: buffer.bufferSize }] : [];
  });
  return {
    ...task.engine.metrics(),
    state: task.state,
    restoredRecords: task.restoredRecords,
    skippedRestoredRecords: task.skippedRestoredRecords,
    productionErrors: task.productionErrors,
    ...counts,
    cacheLookups: task.engine.cacheLookups(),
    suppressionBuffers,
  };
}

/** What `KafkaStreams.metrics()` returns: per local task, and summed over them. */
export interface StreamsMetrics {
  readonly tasks: ReadonlyMap<string, TaskRuntimeMetrics>;
  readonly totals: {
    readonly restoredRecords: number;
    readonly processedRecords: number;
    readonly droppedRecords: number;
    readonly productionErrors: number;
  };
  /** The global stores' counters, when the topology has global stores (not part of `totals`). */
  readonly global?: GlobalStoreMetrics;
  /**
   * Each stream thread's own counters (commit latency, rebalances, records and bytes sent and fetched, records lag,
   * restorations in progress), and the global stores' as `GlobalStreamThread` when the topology has any.
   */
  readonly threads: readonly ThreadMetricsSnapshot[];
}

export function summarizeMetrics(tasks: ReadonlyMap<string, TaskRuntimeMetrics>, threads: readonly ThreadMetricsSnapshot[]): StreamsMetrics {
  let restoredRecords = 0;
  let processedRecords = 0;
  let droppedRecords = 0;
  let productionErrors = 0;
  for (const task of tasks.values()) {
    restoredRecords += task.restoredRecords;
    processedRecords += task.processedRecords;
    droppedRecords += task.droppedRecords.total;
    productionErrors += task.productionErrors;
  }
  return { tasks, totals: { restoredRecords, processedRecords, droppedRecords, productionErrors }, threads };
}
