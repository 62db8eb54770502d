import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StateError } from '../../../src/core/errors.js';
import { Serdes } from '../../../src/core/serdes.js';
import { splitSessionWindowedKeyBytes } from '../../../src/core/windowed.js';
import type { Windowed } from '../../../src/core/windowed.js';
import type { SessionStore } from '../../../src/state/session-store.js';
import { TaskDatabase } from '../../../src/state/sqlite/task-database.js';
import { Stores } from '../../../src/state/stores.js';
import { TestTask } from './store-harness.js';

type Kind = 'in-memory' | 'sqlite';

function openStore(task: TestTask, kind: Kind, retentionMs = 100, caching = false): SessionStore<string, number> {
  const supplier =
    kind === 'sqlite' ? Stores.persistentSessionStore('sessions', retentionMs) : Stores.inMemorySessionStore('sessions', retentionMs);
  const builder = Stores.sessionStoreBuilder(supplier, Serdes.String(), Serdes.Long());
  return task.open(caching ? builder.withCachingEnabled() : builder);
}

function session(key: string, start: number, end: number): Windowed<string> {
  return { key, window: { start, end } };
}

/** Sessions as `key[start,end]=value`, in iteration order. */
function sessions(iterator: Iterable<{ key: Windowed<string>; value: number }>): string[] {
  return [...iterator].map(({ key, value }) => `${key.key}[${key.window.start},${key.window.end}]=${value}`);
}

for (const [kind, caching] of [['in-memory', false], ['sqlite', false], ['in-memory', true], ['sqlite', true]] as const) {
  const open = (task: TestTask, retentionMs?: number): SessionStore<string, number> => openStore(task, kind, retentionMs, caching);
  describe(`session store (${kind}${caching ? ', caching' : ''})`, () => {
    it('finds the sessions a record could merge with: ending at or after t - gap, starting at or before t + gap', () => {
      const store = open(new TestTask(), 1000);
      store.put(session('a', 0, 10), 1);
      store.put(session('a', 20, 30), 2);
      store.put(session('a', 50, 50), 3);
      store.put(session('b', 5, 15), 4);
      const gap = 5;
      const at = 15;
      assert.deepEqual(sessions(store.findSessions('a', at - gap, at + gap)), ['a[0,10]=1', 'a[20,30]=2']);
      assert.deepEqual(sessions(store.backwardFindSessions('a', at - gap, at + gap)), ['a[20,30]=2', 'a[0,10]=1']);
      assert.deepEqual(sessions(store.findSessions('a', 11, 19)), [], 'the gap between sessions touches neither');
      assert.deepEqual(sessions(store.findSessions('a', 10, 20)), ['a[0,10]=1', 'a[20,30]=2'], 'both bounds are inclusive');
      assert.deepEqual(sessions(store.findSessions('c', 0, 100)), []);
    });

    it('orders sessions by key bytes, then end, then start', () => {
      const store = open(new TestTask(), 1000);
      store.put(session('b', 0, 5), 1);
      store.put(session('ab', 0, 1), 2);
      store.put(session('a', 40, 60), 3);
      store.put(session('a', 10, 60), 4);
      store.put(session('a', 0, 20), 5);
      const expected = ['a[0,20]=5', 'a[10,60]=4', 'a[40,60]=3', 'ab[0,1]=2', 'b[0,5]=1'];
      assert.deepEqual(sessions(store.all()), expected);
      assert.deepEqual(sessions(store.fetch('a')), expected.slice(0, 3));
      assert.deepEqual(sessions(store.backwardFetch('a')), expected.slice(0, 3).reverse());
    });

    it('fetches exactly one session, replaces its value and removes it by remove() or a null value', () => {
      const store = open(new TestTask(), 1000);
      store.put(session('a', 0, 10), 1);
      store.put(session('a', 0, 10), 2);
      store.put(session('a', 5, 10), 3);
      assert.equal(store.fetchSession('a', 0, 10), 2);
      assert.equal(store.fetchSession('a', 0, 9), null);
      assert.equal(store.fetchSession('b', 0, 10), null);
      store.remove(session('a', 0, 10));
      assert.equal(store.fetchSession('a', 0, 10), null);
      store.put(session('a', 5, 10), null);
      store.remove(session('a', 70, 80));
      assert.deepEqual(sessions(store.all()), []);
      store.put(session('a', 0, 10), 4);
      assert.deepEqual(sessions(store.all()), ['a[0,10]=4'], 'a key whose sessions were all removed comes back');
    });

    it('lets the caller write while it iterates, as session merging does', () => {
      const store = open(new TestTask(), 1000);
      store.put(session('a', 0, 10), 1);
      store.put(session('a', 20, 30), 2);
      let merged = 0;
      for (const { key, value } of store.findSessions('a', 10, 20)) {
        store.remove(key);
        merged += value;
      }
      store.put(session('a', 0, 30), merged);
      assert.deepEqual(sessions(store.fetch('a')), ['a[0,30]=3']);
    });

    // A cache answers for what it holds, expired or not, as Kafka Streams' caches do (caching-*-store tests).
    const storeIt = caching ? () => {} : it;
    storeIt('expires sessions ending at or before stream time - retention, and ignores writes to them', () => {
      const store = open(new TestTask(), 100);
      store.put(session('a', 0, 10), 1);
      store.put(session('a', 5, 11), 2);
      store.put(session('b', 90, 110), 3);
      assert.equal(store.fetchSession('a', 0, 10), null, 'end 10 <= 110 - 100 has expired');
      assert.equal(store.fetchSession('a', 5, 11), 2);
      store.put(session('a', 0, 10), 9);
      assert.deepEqual(sessions(store.findSessions('a', 0, 1000)), ['a[5,11]=2']);
      assert.deepEqual(sessions(store.all()), ['a[5,11]=2', 'b[90,110]=3']);
      store.put(session('c', 1000, 1000), 4);
      assert.deepEqual(sessions(store.all()), ['c[1000,1000]=4']);
      store.put(session('a', 950, 950), 5);
      assert.deepEqual(sessions(store.fetch('a')), ['a[950,950]=5']);
    });

    storeIt('expires sessions written out of order, each when stream time passes its end + retention', () => {
      const store = open(new TestTask(), 100);
      for (const [key, end] of [['a', 150], ['b', 110], ['c', 130], ['d', 120], ['e', 140]] as const) {
        store.put(session(key, end - 5, end), end);
      }
      store.put(session('z', 225, 225), 0);
      assert.equal(sessions(store.all()).map((s) => s[0]).join(''), 'acez', 'ends 110 and 120 <= 225 - 100 expired');
      store.put(session('z', 245, 245), 0);
      assert.equal(sessions(store.all()).map((s) => s[0]).join(''), 'azz', 'then 130 and 140 <= 245 - 100');
    });

    it('keeps serving a key whose sessions were all removed, then expired', () => {
      const store = open(new TestTask(), 100);
      store.put(session('a', 0, 10), 1);
      store.remove(session('a', 0, 10));
      store.put(session('b', 500, 500), 2);
      assert.deepEqual(sessions(store.all()), ['b[500,500]=2']);
      store.put(session('a', 450, 460), 3);
      assert.deepEqual(sessions(store.all()), ['a[450,460]=3', 'b[500,500]=2']);
      assert.deepEqual(sessions(store.fetch('a')), ['a[450,460]=3']);
    });

    it('logs every write keyed by key bytes + end + start, a removal as a tombstone, and is rebuilt from that log', () => {
      const source = new TestTask();
      const store = open(source, 1000);
      source.timestampMs = 7;
      store.put(session('a', 0, 10), 1);
      store.put(session('b', 3, 4), 2);
      source.timestampMs = 12;
      store.remove(session('a', 0, 10));
      store.put(session('a', 0, 12), 3);
      store.flush();
      const logged = source.changelogRecords.map((record) => {
        const { keyBytes, window } = splitSessionWindowedKeyBytes(record.key);
        const value = record.value === null ? 'null' : String(record.value.readBigInt64BE());
        return `${keyBytes.toString()}[${window.start},${window.end}]=${value}@${record.timestampMs}`;
      });
      // A cache writes the latest write of each session, in the order of the last writes, and drops a session
      // written and removed within one flush.
      const expected = caching ? ['b[3,4]=2@7', 'a[0,12]=3@12'] : ['a[0,10]=1@7', 'b[3,4]=2@7', 'a[0,10]=null@12', 'a[0,12]=3@12'];
      assert.deepEqual(logged, expected);
      const restored = open(new TestTask(), 1000);
      restored.restoreBatch?.(source.changelogRecords);
      assert.deepEqual(sessions(restored.all()), ['a[0,12]=3', 'b[3,4]=2']);
    });
  });
}

