import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import type { KeyValueStore } from '../../../src/state/key-value-store.js';
import {
  ALL_CONFIGURATIONS,
  TestTask,
  configuredBuilder,
  describeConfiguration,
  drain,
  keys,
} from './store-harness.js';

// One contract, run against every store kind with and without caching and change-logging: the layers must not
// change what a processor observes through the typed interface.
for (const configuration of ALL_CONFIGURATIONS) {
  describe(`key-value store contract (${describeConfiguration(configuration)})`, () => {
    let task: TestTask;
    let store: KeyValueStore<string, string>;

    beforeEach(() => {
      task = new TestTask();
      store = task.open(configuredBuilder(configuration, 'words', Serdes.String(), Serdes.String()));
    });

    afterEach(() => {
      store.close();
      task.database.close();
    });

    it('gets, puts, overwrites and deletes', () => {
      assert.equal(store.get('a'), null);
      store.put('a', '1');
      store.put('b', '2');
      store.put('a', '3');
      assert.equal(store.get('a'), '3');
      assert.equal(store.delete('a'), '3');
      assert.equal(store.delete('a'), null);
      assert.equal(store.get('a'), null);
      store.put('b', null);
      assert.equal(store.get('b'), null);
      assert.deepEqual(drain(store.all()), []);
    });

    it('putIfAbsent writes only a missing key and returns the previous value', () => {
      assert.equal(store.putIfAbsent('a', '1'), null);
      assert.equal(store.putIfAbsent('a', '2'), '1');
      assert.equal(store.get('a'), '1');
    });

    it('putAll writes every entry in order, null deleting', () => {
      store.put('gone', 'x');
      store.putAll([
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
        { key: 'a', value: '3' },
        { key: 'gone', value: null },
      ]);
      assert.deepEqual(drain(store.all()), ['a=3', 'b=2']);
    });

    it('ranges are inclusive at both ends, open where null or undefined, ascending or descending', () => {
      for (const key of ['e', 'a', 'c', 'b', 'd']) store.put(key, key.toUpperCase());
      assert.deepEqual(drain(store.range('b', 'd')), ['b=B', 'c=C', 'd=D']);
      assert.deepEqual(keys(store.range(null, 'b')), ['a', 'b']);
      assert.deepEqual(keys(store.range('d')), ['d', 'e']);
      assert.deepEqual(keys(store.range('bb', 'cc')), ['c']);
      assert.deepEqual(keys(store.reverseRange('b', 'd')), ['d', 'c', 'b']);
      assert.deepEqual(keys(store.reverseRange(undefined, 'b')), ['b', 'a']);
      assert.deepEqual(keys(store.all()), ['a', 'b', 'c', 'd', 'e']);
      assert.deepEqual(keys(store.reverseAll()), ['e', 'd', 'c', 'b', 'a']);
    });

    it('a range with from > to is empty', () => {
      for (const key of ['a', 'b', 'c']) store.put(key, key);
      assert.deepEqual(keys(store.range('c', 'a')), []);
      assert.deepEqual(keys(store.reverseRange('c', 'a')), []);
    });

    it('orders by serialized bytes, not by JavaScript string order', () => {
      // '\uff5e' (UTF-8 ef bd 9e) sorts before '😀' (f0 9f 98 80) in bytes, after it in UTF-16 code units.
      const keysInByteOrder = ['A', 'a', 'é', '\uff5e', '😀'];
      for (const key of [...keysInByteOrder].reverse()) store.put(key, 'v');
      assert.ok('\uff5e' > '😀');
      assert.deepEqual(keys(store.all()), keysInByteOrder);
      assert.deepEqual(keys(store.range('\uff5e', '😀')), ['\uff5e', '😀']);
    });

    it('prefixScan returns the keys starting with the serialized prefix', () => {
      for (const key of ['a', 'ab', 'abc', 'abd', 'ac', 'b']) store.put(key, key);
      assert.deepEqual(keys(store.prefixScan('ab', Serdes.String())), ['ab', 'abc', 'abd']);
      assert.deepEqual(keys(store.prefixScan('', Serdes.String())), ['a', 'ab', 'abc', 'abd', 'ac', 'b']);
      assert.deepEqual(keys(store.prefixScan('z', Serdes.String())), []);
    });

    it('iterators peek, close, and throw once closed', () => {
      for (const key of ['a', 'b', 'c']) store.put(key, key);
      const iterator = store.all();
      assert.equal(iterator.peekNextKey(), 'a');
      assert.equal(iterator.peekNextKey(), 'a');
      assert.deepEqual(iterator.next().value, { key: 'a', value: 'a' });
      assert.equal(iterator.hasNext(), true);
      iterator.close();
      assert.throws(() => iterator.next(), { name: 'StateError', message: /closed/ });
      assert.throws(() => iterator.peekNextKey(), { name: 'StateError' });
      iterator.close();
    });

    it('an exhausted iterator keeps reporting done, and peekNextKey is undefined', () => {
      store.put('a', 'a');
      const iterator = store.all();
      assert.equal(iterator.next().done, false);
      assert.equal(iterator.peekNextKey(), undefined);
      assert.equal(iterator.next().done, true);
      assert.equal(iterator.next().done, true);
    });

    it('leaving a for-of loop early closes the iterator', () => {
      for (const key of ['a', 'b', 'c']) store.put(key, key);
      const iterator = store.all();
      for (const entry of iterator) {
        assert.equal(entry.key, 'a');
        break;
      }
      assert.throws(() => iterator.next(), { name: 'StateError' });
    });

    it('closing the store closes its open iterators', () => {
      for (const key of ['a', 'b']) store.put(key, key);
      const iterator = store.range('a', 'b');
      iterator.next();
      store.close();
      assert.equal(store.isOpen(), false);
      assert.throws(() => iterator.next(), { name: 'StateError' });
    });

    it('may be written while an iterator is open', () => {
      for (let i = 0; i < 100; i++) store.put(`k${String(i).padStart(3, '0')}`, String(i));
      let seen = 0;
      // The new keys sort before the iterator's position, so every store kind visits exactly the original 100.
      for (const { key } of store.all()) {
        store.delete(key);
        store.put(`done-${key}`, 'x');
        seen++;
      }
      assert.equal(seen, 100);
      assert.equal(store.get('k050'), null);
      assert.equal(store.get('done-k050'), 'x');
    });

    it('orders Integer keys by their big-endian bytes: negative ones after positive ones', () => {
      const numbers = task.open(configuredBuilder(configuration, 'numbers', Serdes.Integer(), Serdes.String()));
      for (const key of [-1, 0, 1, 256, -256, 2147483647, -2147483648]) numbers.put(key, String(key));
      assert.deepEqual(keys(numbers.all()), [0, 1, 256, 2147483647, -2147483648, -256, -1]);
      assert.deepEqual(keys(numbers.range(1, -256)), [1, 256, 2147483647, -2147483648, -256]);
      assert.deepEqual(keys(numbers.range(-1, 1)), []);
      numbers.close();
    });

    it('keeps keys apart that are equal to === but serialize differently (Double 0 and -0)', () => {
      const doubles = task.open(configuredBuilder(configuration, 'doubles', Serdes.Double(), Serdes.String()));
      doubles.put(0, 'zero');
      doubles.put(-0, 'minus zero');
      assert.equal(doubles.get(0), 'zero');
      assert.equal(doubles.get(-0), 'minus zero');
      doubles.close();
    });

    it('approximateNumEntries counts the flushed entries', () => {
      store.putAll([
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
      ]);
      store.flush();
      assert.equal(store.approximateNumEntries(), 2);
    });

    it(configuration.logging ? 'sends flushed writes to the changelog with their record timestamp' : 'sends nothing to the changelog', () => {
      task.timestampMs = 5;
      store.put('a', '1');
      task.timestampMs = 6;
      store.put('b', '2');
      store.delete('b');
      store.flush();
      const expected = configuration.caching ? ['a=1@5', 'b=null@6'] : ['a=1@5', 'b=2@6', 'b=null@6'];
      assert.deepEqual(task.changelog(), configuration.logging ? expected : []);
      assert.ok(task.changelogRecords.every((r) => r.store === 'words'));
    });

    it(`setFlushListener returns ${configuration.caching} and reports flushed entries with old values`, () => {
      const emitted: string[] = [];
      const registered = store.setFlushListener((key, newValue, oldValue, timestampMs) =>
        emitted.push(`${key}:${oldValue}->${newValue}@${timestampMs}`),
      );
      assert.equal(registered, configuration.caching);
      store.put('a', '1');
      store.flush();
      task.timestampMs = 7;
      store.put('a', '2');
      store.put('b', '3');
      store.flush();
      assert.deepEqual(emitted, configuration.caching ? ['a:null->1@0', 'a:1->2@7', 'b:null->3@7'] : []);
    });

    it('restoreBatch writes below the cache and the changelog', () => {
      store.restoreBatch!([
        { key: Buffer.from('a'), value: Buffer.from('1'), timestampMs: 1 },
        { key: Buffer.from('b'), value: Buffer.from('2'), timestampMs: 2 },
        { key: Buffer.from('a'), value: null, timestampMs: 3 },
      ]);
      assert.deepEqual(drain(store.all()), ['b=2']);
      store.flush();
      assert.deepEqual(task.changelogRecords, []);
    });

    it(`is ${configuration.kind === 'sqlite' ? '' : 'not '}persistent`, () => {
      assert.equal(store.persistent, configuration.kind === 'sqlite');
      assert.equal(store.name, 'words');
      assert.equal(store.isOpen(), true);
    });
  });
}
