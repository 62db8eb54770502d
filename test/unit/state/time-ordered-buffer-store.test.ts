import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Headers } from '../../../src/core/headers.js';
import { Record } from '../../../src/core/record.js';
import { Serdes } from '../../../src/core/serdes.js';
import { TaskDatabase } from '../../../src/state/sqlite/task-database.js';
import { Stores } from '../../../src/state/stores.js';
import { TimeOrderedBufferStoreBuilder } from '../../../src/state/time-ordered-buffer-store.js';
import { TestTask } from './store-harness.js';

const builder = (kind: 'sqlite' | 'in-memory' = 'sqlite') =>
  new TimeOrderedBufferStoreBuilder(
    kind === 'sqlite' ? Stores.persistentKeyValueStore('join-Buffer') : Stores.inMemoryKeyValueStore('join-Buffer'),
    Serdes.String(),
    Serdes.String(),
    10,
  );

const show = (record: Record<string, string>): string => `${record.key}=${record.value}@${record.timestamp}`;

describe('time-ordered buffer store (stream-table join grace)', () => {
  it('refuses records older than its stream time − grace and evicts the rest in (time, key, arrival) order', () => {
    const task = new TestTask();
    const buffer = task.open(builder());
    assert.equal(buffer.put(new Record('b', '1', 5)), true);
    assert.equal(buffer.put(new Record('a', '2', 5)), true);
    assert.equal(buffer.put(new Record('b', '3', 5)), true);
    assert.equal(buffer.put(new Record('a', '4', -3)), true, 'negative timestamps order before positive ones');
    assert.equal(buffer.put(new Record('c', '5', 30)), true);
    assert.equal(buffer.put(new Record('c', 'late', 19)), false, '19 < 30 − 10');
    const evicted: string[] = [];
    buffer.evictExpired((record) => evicted.push(show(record)));
    assert.deepEqual(evicted, ['a=4@-3', 'a=2@5', 'b=1@5', 'b=3@5']);
    buffer.evictExpired((record) => evicted.push(show(record)));
    assert.equal(evicted.length, 4, 'evicted records are gone');
    buffer.close();
    task.database.close();
  });

  it('keeps records, stream time and sequence across a reopen of the task database', () => {
    const task = new TestTask();
    let buffer = task.open(builder());
    buffer.put(new Record('k', 'a', 20, Headers.of([{ key: 'h', value: Buffer.from('x') }])));
    buffer.close();
    buffer = task.open(builder());
    assert.equal(buffer.observedStreamTime(), 20);
    assert.equal(buffer.put(new Record('k', 'b', 20)), true);
    assert.equal(buffer.put(new Record('k', 'late', 9)), false);
    buffer.put(new Record('k', 'c', 40));
    const evicted: Array<Record<string, string>> = [];
    buffer.evictExpired((record) => evicted.push(record));
    assert.deepEqual(evicted.map(show), ['k=a@20', 'k=b@20'], 'the sequence continued: b did not overwrite a');
    assert.equal(evicted[0]!.headers.lastHeader('h')?.value?.toString(), 'x');
    buffer.close();
    task.database.close();
  });

  for (const kind of ['sqlite', 'in-memory'] as const) {
    it(`restores from its changelog (${kind})`, () => {
      const task = new TestTask();
      const buffer = task.open(builder());
      buffer.put(new Record('k', 'a', 5));
      buffer.put(new Record('k', 'b', 8));
      buffer.put(new Record('k', 'c', 16));
      buffer.evictExpired(() => undefined);
      buffer.close();
      const records = task.changelogRecords.map(({ key, value, timestampMs }) => ({ key, value, timestampMs }));

      const restoredTask = new TestTask(TaskDatabase.open(':memory:'));
      const restored = restoredTask.open(builder(kind));
      restored.restoreBatch(records);
      assert.equal(restored.observedStreamTime(), 16);
      assert.equal(restored.put(new Record('k', 'late', 5)), false);
      restored.put(new Record('k', 'd', 100));
      const evicted: string[] = [];
      restored.evictExpired((record) => evicted.push(show(record)));
      assert.deepEqual(evicted, ['k=b@8', 'k=c@16'], 'a@5 was evicted before the crash and stays evicted');
      restored.close();
      restoredTask.database.close();
      task.database.close();
    });
  }
});
