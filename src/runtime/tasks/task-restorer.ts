import type { ChangelogReader, ChangelogReadRequest, KafkaAdmin } from '../client/kafka-client.js';
import type { RawRecord } from '../../processing/raw-record.js';
import { topicPartitionKey } from '../../state/changelog.js';
import type { ActiveTask, ChangelogPartition } from './active-task.js';

/** Restoration logs progress at info level every this many records per changelog partition (plus its start and end). */
const PROGRESS_EVERY = 10_000;

interface PlannedRestore extends ChangelogReadRequest {
  readonly task: ActiveTask;
  readonly changelog: ChangelogPartition;
  /** Records of this changelog partition replayed into its store so far. */
  restored: number;
}

/**
 * Brings new tasks' stores up to date before they process anything. Each changelog partition is replayed from
 * the offset stored in the task's SQLite file with the state (none stored: from the beginning; in-memory stores:
 * always from the beginning) to its end offset, read_committed, and every applied batch is committed to SQLite
 * with the position reached, so an interrupted restoration resumes where it stopped.
 *
 * Returns the tasks whose stored offset lies beyond the changelog's end (the topic was recreated): their state
 * belongs to another history and must be wiped, then restored from scratch. An aborted `signal` interrupts the
 * restoration (rejecting with its reason); what was replayed so far stays committed.
 */
export async function restoreTasks(tasks: readonly ActiveTask[], admin: KafkaAdmin, reader: ChangelogReader, signal?: AbortSignal): Promise<ActiveTask[]> {
  const changelogs = tasks.flatMap((task) => task.changelogPartitions.map((changelog) => ({ task, changelog })));
  if (changelogs.length === 0) return [];
  const partitions = changelogs.map(({ changelog }) => changelog);
  const [ends, beginnings] = await Promise.all([admin.endOffsets(partitions), admin.beginningOffsets(partitions)]);
  const corrupted = new Set<ActiveTask>();
  const plans: PlannedRestore[] = [];
  for (const { task, changelog } of changelogs) {
    const key = topicPartitionKey(changelog.topic, changelog.partition);
    const end = ends.get(key) ?? 0;
    const beginning = beginnings.get(key) ?? 0;
    const stored = changelog.persistent ? task.database.changelogOffsets().get(key) : undefined;
    if (stored !== undefined && stored > end) corrupted.add(task);
    plans.push({ task, changelog, topic: changelog.topic, partition: changelog.partition, from: Math.max(stored ?? beginning, beginning), to: end, restored: 0 });
  }
  const usable = plans.filter((p) => !corrupted.has(p.task) && p.from < p.to);
  for (const plan of usable) {
    plan.task.logger.info({ store: plan.changelog.store, topic: plan.topic, partition: plan.partition, from: plan.from, to: plan.to, total: plan.to - plan.from }, 'restoring store from changelog');
  }
  await replay(usable, reader, signal);
  for (const plan of usable) {
    plan.task.logger.info({ store: plan.changelog.store, partition: plan.partition, restored: plan.restored, total: plan.to - plan.from }, 'store restored');
  }
  return [...corrupted];
}

async function replay(plans: readonly PlannedRestore[], reader: ChangelogReader, signal: AbortSignal | undefined): Promise<void> {
  if (plans.length === 0) return;
  const byPartition = new Map(plans.map((p) => [topicPartitionKey(p.topic, p.partition), p]));
  const loggedAt = new Map<PlannedRestore, number>();
  const onRecords = (records: readonly RawRecord[]): void => {
    const plan = byPartition.get(topicPartitionKey(records[0]!.topic, records[0]!.partition));
    if (plan === undefined) return;
    plan.restored += plan.task.applyRestored(records);
    if (plan.restored - (loggedAt.get(plan) ?? 0) >= PROGRESS_EVERY) {
      loggedAt.set(plan, plan.restored);
      plan.task.logger.info({ store: plan.changelog.store, partition: plan.partition, restored: plan.restored, total: plan.to - plan.from }, 'restoration progress');
    }
  };
  await reader.read(plans, onRecords, signal);
}
