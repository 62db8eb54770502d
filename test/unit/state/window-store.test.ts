import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StateError } from '../../../src/core/errors.js';
import { Serdes } from '../../../src/core/serdes.js';
import { splitTimeWindowedKeyBytes } from '../../../src/core/windowed.js';
import { TaskDatabase } from '../../../src/state/sqlite/task-database.js';
import { Stores } from '../../../src/state/stores.js';
import type { WindowStore } from '../../../src/state/window-store.js';
import { TestTask } from './store-harness.js';

type Kind = 'in-memory' | 'sqlite';

function openStore(task: TestTask, kind: Kind, retentionMs = 100, windowSizeMs = 10, caching = false): WindowStore<string, number> {
  const supplier =
    kind === 'sqlite'
      ? Stores.persistentWindowStore('counts', retentionMs, windowSizeMs)
      : Stores.inMemoryWindowStore('counts', retentionMs, windowSizeMs);
  const builder = Stores.windowStoreBuilder(supplier, Serdes.String(), Serdes.Long());
  return task.open(caching ? builder.withCachingEnabled() : builder);
}

function entries<K, V>(iterator: Iterable<{ key: K; value: V }>): Array<[K, V]> {
  return [...iterator].map(({ key, value }) => [key, value]);
}

for (const [kind, caching] of [['in-memory', false], ['sqlite', false], ['in-memory', true], ['sqlite', true]] as const) {
  const open = (task: TestTask, retentionMs?: number): WindowStore<string, number> => openStore(task, kind, retentionMs, 10, caching);
  describe(`window store (${kind}${caching ? ', caching' : ''})`, () => {
    it('reads a key in one window, over a time range, backwards, and across keys', () => {
      const store = open(new TestTask());
      store.put('b', 1, 0);
      store.put('a', 2, 10);
      store.put('a', 3, 0);
      store.put('a', 4, 20);
      assert.equal(store.fetch('a', 10), 2);
      assert.equal(store.fetch('a', 5), null);
      assert.deepEqual(entries(store.fetch('a', 0, 10)), [[0, 3], [10, 2]]);
      assert.deepEqual(entries(store.backwardFetch('a', 0, 20)), [[20, 4], [10, 2], [0, 3]]);
      assert.deepEqual(entries(store.fetchAll(0, 10)), [
        [{ key: 'a', window: { start: 0, end: 10 } }, 3],
        [{ key: 'b', window: { start: 0, end: 10 } }, 1],
        [{ key: 'a', window: { start: 10, end: 20 } }, 2],
      ]);
      assert.equal(entries(store.all()).length, 4);
    });

    it('deletes with a null value and logs every write keyed by key bytes + window start', () => {
      const task = new TestTask();
      const store = open(task);
      task.timestampMs = 7;
      store.put('a', 1, 0);
      store.put('a', null, 0);
      task.timestampMs = 8;
      store.put('b', 2, 10);
      assert.equal(store.fetch('a', 0), null);
      store.flush();
      const logged = task.changelogRecords.map((r) => {
        const { keyBytes, windowStart } = splitTimeWindowedKeyBytes(r.key);
        return `${keyBytes.toString()}@${windowStart}=${r.value === null ? 'null' : r.value.readBigInt64BE()}@${r.timestampMs}`;
      });
      // A cache merges a key's writes until the flush; a deletion of what was never stored is not written at all.
      assert.deepEqual(logged, caching ? ['b@10=2@8'] : ['a@0=1@7', 'a@0=null@7', 'b@10=2@8']);
    });

    // A cache answers for what it holds, expired or not, as Kafka Streams' caches do (caching-*-store tests).
    const storeIt = caching ? () => {} : it;
    storeIt('expires windows starting at or before stream time - retention, and ignores writes to them', () => {
      const store = open(new TestTask(), 100);
      store.put('a', 1, 0);
      store.put('a', 2, 50);
      store.put('a', 3, 100);
      assert.equal(store.fetch('a', 0), null, 'start 0 <= 100 - 100 has expired');
      assert.equal(store.fetch('a', 50), 2);
      store.put('a', 9, 0);
      assert.deepEqual(entries(store.fetch('a', 0, 1000)), [[50, 2], [100, 3]]);
      store.put('b', 4, 1000);
      assert.deepEqual(entries(store.all()), [[{ key: 'b', window: { start: 1000, end: 1010 } }, 4]]);
    });

    it('is rebuilt from its changelog', () => {
      const source = new TestTask();
      const store = open(source);
      store.put('a', 1, 0);
      store.put('b', 2, 10);
      store.put('b', null, 10);
      store.flush();
      const restored = open(new TestTask());
      restored.restoreBatch?.(source.changelogRecords);
      assert.deepEqual(entries(restored.all()), [[{ key: 'a', window: { start: 0, end: 10 } }, 1]]);
    });
  });
}

describe('window stores', () => {
  it('keep SQLite windows and stream time across a reopen of the task database', () => {
    const database = TaskDatabase.open(':memory:');
    const first = openStore(new TestTask(database), 'sqlite', 100);
    first.put('a', 1, 500);
    first.flush();
    first.close();
    const second = openStore(new TestTask(database), 'sqlite', 100);
    assert.equal(second.fetch('a', 500), 1);
    second.put('a', 2, 400);
    assert.equal(second.fetch('a', 400), null, 'stream time 500 came back with the stored windows');
  });

  it('set a time-limited compacted changelog and refuse a retention below the window size', () => {
    const builder = Stores.windowStoreBuilder(Stores.inMemoryWindowStore('w', 1000, 10), Serdes.String(), Serdes.Long());
    assert.deepEqual(builder.logConfig, { 'cleanup.policy': 'compact,delete', 'retention.ms': String(1000 + 86_400_000) });
    assert.throws(() => Stores.persistentWindowStore('w', 5, 10), StateError);
    assert.throws(() => Stores.inMemoryWindowStore('w', 10, 0), StateError);
  });
});
