import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Serdes, StreamsBuilder } from '../../../../src/index.js';
import { StreamsAssignor, parseUserData, statefulSubtopologies } from '../../../../src/runtime/assignment/streams-assignor.js';

const topics = new Map<number, string[]>([
  [0, ['clicks', 'views']],
  [1, ['app-agg-repartition']],
]);
const counts = (topic: string) => ({ clicks: 2, views: 2, 'app-agg-repartition': 3 })[topic];
const member = (memberId: string, previousTasks: string[] = [], tasksWithState: string[] = []) => ({
  memberId,
  userData: Buffer.from(JSON.stringify({ previousTasks, tasksWithState })),
});

test('announces previous tasks and tasks with local state as JSON', () => {
  const assignor = new StreamsAssignor(topics, new Set([1]), () => ({ previousTasks: ['0_1'], tasksWithState: ['1_2'] }));
  assert.deepEqual(parseUserData(assignor.memberUserData()), { previousTasks: ['0_1'], tasksWithState: ['1_2'] });
});

test('gives each member whole tasks: co-partitioned topics of a task travel together', () => {
  const assignor = new StreamsAssignor(topics, new Set([1]), () => ({ previousTasks: [], tasksWithState: [] }));
  const assignment = assignor.assign([member('a'), member('b')], counts);
  const all = [...assignment.values()].flat();
  assert.equal(all.length, 2 * 2 + 3, 'every partition is assigned once');
  for (const partitions of assignment.values()) {
    for (const p of partitions.filter((p) => p.topic === 'clicks')) {
      assert.ok(partitions.some((q) => q.topic === 'views' && q.partition === p.partition), 'views partition goes with clicks');
    }
  }
  const sizes = [...assignment.values()].map((p) => new Set(p.map((x) => `${x.topic === 'app-agg-repartition' ? 1 : 0}_${x.partition}`)).size);
  assert.deepEqual(sizes.sort(), [2, 3]);
});

test('keeps tasks with their previous owner, and unreadable user data counts as no history', () => {
  const assignor = new StreamsAssignor(topics, new Set([1]), () => ({ previousTasks: [], tasksWithState: [] }));
  const assignment = assignor.assign([member('a', ['1_0', '1_1', '1_2']), { memberId: 'b', userData: Buffer.from('garbage') }], counts);
  const repartitionOfA = assignment.get('a')!.filter((p) => p.topic === 'app-agg-repartition').map((p) => p.partition);
  assert.ok(repartitionOfA.length >= 2 && repartitionOfA.every((p) => [0, 1, 2].includes(p)));
  assert.deepEqual(parseUserData(Buffer.from('garbage')), { previousTasks: [], tasksWithState: [] });
});

test('the sub-topologies with stores are the stateful ones: a groupBy count has a stateless 0 and a stateful 1', () => {
  const builder = new StreamsBuilder();
  builder
    .stream('lines', { keySerde: Serdes.String(), valueSerde: Serdes.String() })
    .groupBy((_key, line) => line, { keySerde: Serdes.String(), valueSerde: Serdes.String() })
    .count();
  assert.deepEqual([...statefulSubtopologies(builder.build().build())], [1]);
});

test('a stateful sub-topology keeps its tasks on their state when a member joins; the stateless one gives way', () => {
  const assignor = new StreamsAssignor(topics, new Set([1]), () => ({ previousTasks: [], tasksWithState: [] }));
  const all = ['0_0', '0_1', '1_0', '1_1', '1_2'];
  const assignment = assignor.assign([member('a', all, ['1_0', '1_1', '1_2']), member('b')], counts);
  const repartitionOfA = assignment.get('a')!.filter((p) => p.topic === 'app-agg-repartition');
  const clicksOfA = assignment.get('a')!.filter((p) => p.topic === 'clicks');
  assert.equal(repartitionOfA.length, 2, 'a keeps two of the three stateful tasks');
  assert.equal(clicksOfA.length, 1, 'and gives one stateless task away');
});
