import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { once } from 'node:events';
import { StateError } from '../../../../src/core/errors.js';
import { TaskDirectoryLocks } from '../../../../src/runtime/app/threads/task-directory-locks.js';
import { startWorker } from '../../../../src/runtime/app/threads/worker-bootstrap.js';

function withDir(body: (directory: string) => Promise<void> | void): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'kstreams-task-locks-'));
  return Promise.resolve(body(directory)).finally(() => rmSync(directory, { recursive: true, force: true }));
}

const heldBy = (thread: number) => (error: unknown) => error instanceof StateError && error.code === 'STATE_DIR_LOCKED' && error.message.includes(`stream thread ${thread}`) && error.coordinates.taskId === '1_0';

test('a task lock is held by one thread at a time, taken again by its holder, and released by its holder only', () =>
  withDir((directory) => {
    const signal = TaskDirectoryLocks.sharedSignal();
    const first = new TaskDirectoryLocks(directory, 1, signal);
    const second = new TaskDirectoryLocks(directory, 2, signal);
    assert.equal(first.tryLock('1_0'), true);
    assert.equal(second.tryLock('1_0'), false);
    assert.equal(first.tryLock('1_0'), true);
    second.unlock('1_0');
    assert.equal(second.tryLock('1_0'), false);
    assert.equal(second.tryLock('1_1'), true, 'other tasks are free');
    first.unlock('1_0');
    assert.equal(second.tryLock('1_0'), true);
  }));

test('waiting for a lock ends with STATE_DIR_LOCKED naming the thread that holds it', () =>
  withDir((directory) => {
    const signal = TaskDirectoryLocks.sharedSignal();
    new TaskDirectoryLocks(directory, 1, signal).lock('1_0', 0);
    assert.throws(() => new TaskDirectoryLocks(directory, 3, signal).lock('1_0', 30), heldBy(1));
  }));

test('a waiting thread gets the lock once what it does while waiting frees it', () =>
  withDir((directory) => {
    const signal = TaskDirectoryLocks.sharedSignal();
    const holder = new TaskDirectoryLocks(directory, 1, signal);
    holder.lock('1_0', 0);
    let looks = 0;
    new TaskDirectoryLocks(directory, 2, signal).lock('1_0', 5_000, () => {
      if (++looks === 2) holder.unlock('1_0');
    });
    assert.equal(looks, 2);
    assert.equal(holder.tryLock('1_0'), false, 'thread 2 holds it now');
  }));

test('a thread blocked on a lock wakes when a worker thread releases it', () =>
  withDir(async (directory) => {
    const signal = TaskDirectoryLocks.sharedSignal();
    const worker = startWorker(new URL('./fixtures/lock-holder.js', import.meta.url), { directory, signal });
    const [message] = (await once(worker, 'message')) as [string];
    assert.equal(message, 'locked');
    const main = new TaskDirectoryLocks(directory, 1, signal);
    assert.equal(main.tryLock('0_0'), false);
    worker.postMessage('release');
    main.lock('0_0', 10_000);
    assert.equal(new TaskDirectoryLocks(directory, 2, signal).tryLock('0_0'), false, 'thread 1 holds it now');
    await worker.terminate();
  }));

test('the main thread releases the locks of a thread that ended, or all of them before any thread starts', () =>
  withDir((directory) => {
    const signal = TaskDirectoryLocks.sharedSignal();
    const [main, first, second] = [0, 1, 2].map((thread) => new TaskDirectoryLocks(directory, thread, signal));
    first!.lock('0_0', 0);
    second!.lock('0_1', 0);
    main!.releaseThread(1);
    assert.equal(second!.tryLock('0_0'), true);
    assert.equal(first!.tryLock('0_1'), false, "thread 2's lock stays");
    main!.releaseAll();
    assert.equal(first!.tryLock('0_0'), true);
    assert.equal(first!.tryLock('0_1'), true);
  }));
