import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { cachedEntrySizeBytes } from '../../../src/state/caching-key-value-bytes-store.js';
import { InMemoryKeyValueBytesStore } from '../../../src/state/in-memory-key-value-bytes-store.js';
import type { KeyValueStore } from '../../../src/state/key-value-store.js';
import { Stores } from '../../../src/state/stores.js';
import { TestTask, drain } from './store-harness.js';

/** A caching, logging String store whose flush-listener emissions are recorded as `key:old->new@ts`. */
function cachedStore(task: TestTask, name = 'cached', kind: 'sqlite' | 'in-memory' = 'sqlite') {
  const supplier = kind === 'sqlite' ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
  const store: KeyValueStore<string, string> = task.open(
    Stores.keyValueStoreBuilder(supplier, Serdes.String(), Serdes.String()).withCachingEnabled(),
  );
  const emitted: string[] = [];
  assert.equal(
    store.setFlushListener((key, newValue, oldValue, ts) => emitted.push(`${key}:${oldValue}->${newValue}@${ts}`)),
    true,
  );
  return { store, emitted };
}

/** Budget for exactly `entries` cached entries with one-character keys and values. */
function budgetFor(entries: number): number {
  return entries * cachedEntrySizeBytes(Buffer.from('k'), Buffer.from('v'));
}

describe('caching layer', () => {
  it('merges writes per key until the flush, then writes each key once', () => {
    const task = new TestTask();
    const { store, emitted } = cachedStore(task);
    task.timestampMs = 1;
    store.put('a', '1');
    task.timestampMs = 2;
    store.put('a', '2');
    task.timestampMs = 3;
    store.put('a', '3');
    assert.equal(store.get('a'), '3');
    assert.deepEqual(task.changelog(), []);
    assert.equal(store.approximateNumEntries(), 0, 'nothing reached the store below yet');
    store.flush();
    assert.deepEqual(emitted, ['a:null->3@3']);
    assert.deepEqual(task.changelog(), ['a=3@3']);
  });

  it('flushes in the order keys were last written, each with its old value', () => {
    const task = new TestTask();
    const { store, emitted } = cachedStore(task);
    store.put('a', '1');
    store.put('b', '1');
    store.flush();
    emitted.length = 0;
    store.put('a', '2');
    store.put('c', '1');
    store.put('b', '2');
    store.put('a', '3');
    store.flush();
    assert.deepEqual(emitted, ['c:null->1@0', 'b:1->2@0', 'a:1->3@0']);
  });

  it('emits every dirty key, even when the new value equals the old one', () => {
    const task = new TestTask();
    const { store, emitted } = cachedStore(task);
    store.put('a', '1');
    store.flush();
    store.put('a', '1');
    store.flush();
    assert.deepEqual(emitted, ['a:null->1@0', 'a:1->1@0']);
  });

  it('stamps each changelog record and emission with the timestamp of the record that wrote the key', () => {
    const task = new TestTask();
    const { store, emitted } = cachedStore(task);
    task.timestampMs = 10;
    store.put('a', '1');
    task.timestampMs = 20;
    store.put('b', '1');
    task.timestampMs = 99;
    store.flush();
    assert.deepEqual(task.changelog(), ['a=1@10', 'b=1@20']);
    assert.deepEqual(emitted, ['a:null->1@10', 'b:null->1@20']);
  });

  it('drops the deletion of a key the store below never held, without a write or an emission', () => {
    const task = new TestTask();
    const { store, emitted } = cachedStore(task);
    store.put('a', '1');
    store.delete('a');
    store.delete('never');
    store.flush();
    assert.deepEqual(emitted, []);
    assert.deepEqual(task.changelog(), []);
  });

  it('evicts the least-recently-written entries when over budget, writing them down as a flush would', () => {
    const task = new TestTask(undefined, budgetFor(2));
    const { store, emitted } = cachedStore(task);
    task.timestampMs = 1;
    store.put('a', '1');
    task.timestampMs = 2;
    store.put('b', '1');
    store.put('a', '2');
    assert.deepEqual(emitted, []);
    task.timestampMs = 3;
    store.put('c', '1');
    assert.deepEqual(emitted, ['b:null->1@2']);
    assert.deepEqual(task.changelog(), ['b=1@2']);
    assert.equal(store.get('b'), '1', 'an evicted entry is read from the store below');
    store.flush();
    assert.deepEqual(emitted, ['b:null->1@2', 'a:null->2@2', 'c:null->1@3']);
  });

  it('writes straight through with a zero budget', () => {
    const task = new TestTask(undefined, 0);
    const { store, emitted } = cachedStore(task, 'cached', 'in-memory');
    store.put('a', '1');
    store.put('a', '2');
    store.delete('a');
    assert.deepEqual(emitted, ['a:null->1@0', 'a:1->2@0', 'a:2->null@0']);
  });

  it('shares one budget among the stores of a task; the store that overflows it evicts its own entries', () => {
    const task = new TestTask(undefined, budgetFor(2));
    const first = cachedStore(task, 'first');
    const second = cachedStore(task, 'second');
    first.store.put('a', '1');
    first.store.put('b', '1');
    second.store.put('x', '1');
    assert.deepEqual(first.emitted, []);
    assert.deepEqual(second.emitted, ['x:null->1@0']);
    first.store.close();
    second.store.put('y', '1');
    assert.deepEqual(second.emitted, ['x:null->1@0'], 'closing a store gives its share of the budget back');
  });

  it('merges cached entries into ranges: new keys appear, deleted ones disappear, cached values win', () => {
    const task = new TestTask();
    const { store } = cachedStore(task);
    for (const key of ['a', 'c', 'e']) store.put(key, 'stored');
    store.flush();
    store.put('b', 'cached');
    store.put('c', 'cached');
    store.delete('e');
    store.put('f', 'cached');
    assert.deepEqual(drain(store.all()), ['a=stored', 'b=cached', 'c=cached', 'f=cached']);
    assert.deepEqual(drain(store.reverseRange('b', 'e')), ['c=cached', 'b=cached']);
    assert.deepEqual(drain(store.prefixScan('f', Serdes.String())), ['f=cached']);
  });

  it('close drops unflushed entries', () => {
    const task = new TestTask();
    const { store, emitted } = cachedStore(task, 'dropped', 'in-memory');
    store.put('a', '1');
    store.close();
    assert.deepEqual(emitted, []);
    assert.deepEqual(task.changelog(), []);
  });
});

