import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideOnProductionError, type ProductionErrorContext } from '../../../../src/runtime/tasks/production-exception-handler.js';

const context: ProductionErrorContext = { error: new Error('too large'), taskId: '0_0', topic: 'out', partition: null, timestamp: 1, input: { topic: 'in', partition: 0, offset: 4 } };

test("the fixed answers: 'continue' drops, 'fail' fails", () => {
  assert.equal(decideOnProductionError('continue', context), 'continue');
  assert.equal(decideOnProductionError('fail', context), 'fail');
});

test('a function decides with the context; an answer other than continue fails; its exception propagates', () => {
  const seen: ProductionErrorContext[] = [];
  assert.equal(decideOnProductionError((c) => (seen.push(c), 'continue'), context), 'continue');
  assert.deepEqual(seen, [context]);
  assert.equal(decideOnProductionError(() => 'fail', context), 'fail');
  assert.equal(decideOnProductionError(() => undefined as never, context), 'fail');
  assert.throws(() => decideOnProductionError(() => {
    throw new Error('handler bug');
  }, context), /handler bug/);
});
