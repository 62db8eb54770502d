import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { TaskDatabase } from '../../../src/state/sqlite/task-database.js';
import { Stores } from '../../../src/state/stores.js';
import {
  PUT_RETURN_CODE_NOT_PUT,
  PUT_RETURN_CODE_VALID_TO_UNDEFINED,
  type VersionedKeyValueStore,
} from '../../../src/state/versioned-key-value-store.js';
import { TestTask } from './store-harness.js';

const RETENTION = 100;
const kinds = ['in-memory', 'sqlite'] as const;
type Kind = (typeof kinds)[number];

function builder(kind: Kind, logging: boolean, segmentIntervalMs?: number) {
  const supplier =
    kind === 'sqlite'
      ? Stores.persistentVersionedKeyValueStore('versions', RETENTION, segmentIntervalMs)
      : Stores.inMemoryVersionedKeyValueStore('versions', RETENTION, segmentIntervalMs);
  const typed = Stores.versionedKeyValueStoreBuilder(supplier, Serdes.String(), Serdes.String());
  return logging ? typed : typed.withLoggingDisabled();
}

// The boundaries of Kafka Streams' `RocksDBVersionedStore` (see `RocksDBVersionedStoreTest`), for both kinds.
for (const kind of kinds) {
  for (const logging of [false, true]) {
    describe(`versioned key-value store contract (${kind}, logging ${logging ? 'on' : 'off'})`, () => {
      let task: TestTask;
      let store: VersionedKeyValueStore<string, string>;

      beforeEach(() => {
        task = new TestTask();
        store = task.open(builder(kind, logging, 10));
      });

      afterEach(() => {
        store.close();
        task.database.close();
      });

      it('returns the latest version without validTo, older versions with it', () => {
        assert.equal(store.put('k', 'a', 10), PUT_RETURN_CODE_VALID_TO_UNDEFINED);
        assert.equal(store.put('k', 'b', 20), PUT_RETURN_CODE_VALID_TO_UNDEFINED);
        assert.deepEqual(store.get('k'), { value: 'b', timestamp: 20 });
        assert.deepEqual(store.get('k', 19), { value: 'a', timestamp: 10, validTo: 20 });
        assert.deepEqual(store.get('k', 20), { value: 'b', timestamp: 20 }, 'asOf = validFrom is inclusive');
        assert.deepEqual(store.get('k', 10), { value: 'a', timestamp: 10, validTo: 20 });
        assert.equal(store.get('k', 9), null);
        assert.equal(store.get('other'), null);
      });

      it('inserts an older put into history and returns its validTo', () => {
        store.put('k', 'a', 10);
        store.put('k', 'c', 30);
        assert.equal(store.put('k', 'b', 20), 30);
        assert.deepEqual(store.get('k', 25), { value: 'b', timestamp: 20, validTo: 30 });
        assert.deepEqual(store.get('k', 15), { value: 'a', timestamp: 10, validTo: 20 });
        assert.equal(store.put('k', 'z', 5), 10, 'older than every version: valid until the earliest');
        assert.deepEqual(store.get('k', 7), { value: 'z', timestamp: 5, validTo: 10 });
        assert.deepEqual(store.get('k'), { value: 'c', timestamp: 30 });
      });

      it('replaces the version at an equal timestamp', () => {
        store.put('k', 'a', 10);
        store.put('k', 'b', 20);
        assert.equal(store.put('k', 'B', 20), PUT_RETURN_CODE_VALID_TO_UNDEFINED);
        assert.equal(store.put('k', 'A', 10), 20);
        assert.deepEqual(store.get('k'), { value: 'B', timestamp: 20 });
        assert.deepEqual(store.get('k', 10), { value: 'A', timestamp: 10, validTo: 20 });
      });

      it('keeps tombstones as versions', () => {
        store.put('k', 'a', 10);
        assert.equal(store.put('k', null, 20), PUT_RETURN_CODE_VALID_TO_UNDEFINED);
        assert.equal(store.get('k'), null);
        assert.equal(store.get('k', 25), null);
        assert.deepEqual(store.get('k', 15), { value: 'a', timestamp: 10, validTo: 20 });
        assert.equal(store.put('k', 'b', 15), 20, 'a put before a tombstone is valid until it');
        assert.equal(store.get('k'), null);
        assert.equal(store.put('k', 'c', 20), PUT_RETURN_CODE_VALID_TO_UNDEFINED, 'a put at the tombstone replaces it');
        assert.deepEqual(store.get('k'), { value: 'c', timestamp: 20 });
        assert.equal(store.put('fresh', null, 50), PUT_RETURN_CODE_VALID_TO_UNDEFINED);
        assert.equal(store.put('fresh', 'x', 40), 50);
        assert.deepEqual(store.get('fresh', 45), { value: 'x', timestamp: 40, validTo: 50 });
      });

      it('deletes by putting a tombstone and returns the version valid then', () => {
        store.put('k', 'a', 10);
        store.put('k', 'b', 20);
        assert.deepEqual(store.delete('k', 15), { value: 'a', timestamp: 10, validTo: 20 });
        assert.equal(store.get('k', 16), null);
        assert.deepEqual(store.get('k'), { value: 'b', timestamp: 20 });
        assert.deepEqual(store.delete('k', 30), { value: 'b', timestamp: 20 });
        assert.equal(store.get('k'), null);
        assert.equal(store.delete('none', 30), null);
      });

      it('refuses puts and deletes older than observed stream time − retention; equal is accepted', () => {
        store.put('k', 'a', 200);
        assert.equal(store.put('k', 'old', 99), PUT_RETURN_CODE_NOT_PUT);
        assert.equal(store.delete('k', 99), null);
        assert.deepEqual(store.get('k'), { value: 'a', timestamp: 200 });
        assert.equal(store.put('k', 'edge', 100), 200, 'ts = observed − retention is still accepted');
        assert.deepEqual(store.get('k', 100), { value: 'edge', timestamp: 100, validTo: 200 });
      });

      it('answers expired gets (asOf < observed − retention) only from the latest version', () => {
        store.put('k', 'a', 10);
        store.put('k', 'b', 50);
        store.put('j', 'x', 40);
        store.put('k', 'c', 150);
        // observed = 150, boundary = 50
        assert.deepEqual(store.get('k', 50), { value: 'b', timestamp: 50, validTo: 150 }, 'asOf = boundary still reads history');
        assert.equal(store.get('k', 49), null, 'history before the boundary is gone');
        assert.deepEqual(store.get('j', 45), { value: 'x', timestamp: 40 }, 'the latest version never expires');
        store.put('k', 'd', 300);
        assert.equal(store.get('k', 160), null, 'asOf < boundary and the latest is newer');
        assert.deepEqual(store.get('k', 200), { value: 'c', timestamp: 150, validTo: 300 });
      });

      it('recovers observed stream time when reopened', () => {
        store.put('k', 'a', 500);
        store.close();
        store = task.open(builder(kind, logging, 10));
        if (kind === 'in-memory') {
          assert.equal(store.get('k'), null, 'an in-memory store starts empty and restores from its changelog');
          return;
        }
        assert.equal(store.put('k', 'old', 399), PUT_RETURN_CODE_NOT_PUT);
      });
    });
  }
}

