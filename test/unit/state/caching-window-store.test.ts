import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { splitTimeWindowedKeyBytes } from '../../../src/core/windowed.js';
import { TaskDatabase } from '../../../src/state/sqlite/task-database.js';
import { Stores } from '../../../src/state/stores.js';
import type { WindowStore } from '../../../src/state/window-store.js';
import { TestTask } from './store-harness.js';

type Kind = 'in-memory' | 'sqlite';

/** A cached, logged window store of counts whose flush-listener reports are recorded as `key@start:old->new@ts`. */
function cachedStore(task: TestTask, kind: Kind, options: { retentionMs?: number; sendOldValues?: boolean } = {}) {
  const retentionMs = options.retentionMs ?? 1000;
  const supplier = kind === 'sqlite' ? Stores.persistentWindowStore('w', retentionMs, 10) : Stores.inMemoryWindowStore('w', retentionMs, 10);
  const store: WindowStore<string, number> = task.open(Stores.windowStoreBuilder(supplier, Serdes.String(), Serdes.Long()).withCachingEnabled());
  const reported: string[] = [];
  const cached = store.setFlushListener(
    (key, start, newValue, oldValue, ts) => reported.push(`${key}@${start}:${oldValue}->${newValue}@${ts}`),
    options.sendOldValues ?? true,
  );
  assert.equal(cached, true);
  return { store, reported };
}

/** The changelog as `key@start=value@ts`. */
function logged(task: TestTask): string[] {
  return task.changelogRecords.map((record) => {
    const { keyBytes, windowStart } = splitTimeWindowedKeyBytes(record.key);
    return `${keyBytes.toString()}@${windowStart}=${record.value === null ? 'null' : record.value.readBigInt64BE()}@${record.timestampMs}`;
  });
}

function entries<K, V>(iterator: Iterable<{ key: K; value: V }>): Array<[K, V]> {
  return [...iterator].map(({ key, value }) => [key, value]);
}

