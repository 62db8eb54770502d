import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BACKLOG_WAIT_MS, InputBacklog } from '../../../../src/runtime/tasks/input-backlog.js';

const table = { topic: 'table', partition: 0 };
const orders = { topic: 'orders', partition: 0 };

test('a backlog holds its task while its partition has nothing buffered, until the consumer reaches its end', () => {
  const backlog = new InputBacklog(() => 0);
  backlog.expect(table, 5, 8);
  backlog.expect(orders, 5, 5);
  const empty = { bufferedCount: () => 0 };
  assert.equal(backlog.holds([orders, table], empty), true);
  assert.equal(backlog.holds([orders, table], { bufferedCount: (p) => (p.topic === 'table' ? 1 : 0) }), false, 'a buffered record of the partition lets the task go on');
  backlog.reached(table, 7);
  assert.equal(backlog.holds([orders, table], empty), true, 'offset 7 is still to come');
  backlog.reached(table, 8);
  assert.equal(backlog.holds([orders, table], empty), false);
});

test('a backlog that cannot be read holds its task for BACKLOG_WAIT_MS at most', () => {
  let now = 1_000;
  const backlog = new InputBacklog(() => now);
  backlog.expect(table, 0, 3);
  now += BACKLOG_WAIT_MS - 1;
  assert.equal(backlog.holds([table], { bufferedCount: () => 0 }), true);
  now += 1;
  assert.equal(backlog.holds([table], { bufferedCount: () => 0 }), false);
  now += BACKLOG_WAIT_MS;
  assert.equal(backlog.holds([table], { bufferedCount: () => 0 }), false, 'once given up, the backlog is forgotten');
});

test('a forgotten partition (its task closed) holds nothing', () => {
  const backlog = new InputBacklog(() => 0);
  backlog.expect(table, 0, 3);
  backlog.forget(table);
  assert.equal(backlog.holds([table], { bufferedCount: () => 0 }), false);
});
