import { describeError } from '../../core/errors.js';
import type { TopicPartition } from '../../processing/raw-record.js';
import type { TaskLogger } from '../../processing/task-logger.js';
import type { StateRestoreListener } from './state-restore-listener.js';

/** Restoration logs progress at info level at most this often per store partition (plus its start and end). */
const PROGRESS_INTERVAL_MS = 10_000;

/** One store partition being restored, as the metrics show it. */
export interface RestoringStore extends TopicPartition {
  readonly taskId: string;
  readonly store: string;
  /** Changelog records left to read up to the end offset taken at the start. */
  readonly remaining: number;
}

/** One store partition's restoration: from where to where, for which task and store. */
export interface RestorePlan extends TopicPartition {
  readonly taskId: string;
  readonly store: string;
  readonly from: number;
  readonly to: number;
}

interface Progress {
  readonly plan: RestorePlan;
  readonly logger: TaskLogger;
  readonly startedMs: number;
  restored: number;
  position: number;
  loggedMs: number;
}

/**
 * Where restoration progress goes: the user's `StateRestoreListener`, the info log (start; progress at most every
 * ten seconds; end, with records per second) and the remaining-records gauge. One per stream thread (and one for
 * the global stores); a restorer reports each store partition's start, batches and end or suspension.
 */
export class RestoreProgress {
  private readonly progress = new Map<string, Progress>();

  constructor(
    private readonly listener: () => StateRestoreListener | undefined,
    private readonly logger: TaskLogger,
    private readonly clock: () => number = Date.now,
  ) {}

  start(plan: RestorePlan, logger: TaskLogger): void {
    const now = this.clock();
    this.progress.set(keyOf(plan), { plan, logger, startedMs: now, restored: 0, position: plan.from, loggedMs: now });
    logger.info({ store: plan.store, topic: plan.topic, partition: plan.partition, from: plan.from, to: plan.to, total: plan.to - plan.from }, 'restoring store from changelog');
    this.call('onRestoreStart', plan, (l) => l.onRestoreStart(partitionOf(plan), plan.store, plan.from, plan.to));
  }

  /** A batch of the plan's partition was applied: `restored` records went into the store, the last at `lastOffset`. */
  batch(plan: RestorePlan, lastOffset: number, restored: number): void {
    const progress = this.progress.get(keyOf(plan));
    if (progress === undefined) return;
    progress.restored += restored;
    progress.position = lastOffset + 1;
    const now = this.clock();
    if (now - progress.loggedMs >= PROGRESS_INTERVAL_MS) {
      progress.loggedMs = now;
      progress.logger.info({ ...this.fields(progress, now), remaining: this.remainingOf(progress) }, 'restoration progress');
    }
    this.call('onBatchRestored', plan, (l) => l.onBatchRestored(partitionOf(plan), plan.store, lastOffset, restored));
  }

  end(plan: RestorePlan): void {
    const progress = this.take(plan);
    if (progress === undefined) return;
    progress.logger.info(this.fields(progress, this.clock()), 'store restored');
    this.call('onRestoreEnd', plan, (l) => l.onRestoreEnd(partitionOf(plan), plan.store, progress.restored));
  }

  /** Restoration of these plans stopped early (interrupted or failed); those already ended are left alone. */
  suspend(plans: readonly RestorePlan[]): void {
    for (const plan of plans) {
      const progress = this.take(plan);
      if (progress === undefined) continue;
      progress.logger.info({ ...this.fields(progress, this.clock()), remaining: this.remainingOf(progress) }, 'restoration suspended');
      this.call('onRestoreSuspended', plan, (l) => l.onRestoreSuspended?.(partitionOf(plan), plan.store, progress.restored));
    }
  }

  /** Every store partition being restored now, with what is left of it. */
  restoring(): RestoringStore[] {
    return [...this.progress.values()].map((p) => ({ taskId: p.plan.taskId, store: p.plan.store, topic: p.plan.topic, partition: p.plan.partition, remaining: this.remainingOf(p) }));
  }

  private take(plan: RestorePlan): Progress | undefined {
    const key = keyOf(plan);
    const progress = this.progress.get(key);
    this.progress.delete(key);
    return progress;
  }

  private remainingOf(progress: Progress): number {
    return Math.max(0, progress.plan.to - progress.position);
  }

  private fields(progress: Progress, now: number): object {
    const seconds = (now - progress.startedMs) / 1000;
    const { store, partition, from, to } = progress.plan;
    const recordsPerSecond = seconds > 0 ? Math.round(progress.restored / seconds) : progress.restored;
    return { store, partition, restored: progress.restored, total: to - from, durationMs: now - progress.startedMs, recordsPerSecond };
  }

  /** A listener's failure is the user's bug, logged with where it happened; restoration goes on. */
  private call(method: keyof StateRestoreListener, plan: RestorePlan, invoke: (listener: StateRestoreListener) => void): void {
    const listener = this.listener();
    if (listener === undefined) return;
    try {
      invoke(listener);
    } catch (error) {
      this.logger.error({ method, taskId: plan.taskId, store: plan.store, topic: plan.topic, partition: plan.partition, error: describeError(error) }, 'state restore listener failed');
    }
  }
}

function keyOf(plan: RestorePlan): string {
  return `${plan.taskId}\u0000${plan.store}\u0000${plan.topic}\u0000${plan.partition}`;
}

function partitionOf(plan: TopicPartition): TopicPartition {
  return { topic: plan.topic, partition: plan.partition };
}
