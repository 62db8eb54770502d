import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ThreadStates } from '../../../../src/runtime/app/threads/thread-states.js';

test('the client runs once every thread runs, and rebalances while any thread does', () => {
  const states = new ThreadStates();
  assert.equal(states.set(1, 'starting'), 'REBALANCING');
  assert.equal(states.set(2, 'starting'), 'REBALANCING');
  assert.equal(states.set(1, 'running'), 'REBALANCING', 'thread 2 is still starting');
  assert.equal(states.set(2, 'rebalancing'), 'REBALANCING');
  assert.equal(states.set(2, 'running'), 'RUNNING');
  assert.equal(states.set(1, 'rebalancing'), 'REBALANCING');
  assert.equal(states.set(1, 'running'), 'RUNNING');
});

test('a dead thread holds nothing back, but a client without threads is not running', () => {
  const states = new ThreadStates();
  states.set(1, 'running');
  states.set(2, 'rebalancing');
  assert.equal(states.remove(2), 'RUNNING');
  assert.equal(states.remove(1), 'REBALANCING');
  assert.equal(states.clientState(), 'REBALANCING');
});
