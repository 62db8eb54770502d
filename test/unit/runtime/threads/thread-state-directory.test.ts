import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { TaskDirectoryLocks } from '../../../../src/runtime/app/threads/task-directory-locks.js';
import { ThreadStateDirectory, type OpenTask } from '../../../../src/runtime/app/threads/thread-state-directory.js';

interface FakeTask extends OpenTask {
  readonly database: { isOpen: boolean };
}

/** Two threads' directories over one folder; `open` plays each task manager's map of open tasks. */
function withThreads(body: (threads: { directory: ThreadStateDirectory; open: FakeTask[] }[], other: TaskDirectoryLocks) => Promise<void>): Promise<void> {
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-thread-dir-'));
  const signal = TaskDirectoryLocks.sharedSignal();
  const threads = [1, 2].map((thread) => {
    const open: FakeTask[] = [];
    const directory = new ThreadStateDirectory(stateDir, 'app', new TaskDirectoryLocks(join(stateDir, 'app'), thread, signal), {
      stateful: (taskId) => taskId.startsWith('1_'),
      openTasks: () => open,
      lockTimeoutMs: 30,
    });
    return { directory, open };
  });
  const other = new TaskDirectoryLocks(join(stateDir, 'app'), 3, signal);
  return body(threads, other).finally(() => rmSync(stateDir, { recursive: true, force: true }));
}

/** What the task manager does: asks for the path, then opens the database and keeps the task in its map. */
function openTask(thread: { directory: ThreadStateDirectory; open: FakeTask[] }, id: string): FakeTask {
  const path = thread.directory.databasePath(id);
  assert.ok(path.endsWith(join(id, 'task.sqlite')));
  const task = { id, database: { isOpen: true } };
  thread.open.push(task);
  return task;
}

const microtask = () => new Promise<void>((resolve) => queueMicrotask(resolve));

test("a stateful task's folder is locked from opening until its database is closed", () =>
  withThreads(async ([first], other) => {
    const task = openTask(first!, '1_0');
    await microtask();
    first!.directory.releaseClosed();
    assert.equal(other.tryLock('1_0'), false, 'open: locked');
    task.database.isOpen = false;
    first!.open.length = 0;
    assert.equal(other.tryLock('1_0'), false, 'closed but not looked at yet');
    first!.directory.releaseClosed();
    assert.equal(other.tryLock('1_0'), true);
  }));

test('a second thread cannot open a task the first still has open, and can once it is closed', () =>
  withThreads(async ([first, second]) => {
    const task = openTask(first!, '1_1');
    await microtask();
    assert.throws(() => second!.directory.databasePath('1_1'), /task 1_1's state is still open in stream thread 1/);
    task.database.isOpen = false;
    first!.directory.releaseClosed();
    openTask(second!, '1_1');
  }));

test('a thread releases the tasks it closed before it waits for another lock', () =>
  withThreads(async ([first], other) => {
    const closed = openTask(first!, '1_0');
    await microtask();
    closed.database.isOpen = false;
    openTask(first!, '1_1');
    assert.equal(other.tryLock('1_0'), true);
  }));

test('a claim whose task never appeared (creating it threw) is released after the opening', () =>
  withThreads(async ([first], other) => {
    first!.directory.databasePath('1_2');
    await microtask();
    assert.equal(other.tryLock('1_2'), true);
  }));

test('stateless tasks, which keep no file, take no lock; stopping releases every lock', () =>
  withThreads(async ([first], other) => {
    openTask(first!, '0_0');
    openTask(first!, '1_0');
    await microtask();
    assert.equal(other.tryLock('0_0'), true);
    assert.equal(other.tryLock('1_0'), false);
    first!.directory.releaseAll();
    assert.equal(other.tryLock('1_0'), true);
  }));