/** An in-memory bytes store that counts the reads reaching it, and the store built over it with caching on. */
class CountingStore extends InMemoryKeyValueBytesStore {
  reads = 0;

  override get(key: Buffer): Buffer | null {
    this.reads++;
    return super.get(key);
  }
}

function countedStore(task: TestTask) {
  const below = new CountingStore('counted');
  const supplier = { name: 'counted', get: () => below };
  const store: KeyValueStore<string, string> = task.open(
    Stores.keyValueStoreBuilder(supplier, Serdes.String(), Serdes.String()).withCachingEnabled(),
  );
  const emitted: string[] = [];
  store.setFlushListener((key, newValue, oldValue) => emitted.push(`${key}:${oldValue}->${newValue}`));
  return { store, below, emitted };
}

describe('caching layer, clean entries', () => {
  it('keeps flushed entries: later reads and old values come from the cache, not the store below', () => {
    const task = new TestTask();
    const { store, below, emitted } = countedStore(task);
    store.put('a', '1');
    store.flush();
    const readsAfterFirstFlush = below.reads;
    assert.equal(store.get('a'), '1');
    store.put('a', '2');
    store.flush();
    assert.equal(below.reads, readsAfterFirstFlush);
    assert.deepEqual(emitted, ['a:null->1', 'a:1->2']);
    assert.deepEqual(task.changelog(), ['a=1@0', 'a=2@0']);
  });

  it('caches a value read from the store below only while it fits the budget, without evicting', () => {
    const task = new TestTask(undefined, budgetFor(1));
    const { store, below, emitted } = countedStore(task);
    store.put('a', '1');
    store.put('b', '1');
    assert.deepEqual(emitted, ['a:null->1'], 'b evicted a');
    below.reads = 0;
    assert.equal(store.get('a'), '1');
    assert.equal(store.get('a'), '1');
    assert.equal(below.reads, 2, 'a does not fit next to the dirty b, so it is read from below each time');
    assert.deepEqual(emitted, ['a:null->1'], 'reading never writes down');
    store.flush();
    store.delete('b');
    store.flush();
    below.reads = 0;
    assert.equal(store.get('a'), '1');
    assert.equal(store.get('a'), '1');
    assert.equal(below.reads, 1, 'with room in the budget, a read is cached');
  });

  it('a write that evicts drops clean entries without writing them again', () => {
    const task = new TestTask(undefined, budgetFor(2));
    const { store, emitted } = countedStore(task);
    store.put('a', '1');
    store.put('b', '1');
    store.flush();
    store.put('c', '1');
    store.put('d', '1');
    assert.deepEqual(emitted, ['a:null->1', 'b:null->1']);
    assert.deepEqual(task.changelog(), ['a=1@0', 'b=1@0']);
    assert.equal(store.get('a'), '1');
  });

  it('deleted keys leave the cache on flush, and restoration replaces what the cache knew', () => {
    const task = new TestTask();
    const { store, emitted } = countedStore(task);
    store.put('a', '1');
    store.put('b', '1');
    store.flush();
    store.delete('a');
    store.flush();
    assert.equal(store.get('a'), null);
    store.restoreBatch?.([{ key: Buffer.from('b'), value: Buffer.from('restored'), timestampMs: 5 }]);
    assert.equal(store.get('b'), 'restored');
    store.put('b', '2');
    store.flush();
    assert.deepEqual(emitted, ['a:null->1', 'b:null->1', 'a:1->null', 'b:restored->2']);
  });
});

