import type { ChildFigures } from '../broker/streams-child.js';

/** What either system reports of one run: its own CPU time and peak RSS, and for a restoration its timing. */
export type RunFigures = Pick<ChildFigures, 'cpuSeconds' | 'peakRssBytes' | 'restoredRecords' | 'elapsedMs' | 'storeEntries'>;

/**
 * The parent's handle on one measured process, kstreams' (`ChildRun`) or Kafka Streams' (`KafkaStreamsRun`):
 * when it started, stopping it once the broker shows the work done, and its figures.
 */
export interface MeasuredRun {
  /** Epoch milliseconds just before the process created its streams client. */
  readonly started: Promise<number>;
  readonly figures: Promise<RunFigures>;
  /** Races `work` against the process's death, so that a crash fails the run instead of hanging it. */
  whileAlive<T>(work: Promise<T>): Promise<T>;
  stop(): void;
  /** Waits for the process to exit; kills it when it lingers or when the run failed. */
  end(kill: boolean): Promise<void>;
}
