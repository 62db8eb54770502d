import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assignTasks, type MemberTasks } from '../../../../src/runtime/assignment/assign-tasks.js';
import { formatTaskId, parseTaskId, type TaskId } from '../../../../src/runtime/assignment/task-id.js';

function tasks(subtopologies: number, partitions: number): TaskId[] {
  const all: TaskId[] = [];
  for (let s = 0; s < subtopologies; s++) for (let p = 0; p < partitions; p++) all.push({ subtopology: s, partition: p });
  return all;
}

function member(memberId: string, previousTasks: string[] = [], tasksWithState: string[] = []): MemberTasks {
  return { memberId, previousTasks, tasksWithState };
}

function asText(assignment: Map<string, TaskId[]>): { [member: string]: string[] } {
  return Object.fromEntries([...assignment].map(([m, list]) => [m, list.map(formatTaskId)]));
}

test('every task goes to exactly one member and counts differ by at most one', () => {
  const all = tasks(3, 5);
  const assignment = assignTasks(all, [member('a'), member('b'), member('c'), member('d')]);
  const counts = [...assignment.values()].map((l) => l.length);
  assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `balanced: ${counts.join(',')}`);
  const handedOut = [...assignment.values()].flat().map(formatTaskId).sort();
  assert.deepEqual(handedOut, all.map(formatTaskId).sort());
});

test('spreads the partitions of one sub-topology over members', () => {
  const assignment = assignTasks(tasks(2, 2), [member('a'), member('b')]);
  assert.deepEqual(asText(assignment), { a: ['0_0', '1_0'], b: ['0_1', '1_1'] });
});

test('a stable group keeps every task where it was', () => {
  const before = { a: ['0_1', '1_0'], b: ['0_0', '1_1'] };
  const assignment = assignTasks(tasks(2, 2), [member('a', before.a), member('b', before.b)]);
  assert.deepEqual(asText(assignment), before);
});

test('when a member joins, only the surplus moves, preferring a member that holds the state', () => {
  const previous = { a: ['0_0', '0_1', '0_2'], b: ['0_3', '0_4', '0_5'] };
  const assignment = assignTasks(tasks(1, 6), [
    member('a', previous.a),
    member('b', previous.b),
    member('c', [], ['0_5']),
  ]);
  const result = asText(assignment);
  assert.equal(result.c!.length, 2);
  assert.ok(result.c!.includes('0_5'), 'the task whose state c holds moves to c');
  for (const [m, list] of Object.entries(result)) {
    if (m === 'c') continue;
    for (const t of list) assert.ok(previous[m as 'a' | 'b'].includes(t), `${t} stayed with its previous owner ${m}`);
  }
});

test('when a member leaves, its tasks go to the members holding their state', () => {
  const assignment = assignTasks(tasks(1, 4), [member('a', ['0_0', '0_1'], ['0_2']), member('b', ['0_3'], [])]);
  assert.deepEqual(asText(assignment), { a: ['0_0', '0_1'], b: ['0_2', '0_3'] });
  const alone = assignTasks(tasks(1, 4), [member('b', ['0_3'], ['0_2'])]);
  assert.deepEqual(asText(alone), { b: ['0_0', '0_1', '0_2', '0_3'] });
});

test('the same input always gives the same assignment', () => {
  const members = [member('m2', ['0_1']), member('m1', [], ['1_2']), member('m3')];
  assert.deepEqual(asText(assignTasks(tasks(2, 3), members)), asText(assignTasks(tasks(2, 3), [...members].reverse())));
});

test('task ids round-trip and reject malformed text', () => {
  assert.deepEqual(parseTaskId('3_12'), { subtopology: 3, partition: 12 });
  assert.throws(() => parseTaskId('3-12'), /not a task id/);
});
