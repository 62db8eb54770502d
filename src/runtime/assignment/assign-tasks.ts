import { FlowNetwork } from './min-cost-flow.js';
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
 * What placing one task on one member costs. A task stays where it ran for free; moving a stateless task costs
 * little (a fence and a seek); a stateful task costs more on a member that has its state on disk (it restores the
 * changelog tail) and most where it must restore from scratch. The ratios say how many cheap moves buy off one dear
 * one: the assignor moves up to 9 stateless tasks to spare one stateful task, and restores up to 9 tails to spare
 * one restoration from scratch.
 */
export const PLACEMENT_COST = { keep: 0, moveStateless: 1, moveToState: 10, restoreFromScratch: 100 } as const;

/**
 * Assigns every task to one member, balanced two ways: each member's total is within one of the others', and so is
 * its share of every sub-topology (so the load of each sub-topology is spread too). Among the assignments balanced
 * so, it takes the one whose placements cost least (`PLACEMENT_COST`): tasks stay where they ran, a stateful task
 * that has to move goes where its state is, and the moves needed for balance are stateless ones where possible.
 * This is a minimum-cost flow; the same input always gives the same assignment.
 */
export function assignTasks(
  tasks: readonly TaskId[],
  members: readonly MemberTasks[],
  statefulSubtopologies: ReadonlySet<number>,
): Map<string, TaskId[]> {
  const memberIds = [...new Set(members.map((m) => m.memberId))].sort(byCodeUnits);
  const ordered = uniqueTasks(tasks);
  if (memberIds.length === 0) {
    if (ordered.length === 0) return new Map();
    throw new Error(`no member to assign ${ordered.length} tasks to`);
  }
  const groups = taskGroups(ordered, members, statefulSubtopologies);
  const flow = balancedFlow(groups, memberIds, ordered.length);
  const assigned = new Map<string, TaskId[]>(memberIds.map((id) => [id, []]));
  for (const [index, group] of groups.entries()) {
    let next = 0;
    for (const [memberIndex, memberId] of memberIds.entries()) {
      const count = flow.placed(index, memberIndex);
      assigned.get(memberId)!.push(...group.tasks.slice(next, next + count));
      next += count;
    }
  }
  for (const list of assigned.values()) list.sort(compareTaskIds);
  return assigned;
}

/** Tasks that cost the same on every member: one sub-topology, the same previous owners, the same state holders. */
interface TaskGroup {
  readonly subtopology: number;
  readonly tasks: TaskId[];
  readonly cost: (memberId: string) => number;
}

function taskGroups(tasks: readonly TaskId[], members: readonly MemberTasks[], stateful: ReadonlySet<number>): TaskGroup[] {
  const owners = holdersByTask(members, (m) => m.previousTasks);
  const stateHolders = holdersByTask(members, (m) => m.tasksWithState);
  const groups = new Map<string, TaskGroup>();
  for (const task of tasks) {
    const id = formatTaskId(task);
    const ranIt = owners.get(id) ?? [];
    const holdsIt = stateful.has(task.subtopology) ? (stateHolders.get(id) ?? []) : [];
    const key = JSON.stringify([task.subtopology, ranIt, holdsIt]);
    const group = groups.get(key) ?? { subtopology: task.subtopology, tasks: [], cost: placementCost(stateful.has(task.subtopology), ranIt, holdsIt) };
    group.tasks.push(task);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function placementCost(stateful: boolean, ranIt: readonly string[], holdsIt: readonly string[]): (memberId: string) => number {
  return (memberId) => {
    if (ranIt.includes(memberId)) return PLACEMENT_COST.keep;
    if (!stateful) return PLACEMENT_COST.moveStateless;
    return holdsIt.includes(memberId) ? PLACEMENT_COST.moveToState : PLACEMENT_COST.restoreFromScratch;
  };
}

/**
 * The network: source → task group → (sub-topology, member) → member → sink. The last two layers let each
 * member take its even share for free and one task more at a price above any sum of placement costs, and there are
 * exactly as many such "one more" slots as the remainders need, so the cheapest flow is always balanced both ways.
 */
function balancedFlow(groups: readonly TaskGroup[], memberIds: readonly string[], taskCount: number) {
  const subtopologies = [...new Set(groups.map((g) => g.subtopology))].sort((a, b) => a - b);
  const sizes = new Map(subtopologies.map((s) => [s, groups.filter((g) => g.subtopology === s).reduce((n, g) => n + g.tasks.length, 0)]));
  const unbalanced = PLACEMENT_COST.restoreFromScratch * taskCount + 1;
  const source = 0;
  const groupNode = (g: number) => 1 + g;
  const cellNode = (s: number, m: number) => 1 + groups.length + subtopologies.indexOf(s) * memberIds.length + m;
  const memberNode = (m: number) => 1 + groups.length + subtopologies.length * memberIds.length + m;
  const sink = memberNode(memberIds.length);
  const network = new FlowNetwork(sink + 1);

  const placements = groups.map((group, g) => {
    network.addEdge(source, groupNode(g), group.tasks.length, 0);
    return memberIds.map((memberId, m) => network.addEdge(groupNode(g), cellNode(group.subtopology, m), group.tasks.length, group.cost(memberId)));
  });
  for (const [m] of memberIds.entries()) {
    for (const s of subtopologies) evenShare(network, cellNode(s, m), memberNode(m), sizes.get(s)!, memberIds.length, unbalanced);
    evenShare(network, memberNode(m), sink, taskCount, memberIds.length, unbalanced);
  }
  const { flow } = network.solve(source, sink);
  if (flow !== taskCount) throw new Error(`assigned ${flow} of ${taskCount} tasks`);
  return { placed: (group: number, member: number) => network.flowOn(placements[group]![member]!) };
}

/** `total = share × members + remainder`: a free edge for the share, and a dear one for one more if there is a remainder. */
function evenShare(network: FlowNetwork, from: number, to: number, total: number, members: number, price: number): void {
  const share = Math.floor(total / members);
  if (share > 0) network.addEdge(from, to, share, 0);
  if (total % members > 0) network.addEdge(from, to, 1, price);
}

function uniqueTasks(tasks: readonly TaskId[]): TaskId[] {
  const byId = new Map(tasks.map((t) => [formatTaskId(t), t]));
  return [...byId.values()].sort(compareTaskIds);
}

function holdersByTask(members: readonly MemberTasks[], tasksOf: (m: MemberTasks) => readonly string[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const member of [...members].sort((a, b) => byCodeUnits(a.memberId, b.memberId))) {
    for (const task of new Set(tasksOf(member))) {
      const holders = index.get(task) ?? [];
      holders.push(member.memberId);
      index.set(task, holders);
    }
  }
  return index;
}

/** Not `localeCompare`: the order must not depend on the leader's locale. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
