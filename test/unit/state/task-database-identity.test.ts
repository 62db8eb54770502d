import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { StateError } from '../../../src/core/errors.js';
import { TaskDatabase } from '../../../src/state/sqlite/task-database.js';

const root = mkdtempSync(join(tmpdir(), 'kstreams-identity-'));
after(() => rmSync(root, { recursive: true, force: true }));
let files = 0;
const fresh = () => join(root, `task-${files++}`, 'state.db');
const identity = { applicationId: 'orders', taskId: '0_1' };

/** A task file with some committed state, its write-ahead log folded in, as a task leaves it after a checkpoint. */
function written(path: string): void {
  const database = TaskDatabase.open(path, identity);
  database.ensureTransaction();
  database.sqlite.exec('CREATE TABLE counts (k BLOB PRIMARY KEY, v BLOB)');
  const insert = database.sqlite.prepare('INSERT INTO counts VALUES (?, ?)');
  for (let i = 0; i < 2_000; i++) insert.run(Buffer.from(`key-${i}`), Buffer.alloc(64, i % 256));
  database.commit(new Map([['orders-counts-changelog:1', 2_000]]));
  database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  database.close();
}

const damaged = (pattern: RegExp) => (error: unknown) => error instanceof StateError && error.code === 'STATE_DAMAGED' && pattern.test(error.message);

describe('TaskDatabase identity and integrity at open', () => {
  it('reopens its own file with its state and offsets', () => {
    const path = fresh();
    written(path);
    const database = TaskDatabase.open(path, identity);
    assert.deepEqual(database.changelogOffsets(), new Map([['orders-counts-changelog:1', 2_000]]));
    database.close();
  });

  it('refuses a file of another application or another task, naming whose it is', () => {
    const path = fresh();
    written(path);
    assert.throws(() => TaskDatabase.open(path, { applicationId: 'payments', taskId: '0_1' }), damaged(/belongs to another application: "orders", this one is "payments"/));
    assert.throws(() => TaskDatabase.open(path, { applicationId: 'orders', taskId: '0_2' }), damaged(/belongs to another task: "0_1", this one is "0_2"/));
  });

  it('refuses a file that is not a database, and one cut short', () => {
    const garbage = fresh();
    written(garbage);
    writeFileSync(garbage, Buffer.alloc(8192, 0x5a));
    assert.throws(() => TaskDatabase.open(garbage, identity), damaged(/is damaged|integrity check/));
    const cut = fresh();
    written(cut);
    truncateSync(cut, Math.floor(readFileSync(cut).length / 2));
    assert.throws(() => TaskDatabase.open(cut, identity), damaged(/is damaged|integrity check/));
  });

  it('takes a file written before identities were kept as its own, and records it', () => {
    const path = fresh();
    written(path);
    const sqlite = new Database(path);
    sqlite.exec('DROP TABLE kstreams_task_identity');
    sqlite.close();
    TaskDatabase.open(path, identity).close();
    assert.throws(() => TaskDatabase.open(path, { applicationId: 'orders', taskId: '9_9' }), damaged(/another task/));
  });
});
