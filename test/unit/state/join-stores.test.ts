import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StateError } from '../../../src/core/errors.js';
import { Serdes } from '../../../src/core/serdes.js';
import { listValueStoreBuilder } from '../../../src/state/list-value-store.js';
import { TaskDatabase } from '../../../src/state/sqlite/task-database.js';
import { Stores } from '../../../src/state/stores.js';
import type { WindowStore } from '../../../src/state/window-store.js';
import { TestTask } from './store-harness.js';

type Kind = 'in-memory' | 'sqlite';

function openDuplicates(task: TestTask, kind: Kind, retentionMs = 100, windowSizeMs = 10): WindowStore<string, string> {
  const supplier =
    kind === 'sqlite'
      ? Stores.persistentWindowStore('join', retentionMs, windowSizeMs, true)
      : Stores.inMemoryWindowStore('join', retentionMs, windowSizeMs, true);
  return task.open(Stores.windowStoreBuilder(supplier, Serdes.String(), Serdes.String()));
}

function entries<K, V>(iterator: Iterable<{ key: K; value: V }>): Array<[K, V]> {
  return [...iterator].map(({ key, value }) => [key, value]);
}

function listOpen(task: TestTask, kind: Kind) {
  const supplier = kind === 'sqlite' ? Stores.persistentKeyValueStore('shared') : Stores.inMemoryKeyValueStore('shared');
  return task.open(listValueStoreBuilder(supplier));
}

for (const kind of ['in-memory', 'sqlite'] as const) {
  describe(`window store retaining duplicates (${kind})`, () => {
    it('keeps every put of a key and window start, in put order, and ignores null puts', () => {
      const store = openDuplicates(new TestTask(), kind);
      store.put('a', 'x', 5);
      store.put('a', 'y', 5);
      store.put('b', 'z', 5);
      store.put('a', 'w', 3);
      store.put('a', null, 5);
      assert.deepEqual(entries(store.fetch('a', 0, 10)), [[3, 'w'], [5, 'x'], [5, 'y']]);
      assert.deepEqual(entries(store.backwardFetch('a', 0, 10)), [[5, 'y'], [5, 'x'], [3, 'w']]);
      assert.deepEqual(
        entries(store.fetchAll(5, 5)).map(([windowed, value]) => `${windowed.key}@${windowed.window.start}=${value}`),
        ['a@5=x', 'a@5=y', 'b@5=z'],
      );
    });

    it('drops puts at or before stream time minus retention and never returns them (retention boundary)', () => {
      const store = openDuplicates(new TestTask(), kind, 10, 4);
      store.put('a', 'old', 0);
      store.put('a', 'now', 10);
      // Live from 10 - 10 + 1 = 1: the entry at 0 is gone, a put at 0 is ignored, one at 1 is kept.
      store.put('a', 'late', 0);
      store.put('a', 'edge', 1);
      assert.deepEqual(entries(store.fetch('a', 0, 10)), [[1, 'edge'], [10, 'now']]);
    });

    it('accepts a window size of 0 (equal-timestamp joins), which stores without duplicates refuse', () => {
      assert.doesNotThrow(() => Stores.persistentWindowStore('join', 0, 0, true));
      assert.throws(() => Stores.persistentWindowStore('plain', 0, 0), StateError);
    });

    it('logs each put under its own key (key + window start + sequence) and restores the duplicates in order', () => {
      const task = new TestTask();
      const store = openDuplicates(task, kind);
      store.put('a', 'x', 5);
      store.put('a', 'y', 5);
      store.put('a', null, 5);
      assert.equal(task.changelogRecords.length, 2);
      const [first, second] = task.changelogRecords;
      assert.equal(first!.key.length, 1 + 8 + 4);
      assert.notDeepEqual(first!.key, second!.key);
      const restoredTask = new TestTask();
      const restored = openDuplicates(restoredTask, kind);
      restored.restoreBatch!(task.changelogRecords.map(({ key, value, timestampMs }) => ({ key, value, timestampMs })));
      assert.deepEqual(entries(restored.fetch('a', 0, 10)), [[5, 'x'], [5, 'y']]);
    });
  });

  describe(`list-value store (${kind})`, () => {
    it('appends to a key, iterates values by key then insertion, and deletes whole lists', () => {
      const store = listOpen(new TestTask(), kind);
      const b = (text: string): Buffer => Buffer.from(text);
      store.add(b('k2'), b('1'));
      store.add(b('k1'), b('2'));
      store.add(b('k2'), b('3'));
      store.add(b('k3'), b(''));
      assert.deepEqual(
        [...store.all()].map(({ key, value }) => `${key.toString()}=${value.toString()}`),
        ['k1=2', 'k2=1', 'k2=3', 'k3='],
      );
      store.deleteIfPresent(b('k2'));
      store.deleteAll(b('k3'));
      store.deleteIfPresent(b('missing'));
      assert.deepEqual([...store.all()].map(({ key }) => key.toString()), ['k1']);
    });

    it('logs the whole list after each write and restores it', () => {
      const task = new TestTask();
      const store = listOpen(task, kind);
      store.add(Buffer.from('k'), Buffer.from('a'));
      store.add(Buffer.from('k'), Buffer.from('b'));
      assert.equal(task.changelogRecords.length, 2);
      const restored = listOpen(new TestTask(), kind);
      restored.restoreBatch(task.changelogRecords.slice(1).map(({ key, value, timestampMs }) => ({ key, value, timestampMs })));
      assert.deepEqual([...restored.all()].map(({ value }) => value.toString()), ['a', 'b']);
    });
  });
}

describe('window store retaining duplicates (sqlite, reopened)', () => {
  it('numbers new duplicates after the ones stored, so a reopened store keeps their order', () => {
    const database = TaskDatabase.open(':memory:');
    const first = openDuplicates(new TestTask(database), 'sqlite');
    first.put('a', 'x', 5);
    first.close();
    const reopened = openDuplicates(new TestTask(database), 'sqlite');
    reopened.put('a', 'y', 5);
    assert.deepEqual(entries(reopened.fetch('a', 0, 10)), [[5, 'x'], [5, 'y']]);
  });
});
