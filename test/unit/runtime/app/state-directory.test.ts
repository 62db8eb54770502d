import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { StateError } from '../../../../src/core/errors.js';
import { StateDirectory } from '../../../../src/runtime/app/state-directory.js';

function withDir(body: (root: string) => void): void {
  const root = mkdtempSync(join(tmpdir(), 'kstreams-statedir-'));
  try {
    body(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function lockFile(root: string): string {
  return join(root, 'app', '.lock');
}

function writeLock(root: string, content: string): void {
  mkdirSync(join(root, 'app'), { recursive: true });
  writeFileSync(lockFile(root), content);
}

/** Field 22 of /proc/<pid>/stat (the start time), where /proc exists. */
function startTimeOf(pid: number): string | undefined {
  if (!existsSync(`/proc/${pid}/stat`)) return undefined;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

const locked = (pid: number) => (error: unknown) => error instanceof StateError && error.code === 'STATE_DIR_LOCKED' && error.message.includes(`process ${pid}`);

test('the lock names this process and refuses a second holder while the process lives', () => {
  withDir((root) => {
    const first = new StateDirectory(root, 'app');
    first.lock();
    const holder = JSON.parse(readFileSync(lockFile(root), 'utf8')) as { pid: number; startTime?: string };
    assert.equal(holder.pid, process.pid);
    assert.equal(holder.startTime, startTimeOf(process.pid));
    assert.throws(() => new StateDirectory(root, 'app').lock(), (error: unknown) => locked(process.pid)(error) && /of this process/.test((error as Error).message));
    assert.equal(new StateDirectory(root, 'app').isLockedByLiveProcess(), true);
    first.unlock();
    assert.equal(existsSync(lockFile(root)), false);
    new StateDirectory(root, 'app').lock();
  });
});

test('a lock left by a dead process is taken over', () => {
  withDir((root) => {
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
    writeLock(root, String(deadPid));
    const directory = new StateDirectory(root, 'app');
    assert.equal(directory.isLockedByLiveProcess(), false);
    directory.lock();
    assert.equal(directory.isLockedByLiveProcess(), true);
  });
});

test('a lock holding our own pid that this process does not hold is taken over (pid 1 of a restarted container)', () => {
  for (const content of [String(process.pid), JSON.stringify({ pid: process.pid, startTime: '1', hostname: 'old-container' })]) {
    withDir((root) => {
      writeLock(root, content);
      const directory = new StateDirectory(root, 'app');
      assert.equal(directory.isLockedByLiveProcess(), false);
      directory.lock();
      assert.equal((JSON.parse(readFileSync(lockFile(root), 'utf8')) as { pid: number }).pid, process.pid);
      directory.unlock();
    });
  }
});

test("a live other process's lock is refused, naming its pid; the same pid with another start time was reused and is taken over", async () => {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  try {
    await new Promise((resolve) => child.once('spawn', resolve));
    const pid = child.pid!;
    withDir((root) => {
      writeLock(root, String(pid));
      assert.throws(() => new StateDirectory(root, 'app').lock(), locked(pid));
      writeLock(root, JSON.stringify({ pid, startTime: startTimeOf(pid), hostname: 'h' }));
      assert.throws(() => new StateDirectory(root, 'app').lock(), (error: unknown) => locked(pid)(error) && /on host h;/.test((error as Error).message));
      assert.equal(new StateDirectory(root, 'app').isLockedByLiveProcess(), true);
      assert.equal(readFileSync(lockFile(root), 'utf8').includes(String(pid)), true, 'a refused lock is left alone');
      if (startTimeOf(pid) !== undefined) {
        writeLock(root, JSON.stringify({ pid, startTime: '1' }));
        new StateDirectory(root, 'app').lock();
      }
    });
  } finally {
    child.kill();
  }
});

test('a lock from before a reboot, or one naming no process, is taken over', () => {
  withDir((root) => {
    if (existsSync('/proc/sys/kernel/random/boot_id')) {
      // Our parent lives, but a lock taken under another boot id cannot be its.
      writeLock(root, JSON.stringify({ pid: process.ppid, bootId: 'another-boot' }));
      const directory = new StateDirectory(root, 'app');
      directory.lock();
      directory.unlock();
    }
    for (const garbage of ['', 'not a pid', '{"pid":-3}', '0']) {
      writeLock(root, garbage);
      const directory = new StateDirectory(root, 'app');
      directory.lock();
      directory.unlock();
    }
  });
});

test('lists the tasks whose database is on disk, and wipes one or all', () => {
  withDir((root) => {
    const directory = new StateDirectory(root, 'app');
    for (const task of ['0_0', '1_3']) {
      mkdirSync(join(root, 'app', task), { recursive: true });
      writeFileSync(directory.databasePath(task), '');
    }
    mkdirSync(join(root, 'app', 'not-a-task'));
    mkdirSync(join(root, 'app', '2_0'));
    assert.deepEqual(directory.tasksWithState().sort(), ['0_0', '1_3']);
    directory.wipeTask('0_0');
    assert.deepEqual(directory.tasksWithState(), ['1_3']);
    directory.deleteAll();
    assert.deepEqual(directory.tasksWithState(), []);
  });
});
