import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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

test('the lock holds this pid and refuses a second holder while the process lives', () => {
  withDir((root) => {
    const first = new StateDirectory(root, 'app');
    first.lock();
    assert.equal(readFileSync(join(root, 'app', '.lock'), 'utf8'), String(process.pid));
    assert.throws(() => new StateDirectory(root, 'app').lock(), (error: unknown) => error instanceof StateError && error.code === 'STATE_DIR_LOCKED');
    first.unlock();
    assert.equal(existsSync(join(root, 'app', '.lock')), false);
    new StateDirectory(root, 'app').lock();
  });
});

test('a lock left by a dead process is taken over', () => {
  withDir((root) => {
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
    mkdirSync(join(root, 'app'), { recursive: true });
    writeFileSync(join(root, 'app', '.lock'), String(deadPid));
    const directory = new StateDirectory(root, 'app');
    assert.equal(directory.isLockedByLiveProcess(), false);
    directory.lock();
    assert.equal(directory.isLockedByLiveProcess(), true);
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