describe('session stores', () => {
  it('keep SQLite sessions and stream time across a reopen of the task database', () => {
    const database = TaskDatabase.open(':memory:');
    const first = openStore(new TestTask(database), 'sqlite', 100);
    first.put(session('a', 400, 500), 1);
    first.flush();
    first.close();
    const second = openStore(new TestTask(database), 'sqlite', 100);
    assert.equal(second.fetchSession('a', 400, 500), 1);
    second.put(session('a', 350, 400), 2);
    assert.equal(second.fetchSession('a', 350, 400), null, 'stream time 500 came back with the stored sessions');
  });

  it('set a time-limited compacted changelog and refuse a negative retention', () => {
    const builder = Stores.sessionStoreBuilder(Stores.inMemorySessionStore('s', 1000), Serdes.String(), Serdes.Long());
    assert.deepEqual(builder.logConfig, { 'cleanup.policy': 'compact,delete', 'retention.ms': String(1000 + 86_400_000) });
    assert.deepEqual(builder.withLoggingEnabled({ 'retention.ms': '5' }).logConfig['retention.ms'], '5');
    assert.deepEqual(builder.withLoggingDisabled().logConfig, {});
    assert.throws(() => Stores.persistentSessionStore('s', -1), StateError);
    assert.throws(() => Stores.inMemorySessionStore('s', 1.5), StateError);
  });

  it('write nothing to the changelog with logging off', () => {
    const task = new TestTask();
    const builder = Stores.sessionStoreBuilder(Stores.inMemorySessionStore('s', 1000), Serdes.String(), Serdes.Long());
    const store = task.open(builder.withLoggingDisabled());
    store.put(session('a', 0, 1), 1);
    assert.equal(store.fetchSession('a', 0, 1), 1);
    assert.deepEqual(task.changelogRecords, []);
  });
});
