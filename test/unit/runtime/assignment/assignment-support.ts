import assert from 'node:assert/strict';
import { PLACEMENT_COST, type MemberTasks } from '../../../../src/runtime/assignment/assign-tasks.js';
import { formatTaskId, parseTaskId, type TaskId } from '../../../../src/runtime/assignment/task-id.js';

/** Sub-topology 0 stateless, 1 stateful: the shape of a groupBy word count. */
export const WORD_COUNT = new Set([1]);

export function tasks(subtopologies: number, partitions: number): TaskId[] {
  const all: TaskId[] = [];
  for (let s = 0; s < subtopologies; s++) for (let p = 0; p < partitions; p++) all.push({ subtopology: s, partition: p });
  return all;
}

export function member(memberId: string, previousTasks: string[] = [], tasksWithState: string[] = []): MemberTasks {
  return { memberId, previousTasks, tasksWithState };
}

export function asText(assignment: Map<string, TaskId[]>): { [member: string]: string[] } {
  return Object.fromEntries([...assignment].map(([m, list]) => [m, list.map(formatTaskId)]));
}

export const ofSubtopology = (list: readonly string[], s: number) => list.filter((t) => parseTaskId(t).subtopology === s);

/** Why an assignment is not balanced (every task once; totals within one; each sub-topology's share within one). */
export function imbalance(all: readonly TaskId[], assignment: Map<string, TaskId[]>): string | undefined {
  const lists = [...assignment.values()];
  const handedOut = lists.flat().map(formatTaskId).sort();
  if (handedOut.join() !== all.map(formatTaskId).sort().join()) return 'not every task exactly once';
  const spread = (counts: number[]) => Math.max(...counts) - Math.min(...counts);
  if (spread(lists.map((l) => l.length)) > 1) return 'totals differ by more than one';
  for (const s of new Set(all.map((t) => t.subtopology))) {
    if (spread(lists.map((l) => l.filter((t) => t.subtopology === s).length)) > 1) return `sub-topology ${s} differs by more than one`;
  }
  return undefined;
}

export function assertBalanced(all: readonly TaskId[], assignment: Map<string, TaskId[]>): void {
  const problem = imbalance(all, assignment);
  assert.equal(problem, undefined, `${problem}: ${JSON.stringify(asText(assignment))}`);
}

/** The cost `assignTasks` minimises, recomputed from the outside. */
export function placementCost(assignment: Map<string, TaskId[]>, members: readonly MemberTasks[], stateful: ReadonlySet<number>): number {
  let cost = 0;
  for (const [memberId, list] of assignment) {
    const m = members.find((x) => x.memberId === memberId)!;
    for (const task of list.map(formatTaskId)) {
      if (m.previousTasks.includes(task)) continue;
      if (!stateful.has(parseTaskId(task).subtopology)) cost += PLACEMENT_COST.moveStateless;
      else cost += m.tasksWithState.includes(task) ? PLACEMENT_COST.moveToState : PLACEMENT_COST.restoreFromScratch;
    }
  }
  return cost;
}
