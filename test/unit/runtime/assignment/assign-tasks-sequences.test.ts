import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assignTasks, type MemberTasks } from '../../../../src/runtime/assignment/assign-tasks.js';
import { formatTaskId, parseTaskId, type TaskId } from '../../../../src/runtime/assignment/task-id.js';
import { asText, assertBalanced, imbalance, member, ofSubtopology, placementCost, tasks, WORD_COUNT } from './assignment-support.js';

/**
 * A group over time: who runs what, and which stateful tasks each instance has on disk (its state directory
 * survives leaving the group, as a restarted instance's does).
 */
class Group {
  private readonly running = new Map<string, string[]>();
  private readonly disk = new Map<string, Set<string>>();

  constructor(
    private readonly all: readonly TaskId[],
    private readonly stateful: ReadonlySet<number>,
  ) {}

  join(id: string): void {
    this.running.set(id, []);
    if (!this.disk.has(id)) this.disk.set(id, new Set());
  }

  leave(id: string): void {
    this.running.delete(id);
  }

  get size(): number {
    return this.running.size;
  }

  stateOf(id: string): string[] {
    return [...this.disk.get(id)!].sort();
  }

  /** One rebalance: checks balance, applies the assignment, and returns what moved where. */
  rebalance(): { result: { [member: string]: string[] }; members: MemberTasks[]; cost: number } {
    const members = [...this.running].map(([id, previous]) => member(id, previous, this.stateOf(id)));
    const assignment = assignTasks(this.all, members, this.stateful);
    assertBalanced(this.all, assignment);
    const result = asText(assignment);
    for (const [id, list] of Object.entries(result)) {
      this.running.set(id, list);
      for (const task of list) if (this.stateful.has(parseTaskId(task).subtopology)) this.disk.get(id)!.add(task);
    }
    return { result, members, cost: placementCost(assignment, members, this.stateful) };
  }
}

const stateful = (list: readonly string[]) => ofSubtopology(list, 1);

test('join and leave: stateful tasks move only as far as the spread needs, and back to where their state is', () => {
  const group = new Group(tasks(2, 6), WORD_COUNT);
  group.join('a');
  assert.equal(group.rebalance().result.a!.length, 12);

  group.join('b');
  const two = group.rebalance().result;
  assert.equal(stateful(two.a!).length, 3, 'a keeps half of the stateful tasks');
  assert.equal(stateful(two.b!).length, 3);

  group.join('c');
  const three = group.rebalance().result;
  for (const id of ['a', 'b']) {
    assert.equal(stateful(three[id]!).length, 2);
    assert.ok(stateful(three[id]!).every((t) => stateful(two[id]!).includes(t)), `${id} kept stateful tasks it ran, and took none`);
  }

  group.leave('b');
  const afterLeave = group.rebalance().result;
  assert.deepEqual(stateful(afterLeave.a!).filter((t) => stateful(three.b!).includes(t)).length, 1, 'a takes one of b\'s stateful tasks');
  assert.ok(stateful(afterLeave.a!).every((t) => group.stateOf('a').includes(t)), 'a only takes stateful tasks it has state for');

  const bOnDisk = group.stateOf('b');
  group.join('b');
  const rejoined = group.rebalance().result;
  assert.equal(stateful(rejoined.b!).length, 2);
  assert.ok(stateful(rejoined.b!).every((t) => bOnDisk.includes(t)), `b gets back tasks whose state it kept: ${rejoined.b!.join(',')}`);

  group.leave('a');
  group.leave('c');
  assert.equal(group.rebalance().result.b!.length, 12, 'the last member runs everything');
});

test('a stable group is a fixed point: rebalancing again moves nothing', () => {
  const random = seeded(11);
  for (let round = 0; round < 40; round++) {
    const all = tasks(1 + Math.floor(random() * 3), 1 + Math.floor(random() * 7));
    const group = new Group(all, new Set([0, 2].filter(() => random() < 0.6)));
    for (let step = 0; step < 6; step++) {
      const ids = ['a', 'b', 'c', 'd', 'e'];
      const id = ids[Math.floor(random() * ids.length)]!;
      if (random() < 0.65) group.join(id);
      else group.leave(id);
      if (group.size === 0) continue;
      group.rebalance();
      const again = group.rebalance();
      assert.equal(again.cost, 0, `nothing moves: ${JSON.stringify(again.result)}`);
    }
  }
});

test('the assignment is the cheapest balanced one (checked against every possible assignment)', () => {
  const random = seeded(7);
  for (let round = 0; round < 60; round++) {
    const subtopologies = 1 + Math.floor(random() * 3);
    const all = tasks(subtopologies, 1 + Math.floor(random() * Math.floor(8 / subtopologies)));
    const ids = ['a', 'b', 'c'].slice(0, 1 + Math.floor(random() * 3));
    const statefulSet = new Set([...Array(subtopologies).keys()].filter(() => random() < 0.5));
    const pick = () => all.map(formatTaskId).filter(() => random() < 0.3);
    const members = ids.map((id) => member(id, pick(), pick().filter((t) => statefulSet.has(parseTaskId(t).subtopology))));
    const got = assignTasks(all, members, statefulSet);
    assertBalanced(all, got);
    assert.equal(placementCost(got, members, statefulSet), cheapestBalanced(all, members, statefulSet), JSON.stringify({ members, statefulSet: [...statefulSet] }));
  }
});

function cheapestBalanced(all: readonly TaskId[], members: readonly MemberTasks[], stateful: ReadonlySet<number>): number {
  let best = Infinity;
  const choice = new Array<number>(all.length).fill(0);
  for (let n = 0; n < members.length ** all.length; n++) {
    for (let i = 0, rest = n; i < all.length; i++, rest = Math.floor(rest / members.length)) choice[i] = rest % members.length;
    const assignment = new Map(members.map((m, index) => [m.memberId, all.filter((_, i) => choice[i] === index)]));
    if (imbalance(all, assignment) === undefined) best = Math.min(best, placementCost(assignment, members, stateful));
  }
  return best;
}

/** mulberry32: a small seeded generator, so the random cases are the same on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
