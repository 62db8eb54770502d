import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_KEYS, inclusiveRange } from '../../../src/state/bytes-range.js';
import { InMemoryKeyValueBytesStore } from '../../../src/state/in-memory-key-value-bytes-store.js';
import { TestTask } from './store-harness.js';

function key(n: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(n);
  return bytes;
}

function openStore(count: number): InMemoryKeyValueBytesStore {
  const store = new InMemoryKeyValueBytesStore('numbers');
  store.init(new TestTask().context);
  for (let n = 0; n < count; n++) store.put(key(n), Buffer.from([n % 256]));
  return store;
}

function readAll(iterator: Iterable<{ key: Buffer }>): number[] {
  return [...iterator].map((entry) => entry.key.readUInt32BE());
}

describe('InMemoryKeyValueBytesStore', () => {
  it('iterates thousands of keys across index chunks, both ways, within bounds', () => {
    const store = openStore(5000);
    const ascending = readAll(store.iterate(ALL_KEYS, false));
    assert.equal(ascending.length, 5000);
    assert.deepEqual(ascending.slice(0, 3), [0, 1, 2]);
    assert.deepEqual(readAll(store.iterate(inclusiveRange(key(1022), key(1026)), true)), [1026, 1025, 1024, 1023, 1022]);
    assert.deepEqual(readAll(store.iterate(inclusiveRange(key(4998), null), false)), [4998, 4999]);
  });

  it('iterators see writes ahead of their position and skip keys deleted ahead of it', () => {
    const store = openStore(10);
    const forward = store.iterate(ALL_KEYS, false);
    assert.equal(forward.next().value?.key.readUInt32BE(), 0);
    store.delete(key(1));
    store.put(key(100), Buffer.from([1]));
    assert.deepEqual(readAll(forward), [2, 3, 4, 5, 6, 7, 8, 9, 100]);

    const notStarted = store.iterate(ALL_KEYS, false);
    store.put(Buffer.alloc(0), Buffer.from([1]));
    assert.equal(notStarted.peekNextKey()?.length, 0, 'a key written before the first read is seen');
    notStarted.close();
    store.delete(Buffer.alloc(0));

    const backward = store.iterate(ALL_KEYS, true);
    assert.equal(backward.next().value?.key.readUInt32BE(), 100);
    store.delete(key(9));
    store.put(key(1), Buffer.from([1]));
    assert.deepEqual(readAll(backward), [8, 7, 6, 5, 4, 3, 2, 1, 0]);
  });

  it('copies keys, so a caller reusing its buffer cannot change a stored key', () => {
    const store = openStore(0);
    const reused = key(5);
    store.put(reused, Buffer.from('v'));
    reused.writeUInt32BE(1);
    assert.deepEqual(readAll(store.iterate(ALL_KEYS, false)), [5]);
  });

  it('refuses use before init and after close', () => {
    const store = new InMemoryKeyValueBytesStore('closed');
    assert.throws(() => store.get(key(1)), { name: 'StateError', message: /not open.*store=closed/ });
    store.init(new TestTask().context);
    store.close();
    assert.throws(() => store.put(key(1), null), { name: 'StateError' });
  });
});