for (const kind of ['sqlite', 'in-memory'] as const) {
  describe(`caching window store (${kind})`, () => {
    it('merges the updates of a window until the flush, then writes and reports it once, in the order of the last writes', () => {
      const task = new TestTask();
      const { store, reported } = cachedStore(task, kind);
      task.timestampMs = 1;
      store.put('a', 1, 0);
      task.timestampMs = 2;
      store.put('b', 1, 0);
      task.timestampMs = 3;
      store.put('a', 2, 0);
      assert.equal(store.fetch('a', 0), 2);
      assert.deepEqual(logged(task), [], 'nothing is written before the flush');
      store.flush();
      assert.deepEqual(reported, ['b@0:null->1@2', 'a@0:null->2@3']);
      assert.deepEqual(logged(task), ['b@0=1@2', 'a@0=2@3']);
      store.flush();
      assert.equal(reported.length, 2, 'a flush without writes reports nothing');
    });

    it('reports the value the store held before as old value, and a deletion only when something was stored', () => {
      const task = new TestTask();
      const { store, reported } = cachedStore(task, kind);
      store.put('a', 1, 0);
      store.put('b', 5, 0);
      store.flush();
      reported.length = 0;
      store.put('a', 2, 0);
      store.put('b', null, 0);
      store.put('c', 7, 10);
      store.put('c', null, 10);
      store.flush();
      assert.deepEqual(reported, ['a@0:1->2@0', 'b@0:5->null@0']);
      assert.deepEqual(entries(store.all()), [[{ key: 'a', window: { start: 0, end: 10 } }, 2]]);
    });

    it('leaves old values out unless asked for, except for deletions', () => {
      const task = new TestTask();
      const { store, reported } = cachedStore(task, kind, { sendOldValues: false });
      store.put('a', 1, 0);
      store.put('b', 1, 0);
      store.flush();
      store.put('a', 2, 0);
      store.put('b', null, 0);
      store.flush();
      assert.deepEqual(reported.slice(2), ['a@0:null->2@0', 'b@0:1->null@0']);
    });

    it('reads the cache over the store: point, range both ways, and across keys, with cached deletions hiding stored windows', () => {
      const task = new TestTask();
      const { store } = cachedStore(task, kind);
      store.put('a', 1, 0);
      store.put('a', 2, 10);
      store.put('b', 3, 10);
      store.flush();
      store.put('a', 20, 10);
      store.put('a', 4, 20);
      store.put('b', null, 10);
      store.put('c', 5, 0);
      assert.equal(store.fetch('a', 10), 20);
      assert.equal(store.fetch('b', 10), null);
      assert.deepEqual(entries(store.fetch('a', 0, 20)), [[0, 1], [10, 20], [20, 4]]);
      assert.deepEqual(entries(store.backwardFetch('a', 5, 20)), [[20, 4], [10, 20]]);
      assert.deepEqual(entries(store.fetchAll(0, 10)), [
        [{ key: 'a', window: { start: 0, end: 10 } }, 1],
        [{ key: 'c', window: { start: 0, end: 10 } }, 5],
        [{ key: 'a', window: { start: 10, end: 20 } }, 20],
      ]);
      store.flush();
      assert.deepEqual(entries(store.all()).length, 4);
    });

    it("leaves retention to the store below, as Kafka Streams' cache does: expired windows it holds are read and written", () => {
      const task = new TestTask();
      const { store, reported } = cachedStore(task, kind, { retentionMs: 100 });
      store.put('a', 1, 0);
      store.put('a', 2, 100);
      assert.equal(store.fetch('a', 0), 1, 'start 0 <= 100 - 100 has expired below, but the cache holds it');
      store.put('a', 9, 0);
      assert.deepEqual(entries(store.fetch('a', 0, 1000)), [[0, 9], [100, 2]]);
      store.flush();
      assert.deepEqual(reported, ['a@100:null->2@0', 'a@0:null->9@0']);
      assert.deepEqual(logged(task), ['a@100=2@0'], 'the store below neither keeps nor logs the expired window');
      assert.equal(store.fetch('a', 0), 9, 'still cached after the flush');
    });

    it('drops expired entries first when the budget is exceeded', () => {
      const task = new TestTask(TaskDatabase.open(':memory:'), 600);
      const { store, reported } = cachedStore(task, kind, { retentionMs: 100 });
      store.put('a', 1, 0);
      store.put('b', 1, 200);
      store.flush();
      assert.equal(store.fetch('a', 0), 1);
      for (const key of ['c', 'd']) store.put(key, 1, 200);
      assert.equal(store.fetch('a', 0), null, 'swept: the store below had expired it');
      assert.equal(reported.length, 2, 'a sweep writes nothing down');
      store.put('e', 1, 200);
      store.put('f', 1, 200);
      assert.deepEqual(reported.slice(2), ['c@200:null->1@0'], 'then the least recently written keys are evicted (a and b were clean)');
    });

    it('writes a key down and reports it when the task budget is exceeded, before any flush', () => {
      const task = new TestTask(TaskDatabase.open(':memory:'), 400);
      const { store, reported } = cachedStore(task, kind);
      store.put('a', 1, 0);
      store.put('a', 2, 10);
      assert.equal(reported.length, 0);
      for (const key of ['b', 'c', 'd']) store.put(key, 1, 0);
      assert.deepEqual(reported.slice(0, 2), ['a@0:null->1@0', 'a@10:null->2@0'], 'the least recently written key goes first');
      assert.equal(store.fetch('a', 10), 2, 'an evicted key is read from the store below');
      store.flush();
      assert.equal(new Set(reported).size, reported.length, 'each write is reported once');
    });

    it('scans by window start what the cache holds after the first scan too: new windows, deletions, evicted keys', () => {
      const task = new TestTask(TaskDatabase.open(':memory:'), 400);
      const { store } = cachedStore(task, kind);
      const window = (key: string, start: number, value: number) => [{ key, window: { start, end: start + 10 } }, value];
      store.put('a', 1, 0);
      store.put('b', 2, 10);
      assert.deepEqual(entries(store.fetchAll(0, 10)), [window('a', 0, 1), window('b', 10, 2)]);
      store.put('c', 3, 0);
      store.put('a', 4, 20);
      store.put('b', null, 10);
      assert.deepEqual(entries(store.fetchAll(0, 20)), [window('a', 0, 1), window('c', 0, 3), window('a', 20, 4)]);
      store.flush();
      assert.deepEqual(entries(store.fetchAll(10, 20)), [window('a', 20, 4)], 'the flushed deletion left the cache');
      for (const key of ['d', 'e', 'f']) store.put(key, 5, 10);
      assert.deepEqual(
        entries(store.fetchAll(0, 20)),
        [window('a', 0, 1), window('c', 0, 3), window('d', 10, 5), window('e', 10, 5), window('f', 10, 5), window('a', 20, 4)],
        'keys evicted to make room come from the store below, once',
      );
    });

    it('is rebuilt from the changelog it writes on flush', () => {
      const source = new TestTask();
      const { store } = cachedStore(source, kind);
      store.put('a', 1, 0);
      store.put('b', 2, 10);
      store.flush();
      store.put('b', null, 10);
      store.flush();
      const restoredTask = new TestTask();
      const { store: restored } = cachedStore(restoredTask, kind);
      restored.restoreBatch?.(source.changelogRecords);
      assert.deepEqual(entries(restored.all()), [[{ key: 'a', window: { start: 0, end: 10 } }, 1]]);
      assert.equal(restored.fetch('a', 0), 1);
    });
  });
}

describe('caching window store over SQLite state kept from before', () => {
  it('loads a key from SQLite on first read, then serves it from memory, old values included', () => {
    const database = TaskDatabase.open(':memory:');
    const first = cachedStore(new TestTask(database), 'sqlite');
    first.store.put('a', 1, 0);
    first.store.put('a', 2, 10);
    first.store.flush();
    first.store.close();
    const task = new TestTask(database);
    const { store, reported } = cachedStore(task, 'sqlite');
    assert.equal(store.fetch('a', 10), 2);
    database.sqlite.exec('DELETE FROM "win_w"');
    assert.equal(store.fetch('a', 0), 1, 'the whole key came with the first read');
    assert.deepEqual(entries(store.fetch('a', 0, 10)), [[0, 1], [10, 2]]);
    store.put('a', 3, 10);
    store.put('b', 1, 10);
    store.flush();
    assert.deepEqual(reported, ['a@10:2->3@0', 'b@10:null->1@0']);
  });

  it('reads a key it has not loaded from SQLite whenever it is written before being read', () => {
    const database = TaskDatabase.open(':memory:');
    const first = cachedStore(new TestTask(database), 'sqlite');
    first.store.put('a', 1, 0);
    first.store.flush();
    first.store.close();
    const { store, reported } = cachedStore(new TestTask(database), 'sqlite');
    store.put('a', 5, 0);
    store.flush();
    assert.deepEqual(reported, ['a@0:1->5@0']);
  });
});
