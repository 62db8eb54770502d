import type { ChangelogReader, ChangelogReadRequest, KafkaAdmin } from '../client/kafka-client.js';
import type { RawRecord } from '../../processing/raw-record.js';
import { silentLogger } from '../../processing/task-logger.js';
import { topicPartitionKey } from '../../state/changelog.js';
import type { ActiveTask, ChangelogPartition } from './active-task.js';
import { RestoreProgress, type RestorePlan } from './restore-progress.js';

interface PlannedRestore extends ChangelogReadRequest, RestorePlan {
  readonly task: ActiveTask;
  readonly changelog: ChangelogPartition;
}

/**
 * Brings new tasks' stores up to date before they process anything. Each changelog partition is replayed from
 * the offset stored in the task's SQLite file with the state (none stored: from the beginning; in-memory stores:
 * always from the beginning) to its end offset, read_committed, and every applied batch is committed to SQLite
 * with the position reached, so an interrupted restoration resumes where it stopped. `progress` hears of each store
 * partition's start, batches and end (or suspension, when the restoration stops early).
 *
 * Returns the tasks whose stored offset lies beyond the changelog's end (the topic was recreated): their state
 * belongs to another history and must be wiped, then restored from scratch. An aborted `signal` interrupts the
 * restoration (rejecting with its reason); what was replayed so far stays committed.
 */
export async function restoreTasks(
  tasks: readonly ActiveTask[],
  admin: KafkaAdmin,
  reader: ChangelogReader,
  signal?: AbortSignal,
  progress: RestoreProgress = new RestoreProgress(() => undefined, silentLogger),
): Promise<ActiveTask[]> {
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
    const from = Math.max(stored ?? beginning, beginning);
    plans.push({ task, changelog, taskId: task.id, store: changelog.store, topic: changelog.topic, partition: changelog.partition, from, to: end });
  }
  const usable = plans.filter((p) => !corrupted.has(p.task) && p.from < p.to);
  for (const plan of usable) progress.start(plan, plan.task.logger);
  try {
    await replay(usable, reader, progress, signal);
  } catch (error) {
    progress.suspend(usable);
    throw error;
  }
  for (const plan of usable) progress.end(plan);
  return [...corrupted];
}

async function replay(plans: readonly PlannedRestore[], reader: ChangelogReader, progress: RestoreProgress, signal: AbortSignal | undefined): Promise<void> {
  if (plans.length === 0) return;
  const byPartition = new Map(plans.map((p) => [topicPartitionKey(p.topic, p.partition), p]));
  const onRecords = (records: readonly RawRecord[]): void => {
    const plan = byPartition.get(topicPartitionKey(records[0]!.topic, records[0]!.partition));
    if (plan === undefined) return;
    const restored = plan.task.applyRestored(records);
    progress.batch(plan, records[records.length - 1]!.offset, restored);
  };
  await reader.read(plans, onRecords, signal);
}
