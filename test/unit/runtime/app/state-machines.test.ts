import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamsError } from '../../../../src/core/errors.js';
import { STREAMS_STATE_TRANSITIONS, type StreamsState } from '../../../../src/runtime/app/streams-state.js';
import { StateMachine } from '../../../../src/runtime/state-machine.js';
import { TASK_STATE_TRANSITIONS, type TaskState } from '../../../../src/runtime/tasks/task-state.js';

test('the client follows Kafka Streams\' state table and reports each move to its listener', () => {
  const seen: string[] = [];
  const machine = new StateMachine<StreamsState>('client', STREAMS_STATE_TRANSITIONS, 'CREATED', (next, previous) => seen.push(`${previous}->${next}`));
  for (const next of ['REBALANCING', 'RUNNING', 'REBALANCING', 'RUNNING', 'PENDING_SHUTDOWN', 'NOT_RUNNING'] as const) machine.moveTo(next);
  assert.deepEqual(seen, ['CREATED->REBALANCING', 'REBALANCING->RUNNING', 'RUNNING->REBALANCING', 'REBALANCING->RUNNING', 'RUNNING->PENDING_SHUTDOWN', 'PENDING_SHUTDOWN->NOT_RUNNING']);
  assert.throws(() => machine.moveTo('RUNNING'), (error: unknown) => error instanceof StreamsError && error.code === 'ILLEGAL_STATE');
});

test('errors end in ERROR, which nothing leaves; NOT_RUNNING is final too', () => {
  const machine = new StateMachine<StreamsState>('client', STREAMS_STATE_TRANSITIONS, 'RUNNING');
  machine.moveTo('PENDING_ERROR');
  assert.equal(machine.canMoveTo('RUNNING'), false);
  machine.moveTo('ERROR');
  for (const state of Object.keys(STREAMS_STATE_TRANSITIONS) as StreamsState[]) assert.equal(machine.canMoveTo(state), false);
  assert.deepEqual(STREAMS_STATE_TRANSITIONS.NOT_RUNNING, []);
  assert.equal(new StateMachine<StreamsState>('client', STREAMS_STATE_TRANSITIONS, 'CREATED').tryMoveTo('RUNNING'), false);
});

test('every state named in the tables is a state of the table', () => {
  for (const table of [STREAMS_STATE_TRANSITIONS, TASK_STATE_TRANSITIONS] as Array<{ readonly [key: string]: readonly string[] }>) {
    for (const targets of Object.values(table)) for (const target of targets) assert.ok(target in table, `${target} is a state`);
  }
});

test('a task restores before it runs, may be suspended and resumed, and stays closed', () => {
  const task = new StateMachine<TaskState>('task', TASK_STATE_TRANSITIONS, 'created');
  assert.equal(task.canMoveTo('running'), false, 'a task never runs before restoring');
  for (const next of ['restoring', 'running', 'suspended', 'running', 'closed'] as const) task.moveTo(next);
  assert.throws(() => task.moveTo('running'), StreamsError);
});
