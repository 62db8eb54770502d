import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assignTasks } from '../../../../src/runtime/assignment/assign-tasks.js';
import { formatTaskId, parseTaskId } from '../../../../src/runtime/assignment/task-id.js';
import { asText, assertBalanced, member, ofSubtopology, tasks, WORD_COUNT } from './assignment-support.js';

test('a fresh group gets every sub-topology spread and the totals balanced', () => {
  for (const [subtopologies, partitions, members] of [[2, 2, 2], [3, 5, 4], [2, 3, 2], [1, 1, 3], [4, 7, 3]] as const) {
    const all = tasks(subtopologies, partitions);
    const ids = Array.from({ length: members }, (_, i) => `m${i}`);
    assertBalanced(all, assignTasks(all, ids.map((id) => member(id)), WORD_COUNT));
  }
  assert.deepEqual(asText(assignTasks(tasks(2, 2), [member('a'), member('b')], WORD_COUNT)), { a: ['0_0', '1_0'], b: ['0_1', '1_1'] });
});

test('a balanced group keeps every task where it was', () => {
  const before = { a: ['0_1', '1_0'], b: ['0_0', '1_1'] };
  assert.deepEqual(asText(assignTasks(tasks(2, 2), [member('a', before.a), member('b', before.b)], WORD_COUNT)), before);
});

test('scale-out: the first instance keeps half of each sub-topology, stateful tasks included; only the spread moves', () => {
  const all = tasks(2, 4);
  const first = all.map(formatTaskId);
  const assignment = assignTasks(all, [member('a', first, ofSubtopology(first, 1)), member('b')], WORD_COUNT);
  assertBalanced(all, assignment);
  const result = asText(assignment);
  assert.equal(ofSubtopology(result.a!, 1).length, 2, 'two stateful tasks stay with their state');
  assert.equal(ofSubtopology(result.b!, 1).length, 2, 'two stateful tasks move: the least the spread needs');
  assert.equal(ofSubtopology(result.b!, 0).length, 2, 'the stateless sub-topology is spread as well');
});

test('when balance needs a choice, stateless tasks move and stateful ones stay', () => {
  const all = tasks(2, 3);
  const first = all.map(formatTaskId);
  const result = asText(assignTasks(all, [member('a', first, ofSubtopology(first, 1)), member('b')], WORD_COUNT));
  assert.equal(ofSubtopology(result.a!, 1).length, 2, 'a keeps the larger share of the stateful sub-topology');
  assert.equal(ofSubtopology(result.a!, 0).length, 1, 'and gives away the larger share of the stateless one');
  const flipped = asText(assignTasks(all, [member('a', first, ofSubtopology(first, 0)), member('b')], new Set([0])));
  assert.equal(ofSubtopology(flipped.a!, 0).length, 2, 'the same when sub-topology 0 is the stateful one');
});

test('a stateful task that must move goes to the member holding its state', () => {
  const all = tasks(2, 4);
  const first = all.map(formatTaskId);
  const result = asText(assignTasks(all, [member('a', first, ofSubtopology(first, 1)), member('b', [], ['1_1', '1_3'])], WORD_COUNT));
  assert.deepEqual(ofSubtopology(result.b!, 1), ['1_1', '1_3']);
});

test('when a member leaves, its stateful tasks go to the members holding their state', () => {
  const all = tasks(1, 4);
  const result = asText(assignTasks(all, [member('a', ['0_0', '0_1'], ['0_0', '0_1']), member('b', ['0_3'], ['0_2', '0_3'])], new Set([0])));
  assert.deepEqual(result, { a: ['0_0', '0_1'], b: ['0_2', '0_3'] });
  const alone = asText(assignTasks(all, [member('b', ['0_3'], ['0_2'])], new Set([0])));
  assert.deepEqual(alone, { b: ['0_0', '0_1', '0_2', '0_3'] });
});

test('the same input always gives the same assignment, whatever the order of members and tasks', () => {
  const all = tasks(2, 3);
  const members = [member('m2', ['0_1', '1_1']), member('m1', [], ['1_2']), member('m3', ['1_0'])];
  const once = asText(assignTasks(all, members, WORD_COUNT));
  assert.deepEqual(asText(assignTasks([...all].reverse(), [...members].reverse(), WORD_COUNT)), once);
  assert.deepEqual(asText(assignTasks(all, members, WORD_COUNT)), once);
});

test('no members: nothing to assign is fine, tasks without members are an error', () => {
  assert.deepEqual(asText(assignTasks([], [], WORD_COUNT)), {});
  assert.throws(() => assignTasks(tasks(1, 1), [], WORD_COUNT), /no member/);
});

test('task ids round-trip and reject malformed text', () => {
  assert.deepEqual(parseTaskId('3_12'), { subtopology: 3, partition: 12 });
  assert.throws(() => parseTaskId('3-12'), /not a task id/);
});
