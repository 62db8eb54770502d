/** A task is one sub-topology run over one partition number: `<subtopology>_<partition>`, as in Kafka Streams. */
export interface TaskId {
  readonly subtopology: number;
  readonly partition: number;
}

export function formatTaskId(task: TaskId): string {
  return `${task.subtopology}_${task.partition}`;
}

export function parseTaskId(text: string): TaskId {
  const match = /^(\d+)_(\d+)$/.exec(text);
  if (!match) throw new Error(`not a task id: "${text}" (expected <subtopology>_<partition>)`);
  return { subtopology: Number(match[1]), partition: Number(match[2]) };
}

/** Sub-topology first, then partition: the order every assignment pass walks tasks in, so results are repeatable. */
export function compareTaskIds(a: TaskId, b: TaskId): number {
  return a.subtopology - b.subtopology || a.partition - b.partition;
}
