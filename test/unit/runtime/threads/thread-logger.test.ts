import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import type { TaskLogger } from '../../../../src/processing/task-logger.js';
import { enabledLogLevels, relayLog, workerLogger } from '../../../../src/runtime/app/threads/thread-logger.js';
import type { WorkerMessage } from '../../../../src/runtime/app/threads/thread-protocol.js';

/** A logger that records each line with the bindings of the children it was written through. */
function recordingLogger(lines: unknown[], bindings: object = {}): TaskLogger {
  const line = (level: string) => (fields: object, message: string) => lines.push({ level, bindings, fields, message });
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error'), child: (more) => recordingLogger(lines, { ...bindings, ...more }) };
}

test("a worker's log lines are written by the main thread's logger, through the same children", () => {
  const sent: WorkerMessage[] = [];
  const logger = workerLogger((message) => sent.push(message), new Set(['info', 'warn', 'error']), [{ thread: 2 }]);
  logger.child({ taskId: '1_0' }).warn({ error: new Error('x'), offset: 5 }, 'task failed');
  logger.debug({}, 'not enabled');
  assert.equal(sent.length, 1);
  const lines: unknown[] = [];
  relayLog(recordingLogger(lines), sent[0] as Extract<WorkerMessage, { type: 'log' }>);
  assert.equal(lines.length, 1);
  const [line] = lines as Array<{ level: string; bindings: object; fields: { offset: number; error: unknown }; message: string }>;
  assert.equal(line!.level, 'warn');
  assert.deepEqual(line!.bindings, { thread: 2, taskId: '1_0' });
  assert.equal(line!.fields.offset, 5);
  assert.equal(line!.message, 'task failed');
});

test("the levels a worker sends are those the main thread's pino logger writes", () => {
  assert.deepEqual(enabledLogLevels(pino({ level: 'warn' })), ['warn', 'error']);
  assert.deepEqual(enabledLogLevels(pino({ level: 'silent' })), []);
  assert.deepEqual(enabledLogLevels(recordingLogger([])), ['debug', 'info', 'warn', 'error']);
});
