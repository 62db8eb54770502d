import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import type { Windowed } from '../../../src/core/windowed.js';
import type { SessionStore } from '../../../src/state/session-store.js';
import { TaskDatabase } from '../../../src/state/sqlite/task-database.js';
import { Stores } from '../../../src/state/stores.js';
import { TestTask } from './store-harness.js';

type Kind = 'in-memory' | 'sqlite';

/** A cached, logged session store of counts whose flush-listener reports are recorded as `key[start,end]:old->new`. */
function cachedStore(task: TestTask, kind: Kind, retentionMs = 1000) {
  const supplier = kind === 'sqlite' ? Stores.persistentSessionStore('s', retentionMs) : Stores.inMemorySessionStore('s', retentionMs);
  const store: SessionStore<string, number> = task.open(Stores.sessionStoreBuilder(supplier, Serdes.String(), Serdes.Long()).withCachingEnabled());
  const reported: string[] = [];
  const cached = store.setFlushListener(({ key, window }, newValue, oldValue) => reported.push(`${key}[${window.start},${window.end}]:${oldValue}->${newValue}`), true);
  assert.equal(cached, true);
  return { store, reported };
}

function session(key: string, start: number, end: number): Windowed<string> {
  return { key, window: { start, end } };
}

function sessions(iterator: Iterable<{ key: Windowed<string>; value: number }>): string[] {
  return [...iterator].map(({ key, value }) => `${key.key}[${key.window.start},${key.window.end}]=${value}`);
}

/** What session merging does with a record at `t` within `gap` of the key's sessions: remove them, write the merge. */
function mergeRecord(store: SessionStore<string, number>, key: string, t: number, gap: number): void {
  let start = t;
  let end = t;
  let count = 1;
  for (const { key: found, value } of store.findSessions(key, t - gap, t + gap)) {
    store.remove(found);
    start = Math.min(start, found.window.start);
    end = Math.max(end, found.window.end);
    count += value;
  }
  store.put(session(key, start, end), count);
}

for (const kind of ['sqlite', 'in-memory'] as const) {
  describe(`caching session store (${kind})`, () => {
    it('merges a commit of session merging into one write per session, reported in the order of the last writes', () => {
      const task = new TestTask();
      const { store, reported } = cachedStore(task, kind);
      mergeRecord(store, 'a', 0, 10);
      store.flush();
      mergeRecord(store, 'a', 5, 10);
      mergeRecord(store, 'a', 3, 10);
      mergeRecord(store, 'b', 4, 10);
      assert.deepEqual(sessions(store.fetch('a')), ['a[0,5]=3']);
      store.flush();
      // [0,5] was written, removed and written again within the commit: one report, no tombstone.
      assert.deepEqual(reported, ['a[0,0]:null->1', 'a[0,0]:1->null', 'a[0,5]:null->3', 'b[4,4]:null->1']);
      assert.equal(task.changelogRecords.length, 4);
    });

    it('finds sessions over cache and store, forwards and backwards, with cached removals hiding stored sessions', () => {
      const { store } = cachedStore(new TestTask(), kind);
      store.put(session('a', 0, 10), 1);
      store.put(session('a', 20, 30), 2);
      store.put(session('b', 0, 5), 3);
      store.flush();
      store.remove(session('a', 20, 30));
      store.put(session('a', 40, 50), 4);
      store.put(session('a', 12, 15), 5);
      assert.deepEqual(sessions(store.findSessions('a', 10, 45)), ['a[0,10]=1', 'a[12,15]=5', 'a[40,50]=4']);
      assert.deepEqual(sessions(store.backwardFindSessions('a', 11, 100)), ['a[40,50]=4', 'a[12,15]=5']);
      assert.equal(store.fetchSession('a', 20, 30), null);
      assert.equal(store.fetchSession('a', 12, 15), 5);
      assert.deepEqual(sessions(store.all()), ['a[0,10]=1', 'a[12,15]=5', 'a[40,50]=4', 'b[0,5]=3']);
    });

    it("leaves retention to the store below: a late record still merges into an expired session the cache holds, as in Kafka Streams", () => {
      const { store, reported } = cachedStore(new TestTask(), kind, 10);
      mergeRecord(store, 'a', 0, 10);
      store.flush();
      mergeRecord(store, 'a', 20, 10);
      store.flush();
      assert.equal(store.fetchSession('a', 0, 0), 1, 'end 0 <= 20 - 10 has expired below, but the cache holds it');
      mergeRecord(store, 'a', 10, 10);
      store.flush();
      // Removing [0,0] retracts nothing: the store below no longer returns it as an old value, so (as in Kafka
      // Streams) the removal is neither written nor reported.
      assert.deepEqual(reported, ['a[0,0]:null->1', 'a[20,20]:null->1', 'a[20,20]:1->null', 'a[0,20]:null->3']);
      assert.deepEqual(sessions(store.all()), ['a[0,20]=3']);
    });
  });
}

describe('caching session store over SQLite state kept from before', () => {
  it('loads a key on its first search and merges into the stored sessions, reporting their removal', () => {
    const database = TaskDatabase.open(':memory:');
    const first = cachedStore(new TestTask(database), 'sqlite');
    mergeRecord(first.store, 'a', 0, 10);
    first.store.flush();
    first.store.close();
    const { store, reported } = cachedStore(new TestTask(database), 'sqlite');
    mergeRecord(store, 'a', 6, 10);
    store.flush();
    assert.deepEqual(reported, ['a[0,0]:1->null', 'a[0,6]:null->2']);
    assert.deepEqual(sessions(store.fetch('a')), ['a[0,6]=2']);
  });
});