/** An in-memory bytes store whose `put` throws for the keys listed in `failing`. */
class FailingStore extends InMemoryKeyValueBytesStore {
  readonly failing = new Set<string>();

  override put(key: Buffer, value: Buffer | null): void {
    if (this.failing.has(key.toString())) throw new Error(`cannot write ${key.toString()}`);
    super.put(key, value);
  }
}

describe('caching layer, flush marks entries clean one by one', () => {
  it('a write-down that throws leaves that entry and the later ones dirty, to be written by the next flush', () => {
    const task = new TestTask();
    const below = new FailingStore('failing');
    const store: KeyValueStore<string, string> = task.open(
      Stores.keyValueStoreBuilder({ name: 'failing', get: () => below }, Serdes.String(), Serdes.String()).withCachingEnabled(),
    );
    const emitted: string[] = [];
    store.setFlushListener((key, newValue, oldValue) => emitted.push(`${key}:${oldValue}->${newValue}`));
    store.put('a', '1');
    store.put('b', '1');
    store.put('c', '1');
    below.failing.add('b');
    assert.throws(() => store.flush(), /cannot write b/);
    assert.deepEqual(emitted, ['a:null->1']);
    assert.equal(below.get(Buffer.from('c')), null, 'c was not written');
    below.failing.clear();
    store.flush();
    assert.deepEqual(emitted, ['a:null->1', 'b:null->1', 'c:null->1']);
    assert.deepEqual(task.changelog(), ['a=1@0', 'b=1@0', 'c=1@0']);
    assert.equal(below.get(Buffer.from('c'))?.toString(), '1');
  });

  it('a flush listener iterating the same store sees every key with its latest value', () => {
    for (const kind of ['sqlite', 'in-memory'] as const) {
      const task = new TestTask();
      const { store } = cachedStore(task, 'iterated', kind);
      const seen: string[] = [];
      store.setFlushListener((key) => seen.push(`${key}: ${drain(store.all()).join(' ')}`));
      store.put('a', '1');
      store.put('b', '1');
      store.flush();
      store.put('a', '2');
      store.put('b', '2');
      store.flush();
      assert.deepEqual(seen, ['a: a=1 b=1', 'b: a=1 b=1', 'a: a=2 b=2', 'b: a=2 b=2'], kind);
    }
  });
});
