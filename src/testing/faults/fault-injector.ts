import type { ClusterInterceptor, ClusterOperation } from '../cluster/cluster-faults.js';
import { KafkaError } from '../cluster/kafka-error.js';
import { CRASH_POINTS, type FaultRule, type FaultSchedule } from './fault-schedule.js';

/** What the application under test does when a rule kills or pauses one of its instances. */
export interface FaultActions {
  /** The instance slot a client belongs to, or undefined for a client outside the application (the test's own). */
  slotOf(client: string): number | undefined;
  /** Kills the slot's instance now (synchronously: nothing more of it reaches the cluster or its disk). */
  crash(slot: number, keepStateDir: boolean): void;
  /** Holds the slot's instance until its session timed out and the others took its tasks; resolves when it may resume. */
  pause(slot: number): Promise<void>;
  /** Told of every rule as it fires, so a test can tell the schedules that did something from those that did not. */
  fired?(rule: FaultRule): void;
}

/** Whether `operation` is one that `rule` counts: a crash at a commit or restore point only counts those operations. */
function counts(rule: FaultRule, operation: ClusterOperation): boolean {
  if (rule.kind !== operation.kind) return false;
  if (rule.effect.type !== 'crash') return true;
  if (rule.effect.point === 'mid-restore') return operation.groupId === undefined;
  if (operation.kind === 'endTransaction') return operation.commit === true;
  return true;
}

/**
 * The interceptor applying a schedule: each rule counts the operations it matches, per instance slot (across the
 * slot's replacements), and fires once, on its `occurrence`-th one.
 */
export function scheduleInterceptor(schedule: FaultSchedule, actions: FaultActions): ClusterInterceptor {
  const seen = schedule.rules.map(() => 0);
  // The operations whose answer an `after` must spoil, with the rule that chose them.
  const armed = new Map<ClusterOperation, FaultRule>();
  const paused = new Map<number, Promise<void>>();
  return {
    async before(operation) {
      const slot = actions.slotOf(operation.client);
      if (slot === undefined) return;
      await paused.get(slot);
      for (const [index, rule] of schedule.rules.entries()) {
        if (rule.instance !== slot || !counts(rule, operation) || ++seen[index]! !== rule.occurrence) continue;
        const effect = rule.effect;
        actions.fired?.(rule);
        switch (effect.type) {
          case 'error':
            throw new KafkaError(effect.code, `injected: ${operation.kind} #${rule.occurrence}`);
          case 'delay':
            await new Promise((resolve) => setTimeout(resolve, effect.ms));
            break;
          case 'pause': {
            const resumed = actions.pause(slot).finally(() => paused.delete(slot));
            paused.set(slot, resumed);
            await resumed;
            break;
          }
          case 'crash':
            if (CRASH_POINTS[effect.point].phase === 'before') actions.crash(slot, effect.keepStateDir);
            else armed.set(operation, rule);
            break;
          case 'lost-answer':
            armed.set(operation, rule);
            break;
        }
      }
    },
    after(operation) {
      const rule = armed.get(operation);
      if (rule === undefined) return;
      armed.delete(operation);
      const slot = actions.slotOf(operation.client)!;
      if (rule.effect.type === 'crash') actions.crash(slot, rule.effect.keepStateDir);
      else throw new KafkaError('REQUEST_TIMED_OUT', `injected: the answer to ${operation.kind} #${rule.occurrence} was lost`);
    },
  };
}
