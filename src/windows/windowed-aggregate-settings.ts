/**
 * When a windowed aggregation forwards its results: `onWindowUpdate` forwards every change as it happens (Kafka
 * Streams' default with caching off); `onWindowClose` forwards each window once, with its final value, after stream
 * time has closed it.
 */
export type EmitStrategy = 'onWindowUpdate' | 'onWindowClose';

import type { SharedWindowProgress } from './shared-window-progress.js';

/** What the DSL tells a windowed aggregation processor about its place in the topology. */
export interface WindowedAggregateSettings {
  /** The processor's name, for error coordinates and logs. */
  readonly processorName: string;
  /** The window or session store holding the aggregates. */
  readonly storeName: string;
  /** Whether forwarded changes carry the value they replace (`Change.oldValue`); `null` there otherwise. */
  readonly sendOldValues: boolean;
  readonly emitStrategy: EmitStrategy;
  /** Set when several processors of a task write the store (a cogroup under `onWindowClose`): they share one progress. */
  readonly sharedProgress?: SharedWindowProgress;
}
