import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeededRandom } from '../../../src/testing/seeded-random.js';
import type { Window } from '../../../src/core/windowed.js';
import { InMemorySessionBytesStore } from '../../../src/state/in-memory-session-bytes-store.js';
import { InMemoryWindowBytesStore } from '../../../src/state/in-memory-window-bytes-store.js';
import type { KeyValueIterator } from '../../../src/state/key-value-iterator.js';
import type { SessionBytesStore } from '../../../src/state/session-bytes-store.js';
import { SqliteSessionBytesStore } from '../../../src/state/sqlite/sqlite-session-bytes-store.js';
import { SqliteWindowBytesStore } from '../../../src/state/sqlite/sqlite-window-bytes-store.js';
import { TaskDatabase } from '../../../src/state/sqlite/task-database.js';
import type { WindowBytesStore } from '../../../src/state/window-bytes-store.js';
import { TestTask } from './store-harness.js';

function drain<K>(iterator: KeyValueIterator<K, Buffer>): string[] {
  return [...iterator].map(({ key, value }) => `${JSON.stringify(key, (_, v: unknown) => (isBytes(v) ? String(Buffer.from(v.data)) : v))}=${String(value)}`);
}

function isBytes(value: unknown): value is { type: 'Buffer'; data: number[] } {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'Buffer';
}

function open<S extends WindowBytesStore | SessionBytesStore>(store: S, database: TaskDatabase = TaskDatabase.open(':memory:')): S {
  store.init(new TestTask(database).context);
  return store;
}

function tableRows(database: TaskDatabase, table: string): number {
  return database.sqlite.prepare<[], number>(`SELECT count(*) FROM "${table}"`).pluck(true).get() ?? 0;
}

const KEYS = ['a', 'b', 'ab', 'ba', ''].map((key) => Buffer.from(key));

describe('SQLite window store segments', () => {
  it('reads exactly what the in-memory store reads, across segments, expiry and deletes', () => {
    const generator = new SeededRandom(7);
    const random = (): number => generator.next();
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    // Window size 10 and retention 200: segments of 10 ms, so ranges span up to twenty of them.
    const sqlite = open(new SqliteWindowBytesStore('w', 200, 10));
    const memory = open(new InMemoryWindowBytesStore('w', 200, 10));
    assert.deepEqual(drain(sqlite.fetchRange(KEYS[0]!, -Infinity, Infinity, false)), [], 'nothing written yet');
    let time = 0;
    for (let step = 0; step < 2_000; step++) {
      time += Math.floor(random() * 4);
      const start = Math.max(0, time - Math.floor(random() * 250));
      const value = random() < 0.1 ? null : Buffer.from(String(step));
      const key = pick(KEYS);
      sqlite.put(key, value, start);
      memory.put(key, value, start);
      const from = time - Math.floor(random() * 300);
      const to = from + Math.floor(random() * 300);
      const reverse = random() < 0.5;
      assert.equal(String(sqlite.fetch(key, start)), String(memory.fetch(key, start)), `fetch at step ${step}`);
      assert.deepEqual(drain(sqlite.fetchRange(key, from, to, reverse)), drain(memory.fetchRange(key, from, to, reverse)), `fetchRange at step ${step}`);
      assert.deepEqual(drain(sqlite.fetchAll(from, to)), drain(memory.fetchAll(from, to)), `fetchAll at step ${step}`);
    }
    assert.deepEqual(drain(sqlite.all()), drain(memory.all()));
    for (const key of KEYS) {
      assert.deepEqual(drain(sqlite.fetchRange(key, -Infinity, Infinity, true)), drain(memory.fetchRange(key, -Infinity, Infinity, true)));
    }
  });

  it('deletes a whole segment once the retention boundary passes it', () => {
    const database = TaskDatabase.open(':memory:');
    const store = open(new SqliteWindowBytesStore('w', 100, 10), database);
    for (let start = 0; start <= 100; start += 5) store.put(Buffer.from('a'), Buffer.from('1'), start);
    assert.equal(tableRows(database, 'win_w'), 21, 'start 0 has expired, but its segment [0, 10) still holds start 5');
    assert.equal(store.fetch(Buffer.from('a'), 0), null);
    store.put(Buffer.from('a'), Buffer.from('1'), 114);
    assert.equal(tableRows(database, 'win_w'), 20, 'the boundary 15 left segment [0, 10) behind; start 10 stays, unread');
    assert.equal(store.fetch(Buffer.from('a'), 10), null);
    store.put(Buffer.from('a'), Buffer.from('1'), 120);
    assert.equal(tableRows(database, 'win_w'), 19, 'the boundary 21 left segment [10, 20) behind');
  });

  it('renumbers its rows when reopened with a retention that changes the segment interval', () => {
    const database = TaskDatabase.open(':memory:');
    const first = open(new SqliteWindowBytesStore('w', 100, 10), database);
    for (const start of [-25, -5, 0, 15, 64]) first.put(Buffer.from('k'), Buffer.from(String(start)), start);
    first.close();
    // A retention of 250,000 makes segments of 250 ms instead of 10 ms.
    const second = open(new SqliteWindowBytesStore('w', 250_000, 10), database);
    assert.deepEqual(drain(second.fetchRange(Buffer.from('k'), -100, 100, false)), ['-25=-25', '-5=-5', '0=0', '15=15', '64=64']);
    assert.equal(String(second.fetch(Buffer.from('k'), -5)), '-5');
    second.put(Buffer.from('k'), Buffer.from('70'), 70);
    second.close();
    const third = open(new SqliteWindowBytesStore('w', 100, 10), database);
    assert.deepEqual(drain(third.fetchRange(Buffer.from('k'), -100, 100, true)), ['70=70', '64=64', '15=15', '0=0', '-5=-5', '-25=-25']);
    assert.deepEqual(drain(third.fetchAll(0, 20)), ['{"keyBytes":"k","windowStart":0}=0', '{"keyBytes":"k","windowStart":15}=15']);
  });

  it('keeps a renumbering uncommitted until the task commits', () => {
    const database = TaskDatabase.open(':memory:');
    const first = open(new SqliteWindowBytesStore('w', 100, 10), database);
    first.put(Buffer.from('k'), Buffer.from('v'), 42);
    first.close();
    database.commit(new Map());
    open(new SqliteWindowBytesStore('w', 250_000, 10), database).close();
    database.rollback();
    const reopened = open(new SqliteWindowBytesStore('w', 100, 10), database);
    assert.equal(String(reopened.fetch(Buffer.from('k'), 42)), 'v');
  });
});

