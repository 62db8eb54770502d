import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamsError, StateError } from '../../../../src/core/errors.js';
import { BrokerFailure } from '../../../../src/runtime/client/broker-failure.js';
import { TaskRetries } from '../../../../src/runtime/tasks/task-retries.js';

/** A clock the test moves by hand. */
function clock(): { now: () => number; advance: (ms: number) => void } {
  let ms = 1_000_000;
  return { now: () => ms, advance: (by) => (ms += by) };
}

const down = new BrokerFailure('reading committed offsets failed (GROUP_LOAD_IN_PROGRESS)', { retriable: true });
const policy = { timeoutMs: 60_000, initialBackoffMs: 100, maxBackoffMs: 1_000 };

test('a first failure is retried at once, later ones after a backoff that doubles up to its maximum', () => {
  const time = clock();
  const retries = new TaskRetries(policy, time.now);
  const waits = Array.from({ length: 7 }, () => retries.failed('0_1', 'creating the task', down));
  assert.deepEqual(waits, [0, 100, 200, 400, 800, 1_000, 1_000]);
  assert.equal(retries.isDue('0_1'), false);
  time.advance(999);
  assert.equal(retries.isDue('0_1'), false);
  time.advance(1);
  assert.equal(retries.isDue('0_1'), true);
  assert.equal(retries.isDue('0_2'), true, 'a task that never failed is always due');
});

test('a commit ends the streak: the next failure is retried at once again', () => {
  const retries = new TaskRetries(policy, clock().now);
  retries.failed('0_1', 'committing', down);
  retries.failed('0_1', 'committing', down);
  retries.succeeded('0_1');
  assert.equal(retries.failures('0_1'), 0);
  assert.equal(retries.failed('0_1', 'committing', down), 0);
});

test('failing for longer than the task timeout is fatal, naming the task, what kept failing and the last error', () => {
  const time = clock();
  const retries = new TaskRetries(policy, time.now);
  retries.failed('0_1', 'creating the task', down);
  time.advance(30_000);
  retries.failed('0_1', 'creating the task', down);
  time.advance(30_000);
  assert.throws(
    () => retries.failed('0_1', 'creating the task', down),
    (error: unknown) =>
      error instanceof StreamsError &&
      error.code === 'BROKER_UNAVAILABLE' &&
      error.cause === down &&
      error.coordinates.taskId === '0_1' &&
      /task 0_1 kept failing for 60\.0 s \(3 attempts, task timeout 60000 ms\); last, creating the task failed: BrokerFailure: .*GROUP_LOAD_IN_PROGRESS/.test(error.message),
  );
});

test('a state failure that keeps recurring keeps its own code when it becomes fatal', () => {
  const time = clock();
  const retries = new TaskRetries(policy, time.now);
  const disk = new StateError('STATE_STORAGE_FAILED', 'disk I/O error');
  retries.failed('0_1', 'committing', disk);
  time.advance(59_000);
  retries.failed('0_1', 'committing', disk);
  time.advance(1_000);
  assert.throws(() => retries.failed('0_1', 'committing', disk), { code: 'STATE_STORAGE_FAILED' });
});

test('a task that ran for a whole timeout without failing starts a new streak; with a timeout of 0 the first failure is fatal', () => {
  const time = clock();
  const retries = new TaskRetries(policy, time.now);
  retries.failed('0_1', 'committing', down);
  retries.running('0_1');
  time.advance(60_000);
  assert.equal(retries.failed('0_1', 'committing', down), 0, 'a new streak: retried at once, not fatal');
  assert.throws(() => new TaskRetries({ ...policy, timeoutMs: 0 }, time.now).failed('0_1', 'committing', down), { code: 'BROKER_UNAVAILABLE' });
});

test('time spent restoring between failures counts as failing: a rebuild loop is capped however slow the restoration', () => {
  const time = clock();
  const retries = new TaskRetries(policy, time.now);
  const disk = new StateError('STATE_STORAGE_FAILED', 'disk I/O error');
  retries.failed('0_1', 'processing', disk);
  time.advance(61_000); // restoring the whole time: the task never ran
  retries.running('0_1');
  time.advance(1_000);
  assert.throws(() => retries.failed('0_1', 'processing', disk), { code: 'STATE_STORAGE_FAILED', message: /kept failing for 62\.0 s \(2 attempts/ });
});

test('tasks no longer assigned are forgotten', () => {
  const retries = new TaskRetries(policy, clock().now);
  retries.failed('0_1', 'committing', down);
  retries.failed('0_1', 'committing', down);
  retries.failed('0_2', 'committing', down);
  retries.retainOnly(new Set(['0_2']));
  assert.equal(retries.failures('0_1'), 0);
  assert.equal(retries.failures('0_2'), 1);
});