describe('versioned store change-logging and restore', () => {
  let task: TestTask;

  beforeEach(() => {
    task = new TestTask();
  });

  afterEach(() => task.database.close());

  it('logs every put and delete with the version timestamp, refused ones too', () => {
    const store = task.open(builder('sqlite', true));
    task.timestampMs = 999;
    store.put('k', 'a', 10);
    store.put('k', 'b', 300);
    store.put('k', 'late', 5);
    store.delete('k', 310);
    assert.deepEqual(task.changelog(), ['k=a@10', 'k=b@300', 'k=late@5', 'k=null@310']);
    store.close();
  });

  for (const kind of kinds) {
    it(`restores history from the changelog (${kind})`, () => {
      const source = task.open(builder('sqlite', true));
      source.put('k', 'a', 10);
      source.put('k', 'c', 30);
      source.put('k', 'b', 20);
      source.put('j', 'x', 25);
      source.delete('j', 40);
      source.put('k', 'late', -200);
      source.close();
      const records = task.changelogRecords.map(({ key, value, timestampMs }) => ({ key, value, timestampMs }));

      const restoredTask = new TestTask(TaskDatabase.open(':memory:'));
      const restored = restoredTask.open(builder(kind, true));
      restored.restoreBatch!(records);
      assert.deepEqual(restored.get('k'), { value: 'c', timestamp: 30 });
      assert.deepEqual(restored.get('k', 25), { value: 'b', timestamp: 20, validTo: 30 });
      assert.deepEqual(restored.get('k', 15), { value: 'a', timestamp: 10, validTo: 20 });
      assert.equal(restored.get('j'), null);
      assert.deepEqual(restored.get('j', 39), { value: 'x', timestamp: 25, validTo: 40 });
      assert.equal(restored.get('k', -200), null, 'the refused put stays refused');
      assert.equal(restoredTask.changelogRecords.length, 0, 'restoring does not write the changelog');
      restored.close();
      restoredTask.database.close();
    });
  }

  it('deletes expired history rows from SQLite once the boundary passes them', () => {
    const store = task.open(builder('sqlite', false, 10));
    store.put('k', 'a', 0);
    store.put('k', 'b', 10);
    store.put('k', 'c', 200);
    const rows = () => task.database.sqlite.prepare('SELECT count(*) FROM "ver_versions"').pluck(true).get();
    assert.equal(rows(), 2, 'a@0 (validTo 10) expired at boundary 100; b (validTo 200) is live');
    store.close();
  });

  it('refuses caching', () => {
    assert.throws(() => builder('sqlite', true).withCachingEnabled().build(), /do not support caching/);
  });
});