describe('SQLite session store', () => {
  it('reads exactly what the in-memory store reads, across expiry and removals', () => {
    const generator = new SeededRandom(11);
    const random = (): number => generator.next();
    const sqlite = open(new SqliteSessionBytesStore('s', 200));
    const memory = open(new InMemorySessionBytesStore('s', 200));
    let time = 0;
    for (let step = 0; step < 2_000; step++) {
      time += Math.floor(random() * 4);
      const end = Math.max(0, time - Math.floor(random() * 250));
      const session: Window = { start: end - Math.floor(random() * 30), end };
      const key = KEYS[Math.floor(random() * KEYS.length)]!;
      const value = random() < 0.1 ? null : Buffer.from(String(step));
      sqlite.put(key, session, value);
      memory.put(key, session, value);
      const earliestEnd = time - Math.floor(random() * 300);
      const latestStart = earliestEnd + Math.floor(random() * 300);
      const reverse = random() < 0.5;
      assert.equal(String(sqlite.fetchSession(key, session.start, end)), String(memory.fetchSession(key, session.start, end)));
      assert.deepEqual(
        drain(sqlite.findSessions(key, earliestEnd, latestStart, reverse)),
        drain(memory.findSessions(key, earliestEnd, latestStart, reverse)),
        `findSessions at step ${step}`,
      );
    }
    assert.deepEqual(drain(sqlite.all()), drain(memory.all()));
  });

  it('deletes expired sessions from its table once the boundary enters a new interval', () => {
    const database = TaskDatabase.open(':memory:');
    // Retention 200 s: expiry runs whenever the boundary enters a new 100-second interval.
    const store = open(new SqliteSessionBytesStore('s', 200_000), database);
    for (let end = 0; end <= 200_000; end += 10_000) store.put(Buffer.from('a'), { start: end, end }, Buffer.from('1'));
    assert.equal(tableRows(database, 'ses_s'), 21, 'the boundary 1 is still in the first interval');
    store.put(Buffer.from('a'), { start: 300_000, end: 300_000 }, Buffer.from('1'));
    assert.equal(tableRows(database, 'ses_s'), 12, 'the boundary 100,001 entered [100 s, 200 s): ends before 100 s went');
    assert.deepEqual(drain(store.findSessions(Buffer.from('a'), 0, 100_000, false)), []);
  });
});
