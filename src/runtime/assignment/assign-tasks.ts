import { compareTaskIds, formatTaskId, type TaskId } from './task-id.js';

/** What a group member tells the assignor about itself. */
export interface MemberTasks {
  readonly memberId: string;
  /** Tasks it ran until this rebalance. */
  readonly previousTasks: readonly string[];
  /** Tasks whose SQLite state it holds on disk: giving it these cuts restoration to the changelog tail. */
  readonly tasksWithState: readonly string[];
}

/**
 * Spreads tasks over members so that counts differ by at most one, keeping each task where it ran before, else
 * where its state already is, else on the member with the fewest tasks of the same sub-topology (so that one
 * sub-topology's load is spread too). Deterministic: the same input always gives the same assignment.
 */
export function assignTasks(tasks: readonly TaskId[], members: readonly MemberTasks[]): Map<string, TaskId[]> {
  const ordered = [...tasks].sort(compareTaskIds);
  const quotas = memberQuotas(ordered.length, members);
  const assigned = new Map<string, TaskId[]>(members.map((m) => [m.memberId, []]));
  const unassigned: TaskId[] = [];
  const hasRoom = (memberId: string) => assigned.get(memberId)!.length < quotas.get(memberId)!;

  const previousOwner = ownerIndex(members, (m) => m.previousTasks);
  for (const task of ordered) {
    const owner = previousOwner.get(formatTaskId(task))?.find(hasRoom);
    if (owner !== undefined) assigned.get(owner)!.push(task);
    else unassigned.push(task);
  }

  const stateHolders = ownerIndex(members, (m) => m.tasksWithState);
  const remaining: TaskId[] = [];
  for (const task of unassigned) {
    const holder = leastLoaded((stateHolders.get(formatTaskId(task)) ?? []).filter(hasRoom), assigned, task);
    if (holder !== undefined) assigned.get(holder)!.push(task);
    else remaining.push(task);
  }

  for (const task of remaining) {
    const member = leastLoaded(members.map((m) => m.memberId).filter(hasRoom), assigned, task);
    if (member === undefined) throw new Error(`no member has room for task ${formatTaskId(task)}`);
    assigned.get(member)!.push(task);
  }
  for (const list of assigned.values()) list.sort(compareTaskIds);
  return assigned;
}

/**
 * `tasks = q × members + r`: r members may take q + 1 tasks, the others q. The extra slots go to the members that
 * ran the most tasks before, so a balanced group stays exactly as it was.
 */
function memberQuotas(taskCount: number, members: readonly MemberTasks[]): Map<string, number> {
  const base = Math.floor(taskCount / Math.max(members.length, 1));
  let extra = taskCount - base * members.length;
  const byPreviousLoad = [...members].sort(
    (a, b) => b.previousTasks.length - a.previousTasks.length || a.memberId.localeCompare(b.memberId),
  );
  const quotas = new Map<string, number>();
  for (const member of byPreviousLoad) {
    quotas.set(member.memberId, base + (extra > 0 ? 1 : 0));
    extra--;
  }
  return quotas;
}

function ownerIndex(members: readonly MemberTasks[], tasksOf: (m: MemberTasks) => readonly string[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const member of [...members].sort((a, b) => a.memberId.localeCompare(b.memberId))) {
    for (const task of tasksOf(member)) {
      const owners = index.get(task) ?? [];
      owners.push(member.memberId);
      index.set(task, owners);
    }
  }
  return index;
}

function leastLoaded(candidates: readonly string[], assigned: Map<string, TaskId[]>, task: TaskId): string | undefined {
  const sameSubtopology = (memberId: string) => assigned.get(memberId)!.filter((t) => t.subtopology === task.subtopology).length;
  return [...candidates].sort(
    (a, b) =>
      sameSubtopology(a) - sameSubtopology(b) ||
      assigned.get(a)!.length - assigned.get(b)!.length ||
      a.localeCompare(b),
  )[0];
}
