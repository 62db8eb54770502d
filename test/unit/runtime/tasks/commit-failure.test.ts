import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProcessingError, SerdeError, StateError, StreamsError } from '../../../../src/core/errors.js';
import { ProductionFailure } from '../../../../src/runtime/client/production-failure.js';
import { commitFailureKind } from '../../../../src/runtime/tasks/commit-failure.js';

test('broker and SQLite failures rebuild the task, fencing waits for an assignment, everything else fails the thread', () => {
  assert.equal(commitFailureKind(new ProductionFailure('fenced', 'fenced')), 'fenced');
  assert.equal(commitFailureKind(new ProductionFailure('other', 'timed out')), 'transient');
  assert.equal(commitFailureKind(new StateError('disk full')), 'transient');
  assert.equal(commitFailureKind(new ProcessingError('processor failed in flush')), 'fatal');
  assert.equal(commitFailureKind(new SerdeError('cannot serialize')), 'fatal');
  assert.equal(commitFailureKind(new StreamsError('PRODUCTION_FAILED', 'handler said fail')), 'fatal');
  assert.equal(commitFailureKind(new TypeError('a bug')), 'fatal');
});
