import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { InMemoryKeyValueBytesStore } from '../../../src/state/in-memory-key-value-bytes-store.js';
import { Stores } from '../../../src/state/stores.js';
import { TestTask } from './store-harness.js';

describe('Stores builders', () => {
  const builder = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('counts'), Serdes.String(), Serdes.Long());

  it('default to logging on and caching off, as Kafka Streams does for the Processor API', () => {
    assert.equal(builder.name, 'counts');
    assert.equal(builder.loggingEnabled, true);
    assert.equal(builder.cachingEnabled, false);
    assert.deepEqual(builder.logConfig, {});
  });

  it('are immutable: every with… returns a new builder', () => {
    const cached = builder.withCachingEnabled().withLoggingEnabled({ 'retention.ms': '1000' });
    assert.equal(cached.cachingEnabled, true);
    assert.deepEqual(cached.logConfig, { 'retention.ms': '1000' });
    assert.equal(builder.cachingEnabled, false);
    assert.deepEqual(builder.logConfig, {});
    const unlogged = cached.withLoggingDisabled().withCachingDisabled();
    assert.equal(unlogged.loggingEnabled, false);
    assert.equal(unlogged.cachingEnabled, false);
    assert.deepEqual(unlogged.logConfig, {});
  });

  it('build a fresh store, over a fresh bytes store, for every task', () => {
    const first = new TestTask();
    const second = new TestTask();
    const inMemory = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('words'), Serdes.String(), Serdes.String());
    const a = first.open(inMemory);
    const b = second.open(inMemory);
    assert.notEqual(a, b);
    a.put('k', 'v');
    assert.equal(b.get('k'), null);
    assert.equal(a.persistent, false);
    assert.equal(first.open(builder).persistent, true);
  });

  it('serialize with the changelog topic name, as Kafka Streams does', () => {
    const topics: string[] = [];
    const recordingSerde = {
      serialize: (topic: string, data: string | null) => (topics.push(topic), Serdes.String().serialize(topic, data)),
      deserialize: (topic: string, data: Buffer | null) => Serdes.String().deserialize(topic, data),
    };
    const store = new TestTask().open(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('words'), recordingSerde, recordingSerde));
    store.put('k', 'v');
    assert.deepEqual(topics, ['app-words-changelog', 'app-words-changelog']);
  });

  it('name the store and task when a stored value cannot be read', () => {
    const task = new TestTask();
    const sharedBytes = new InMemoryKeyValueBytesStore('mixed');
    const supplier = { name: 'mixed', get: () => sharedBytes };
    const writer = task.open(Stores.keyValueStoreBuilder(supplier, Serdes.String(), Serdes.ByteArray()).withLoggingDisabled());
    writer.put('k', Buffer.from([1, 2]));
    const reader = task.open(Stores.keyValueStoreBuilder(supplier, Serdes.String(), Serdes.Long()).withLoggingDisabled());
    assert.throws(() => reader.get('k'), { name: 'SerdeError', message: /stored value.*Long.*8 bytes, got 2.*task=0_0.*store=mixed/ });
  });
});
