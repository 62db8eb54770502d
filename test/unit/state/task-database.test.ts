import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import type { KeyValueStore } from '../../../src/state/key-value-store.js';
import { topicPartitionKey } from '../../../src/state/changelog.js';
import { TaskDatabase } from '../../../src/state/sqlite/task-database.js';
import { Stores } from '../../../src/state/stores.js';
import { TestTask, drain } from './store-harness.js';

const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-task-db-'));
after(() => rmSync(stateDir, { recursive: true, force: true }));

function openCounts(task: TestTask, kind: 'sqlite' | 'in-memory' = 'sqlite'): KeyValueStore<string, number> {
  const supplier = kind === 'sqlite' ? Stores.persistentKeyValueStore('counts') : Stores.inMemoryKeyValueStore('counts');
  return task.open(Stores.keyValueStoreBuilder(supplier, Serdes.String(), Serdes.Long()));
}

const COUNTS_PARTITION = topicPartitionKey('app-counts-changelog', 0);

describe('TaskDatabase', () => {
  it('opens a transaction lazily on the first store write and commits it with the changelog offsets', () => {
    const task = new TestTask();
    const counts = openCounts(task);
    assert.equal(task.database.inTransaction, false);
    counts.put('a', 1);
    assert.equal(task.database.inTransaction, true);
    task.database.commit(new Map([[COUNTS_PARTITION, 1]]));
    assert.equal(task.database.inTransaction, false);
    assert.deepEqual(task.database.changelogOffsets(), new Map([[COUNTS_PARTITION, 1]]));
    task.database.close();
  });

  it('merges offsets across commits, per changelog partition', () => {
    const database = TaskDatabase.open(':memory:');
    database.commit(new Map([['t:0', 5], ['t:1', 7]]));
    database.commit(new Map([['t:0', 9]]));
    assert.deepEqual(database.changelogOffsets(), new Map([['t:0', 9], ['t:1', 7]]));
    database.close();
  });

  it('rejects an offset that is not a non-negative integer, leaving nothing half-committed', () => {
    const task = new TestTask();
    const counts = openCounts(task);
    counts.put('a', 1);
    assert.throws(() => task.database.commit(new Map([['t:0', 3], ['t:1', -1]])), { name: 'StateError', message: /t:1/ });
    assert.equal(counts.get('a'), null);
    assert.deepEqual(task.database.changelogOffsets(), new Map());
    task.database.close();
  });

  it('rollback drops the writes since the last commit', () => {
    const task = new TestTask();
    const counts = openCounts(task);
    counts.put('a', 1);
    task.database.commit(new Map([[COUNTS_PARTITION, 1]]));
    counts.put('a', 2);
    counts.put('b', 1);
    task.database.rollback();
    assert.deepEqual(drain(counts.all()), ['a=1']);
    assert.deepEqual(task.database.changelogOffsets(), new Map([[COUNTS_PARTITION, 1]]));
    task.database.close();
  });

  it('does not cover in-memory stores: the runtime rebuilds them from the changelog after a rollback', () => {
    const task = new TestTask();
    const counts = openCounts(task, 'in-memory');
    counts.put('a', 1);
    task.database.rollback();
    assert.equal(counts.get('a'), 1);
    task.database.close();
  });

  it('reopening a file keeps committed state and offsets, and drops what was not committed', () => {
    const path = join(stateDir, 'reopen', '0_0.sqlite');
    const first = new TestTask(TaskDatabase.open(path));
    const before = openCounts(first);
    before.put('committed', 1);
    first.database.commit(new Map([[COUNTS_PARTITION, 1]]));
    before.put('committed', 2);
    before.put('uncommitted', 1);
    before.close();
    first.database.close();

    const second = new TestTask(TaskDatabase.open(path));
    const after = openCounts(second);
    assert.deepEqual(drain(after.all()), ['committed=1']);
    assert.deepEqual(second.database.changelogOffsets(), new Map([[COUNTS_PARTITION, 1]]));
    second.database.close();
  });

  it('restores the changelog tail from the stored offset into a reopened store', () => {
    const path = join(stateDir, 'restore', '0_0.sqlite');
    const first = new TestTask(TaskDatabase.open(path));
    openCounts(first).put('a', 1);
    first.database.commit(new Map([[COUNTS_PARTITION, 1]]));
    first.database.close();

    const changelog = [
      { key: Buffer.from('a'), value: Serdes.Long().serialize('', 1), timestampMs: 1 },
      { key: Buffer.from('a'), value: Serdes.Long().serialize('', 2), timestampMs: 2 },
      { key: Buffer.from('b'), value: Serdes.Long().serialize('', 1), timestampMs: 3 },
    ];
    const second = new TestTask(TaskDatabase.open(path));
    const counts = openCounts(second);
    const restoreFrom = second.database.changelogOffsets().get(COUNTS_PARTITION) ?? 0;
    counts.restoreBatch!(changelog.slice(restoreFrom));
    second.database.commit(new Map([[COUNTS_PARTITION, changelog.length]]));
    assert.deepEqual(drain(counts.all()), ['a=2', 'b=1']);
    assert.deepEqual(second.changelogRecords, [], 'restoration does not write the changelog again');
    second.database.close();
  });

  it('runs file databases in WAL mode', () => {
    const database = TaskDatabase.open(join(stateDir, 'wal.sqlite'));
    assert.equal(database.sqlite.pragma('journal_mode', { simple: true }), 'wal');
    database.close();
    database.close();
    assert.equal(database.isOpen, false);
  });

  it('fails with a StateError when the file cannot be opened', () => {
    assert.throws(() => TaskDatabase.open(join(stateDir, 'wal.sqlite', 'nested.sqlite')), { name: 'StateError' });
  });
});
