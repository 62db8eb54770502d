import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { ProcessingError, SerdeError, StateError, StreamsError } from '../../../../src/core/errors.js';
import { ProductionFailure } from '../../../../src/runtime/client/production-failure.js';
import { taskFailureKind } from '../../../../src/runtime/tasks/task-failure-kind.js';
import { SuppressionBufferFullError } from '../../../../src/topology/dsl/suppress/suppression-buffer-full-error.js';

test('broker and storage failures rebuild the task, fencing waits for an assignment, everything else fails the thread', () => {
  assert.equal(taskFailureKind(new ProductionFailure('fenced', 'fenced')), 'fenced');
  assert.equal(taskFailureKind(new ProductionFailure('other', 'timed out')), 'transient');
  assert.equal(taskFailureKind(new StateError('STATE_STORAGE_FAILED', 'disk full')), 'transient');
  assert.equal(taskFailureKind(new Database.SqliteError('database or disk is full', 'SQLITE_FULL')), 'transient', "SQLite's own errors are storage failures");
  assert.equal(taskFailureKind(new ProcessingError('processor failed in flush')), 'fatal');
  assert.equal(taskFailureKind(new SerdeError('cannot serialize')), 'fatal');
  assert.equal(taskFailureKind(new StreamsError('PRODUCTION_FAILED', 'handler said fail')), 'fatal');
  assert.equal(taskFailureKind(new TypeError('a bug')), 'fatal');
});

test('a full strict suppression buffer and a misused store fail the thread: a rebuild meets them again', () => {
  const full = new SuppressionBufferFullError({ records: 2, maxRecords: 1, bytes: 10, maxBytes: Infinity }, { store: 'buffer', taskId: '0_0' });
  assert.equal(full.code, 'STATE_CAPACITY_EXCEEDED');
  assert.equal(taskFailureKind(full), 'fatal');
  assert.equal(taskFailureKind(new StateError('STATE_MISUSE', 'store keys must not be null', { coordinates: { store: 's' } })), 'fatal');
  assert.equal(taskFailureKind(new StateError('STATE_DIR_LOCKED', 'locked')), 'fatal');
});
