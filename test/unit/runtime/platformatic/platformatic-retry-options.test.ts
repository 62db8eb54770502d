import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProtocolError } from '@platformatic/kafka';
import { retryDelayMs, withRetries } from '../../../../src/runtime/platformatic/platformatic-retry-options.js';

test('retries back off from 100 ms to at most 1 s; a coordinator still completing a transaction is asked again after 20 ms steps', () => {
  const moved = new ProtocolError('NOT_COORDINATOR');
  assert.deepEqual([1, 2, 3, 4, 5, 8].map((attempt) => retryDelayMs(attempt, moved)), [100, 200, 400, 800, 1_000, 1_000]);
  const completing = new ProtocolError('CONCURRENT_TRANSACTIONS');
  assert.deepEqual([1, 2, 3].map((attempt) => retryDelayMs(attempt, completing)), [20, 40, 60]);
});

test('the adapter’s own requests are retried while retriable, looking things up again before each attempt, and not past a final error', async () => {
  const errors = [new ProtocolError('CONCURRENT_TRANSACTIONS'), new ProtocolError('NOT_COORDINATOR')];
  let lookups = 0;
  const result = await withRetries(
    () => (errors.length > 0 ? Promise.reject(errors.shift()!) : Promise.resolve('done')),
    () => true,
    () => lookups++,
  );
  assert.equal(result, 'done');
  assert.equal(lookups, 2);

  let calls = 0;
  const fenced = new ProtocolError('PRODUCER_FENCED');
  await assert.rejects(withRetries(() => (calls++, Promise.reject(fenced)), (error) => error !== fenced), (error) => error === fenced);
  assert.equal(calls, 1);
});
