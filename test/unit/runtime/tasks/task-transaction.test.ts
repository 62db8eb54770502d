import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Headers } from '../../../../src/core/headers.js';
import type { OutgoingRecord } from '../../../../src/processing/record-collector.js';
import { TaskTransaction } from '../../../../src/runtime/tasks/task-transaction.js';
import { FakeTransactionalProducer, lines } from './runtime-fakes.js';

const record = (value: string): OutgoingRecord => ({ topic: 'out', partition: 0, key: Buffer.from('k'), value: Buffer.from(value), headers: Headers.EMPTY, timestamp: 1 });

test('a task transaction moves connecting → open → committing → open, and every step uses only its own open transaction', async () => {
  const producer = new FakeTransactionalProducer();
  const transaction = new TaskTransaction('task 0_0', producer);
  assert.equal(transaction.state, 'connecting');
  assert.throws(() => transaction.current(), /task 0_0 has no open transaction \(it is connecting\)/);
  await transaction.connect();
  assert.equal(transaction.state, 'open');
  await transaction.current().send([record('a')]);
  transaction.noteSent('0_0', [record('a')]);
  await transaction.commit('app', [{ topic: 'in', partition: 0, offset: 1 }]);
  assert.equal(transaction.state, 'committing');
  assert.deepEqual(transaction.sent, [], 'what a committed transaction sent is never sent again');
  assert.throws(() => transaction.current(), /no open transaction \(it is committing\)/, 'between the commit and the next begin there is nothing to send into');
  await transaction.beginNext();
  assert.equal(transaction.state, 'open');
  assert.deepEqual(lines(producer.committed), ['out k=a']);
  assert.deepEqual(producer.committedOffsets, [{ topic: 'in', partition: 0, offset: 1 }]);
});

test('restarting aborts the open transaction and hands back what it sent, to go again in the new one', async () => {
  const producer = new FakeTransactionalProducer();
  const transaction = new TaskTransaction('task 0_1', producer);
  await transaction.connect();
  const sent = [record('a'), record('b')];
  await transaction.current().send(sent);
  transaction.noteSent('0_1', sent);
  const { transaction: next, resend } = await transaction.restart();
  assert.equal(producer.aborts, 1);
  assert.deepEqual(resend, [{ taskId: '0_1', records: sent }]);
  assert.equal(transaction.state, 'open');
  assert.equal(transaction.current(), next);
  assert.deepEqual(transaction.sent, []);
});

test('a released task transaction aborts what was open once, disconnects, and refuses every later step', async () => {
  const producer = new FakeTransactionalProducer();
  const transaction = new TaskTransaction('task 0_2', producer);
  await transaction.connect();
  await transaction.release(true);
  await transaction.release(true);
  assert.equal(producer.aborts, 1);
  assert.equal(producer.disconnected, true);
  assert.equal(transaction.state, 'released');
  assert.throws(() => transaction.current(), /no open transaction \(it is released\)/);
  await assert.rejects(() => transaction.beginNext(), /begins a next transaction only after a commit \(it is released\)/);
});
