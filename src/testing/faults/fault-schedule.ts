import type { OperationKind } from '../cluster/cluster-faults.js';
import type { KafkaErrorCode } from '../cluster/kafka-error.js';
import { SeededRandom } from '../seeded-random.js';

/**
 * Where an instance dies, named after the commit path (docs/runtime.md) and what surrounds it. Each is an
 * operation of the instance's client and whether the crash comes before the cluster applies it or after.
 */
export type CrashPoint = 'before-send' | 'after-send' | 'before-kafka-commit' | 'after-kafka-commit' | 'mid-restore' | 'mid-rebalance' | 'after-offset-commit';

export const CRASH_POINTS: Readonly<Record<CrashPoint, { readonly kind: OperationKind; readonly phase: 'before' | 'after' }>> = {
  'before-send': { kind: 'produce', phase: 'before' },
  'after-send': { kind: 'produce', phase: 'after' },
  'before-kafka-commit': { kind: 'endTransaction', phase: 'before' },
  // The transaction committed, the instance dies before its SQLite commit (step 4 of the commit path).
  'after-kafka-commit': { kind: 'endTransaction', phase: 'after' },
  // The changelog reader's fetch: the task is restoring.
  'mid-restore': { kind: 'fetch', phase: 'before' },
  'mid-rebalance': { kind: 'syncGroup', phase: 'before' },
  // At-least-once's commit of the input offsets through the consumer.
  'after-offset-commit': { kind: 'commitOffsets', phase: 'after' },
};

/** What happens to the matched operation. */
export type FaultEffect =
  /** The broker answers with this error and nothing happens. */
  | { readonly type: 'error'; readonly code: KafkaErrorCode }
  /** The operation takes effect but its answer is lost: the client sees REQUEST_TIMED_OUT. */
  | { readonly type: 'lost-answer' }
  /** The operation waits this long (wall-clock) first: fetches and sends overtake each other. */
  | { readonly type: 'delay'; readonly ms: number }
  /** The instance is killed here; a replacement starts on its state directory (or on an empty one). */
  | { readonly type: 'crash'; readonly point: CrashPoint; readonly keepStateDir: boolean }
  /**
   * Every operation of the instance hangs until its session timed out and the others took its tasks; then it
   * resumes, a zombie whose transactions are fenced.
   */
  | { readonly type: 'pause' };

/** Applies `effect` to the `occurrence`-th (1-based) operation of `kind` by the instance in slot `instance`. */
export interface FaultRule {
  readonly instance: number;
  readonly kind: OperationKind;
  readonly occurrence: number;
  readonly effect: FaultEffect;
}

export interface FaultSchedule {
  readonly seed: number;
  readonly rules: readonly FaultRule[];
}

export interface ScheduleOptions {
  readonly instances: number;
  /** Up to this many rules per schedule (at least one). */
  readonly maxRules: number;
  /** Exactly-once schedules may crash at the commit points of the transaction; at-least-once ones at its offset commit. */
  readonly guarantee: 'exactly_once' | 'at_least_once';
}

const RETRIABLE: readonly KafkaErrorCode[] = ['NOT_COORDINATOR', 'REQUEST_TIMED_OUT', 'COORDINATOR_NOT_AVAILABLE', 'NETWORK_EXCEPTION', 'NOT_LEADER_OR_FOLLOWER', 'CONCURRENT_TRANSACTIONS'];
/** The operations errors and lost answers hit: the commit path, fetches, the group protocol, offsets. */
const FAILING_KINDS: Readonly<Record<ScheduleOptions['guarantee'], readonly OperationKind[]>> = {
  exactly_once: ['produce', 'fetch', 'sendOffsets', 'endTransaction', 'initProducerId', 'joinGroup', 'syncGroup', 'heartbeat', 'fetchOffsets', 'listOffsets'],
  at_least_once: ['produce', 'fetch', 'commitOffsets', 'joinGroup', 'syncGroup', 'heartbeat', 'fetchOffsets', 'listOffsets'],
};
const CRASHES: Readonly<Record<ScheduleOptions['guarantee'], readonly CrashPoint[]>> = {
  exactly_once: ['before-send', 'after-send', 'before-kafka-commit', 'after-kafka-commit', 'mid-restore', 'mid-rebalance'],
  at_least_once: ['before-send', 'after-send', 'after-offset-commit', 'mid-restore', 'mid-rebalance'],
};

function randomEffect(random: SeededRandom, guarantee: ScheduleOptions['guarantee']): { kind: OperationKind; effect: FaultEffect } {
  const roll = random.next();
  if (roll < 0.3) return { kind: random.pick(FAILING_KINDS[guarantee]), effect: { type: 'error', code: random.pick(RETRIABLE) } };
  if (roll < 0.45) return { kind: random.pick(FAILING_KINDS[guarantee]), effect: { type: 'lost-answer' } };
  if (roll < 0.6) return { kind: random.pick(['fetch', 'produce'] as const), effect: { type: 'delay', ms: random.int(1, 30) } };
  if (roll < 0.7) return { kind: random.pick(['produce', 'fetch', 'heartbeat'] as const), effect: { type: 'pause' } };
  const point = random.pick(CRASHES[guarantee]);
  return { kind: CRASH_POINTS[point].kind, effect: { type: 'crash', point, keepStateDir: random.next() < 0.75 } };
}

/** The schedule of a seed: always the same rules for the same seed and options. */
export function generateSchedule(seed: number, options: ScheduleOptions): FaultSchedule {
  const random = new SeededRandom(seed);
  const rules = Array.from({ length: random.int(1, options.maxRules) }, (): FaultRule => {
    const { kind, effect } = randomEffect(random, options.guarantee);
    // Early occurrences: the inputs are small, so a late one would often never come.
    return { instance: random.int(0, options.instances - 1), kind, occurrence: random.int(1, kind === 'fetch' || kind === 'heartbeat' ? 8 : 4), effect };
  });
  return { seed, rules };
}

function describeEffect(effect: FaultEffect): string {
  switch (effect.type) {
    case 'error':
      return `fails with ${effect.code}`;
    case 'lost-answer':
      return 'takes effect, answer lost';
    case 'delay':
      return `delayed ${effect.ms} ms`;
    case 'crash':
      return `crash ${effect.point}, replacement on ${effect.keepStateDir ? 'the same' : 'an empty'} state directory`;
    case 'pause':
      return 'instance paused past its session timeout (zombie)';
  }
}

/** One line per rule, with the seed to replay it (`KSTREAMS_FAULT_SEED=<seed>`). */
export function describeSchedule(schedule: FaultSchedule): string {
  const rules = schedule.rules.map((r) => `  instance ${r.instance}: ${r.kind} #${r.occurrence} ${describeEffect(r.effect)}`);
  return [`fault schedule, seed ${schedule.seed} (replay: KSTREAMS_FAULT_SEED=${schedule.seed})`, ...rules].join('\n');
}
