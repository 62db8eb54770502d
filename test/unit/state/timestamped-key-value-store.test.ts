import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Serde } from '../../../src/core/serde.js';
import { Serdes } from '../../../src/core/serdes.js';
import { ReadOnlyKeyValueStoreFacade, readOnlyKeyValueStoreOf } from '../../../src/state/read-only-key-value-store-facade.js';
import { Stores } from '../../../src/state/stores.js';
import { isKeyValueStore, isTimestampedKeyValueStore } from '../../../src/state/timestamped-key-value-store.js';
import { ValueAndTimestamp, valueAndTimestampSerde } from '../../../src/state/value-and-timestamp.js';
import { TestTask, drain } from './store-harness.js';

describe('ValueAndTimestamp serde', () => {
  const serde = valueAndTimestampSerde(Serdes.String());

  it('writes the timestamp as 8 bytes big-endian, then the value bytes', () => {
    assert.equal(serde.serialize('t', ValueAndTimestamp.make('hi', 5))?.toString('hex'), '0000000000000005' + '6869');
    assert.equal(serde.serialize('t', ValueAndTimestamp.make('', 1_700_000_000_000))?.toString('hex'), '0000018bcfe56800');
    assert.deepEqual(serde.deserialize('t', Buffer.from('00000000000000076869', 'hex')), { value: 'hi', timestamp: 7 });
  });

  it('maps null to null, and a null value to a tombstone', () => {
    assert.equal(serde.serialize('t', null), null);
    assert.equal(serde.deserialize('t', null), null);
    assert.equal(valueAndTimestampSerde(Serdes.Json<string | null>()).serialize('t', ValueAndTimestamp.make(null, 3)), null);
  });

  it('rejects fewer than 8 bytes and timestamps that are not integers', () => {
    assert.throws(() => serde.deserialize('t', Buffer.from('0001', 'hex')), { name: 'SerdeError', message: /8 bytes, got 2/ });
    assert.throws(() => serde.serialize('t', ValueAndTimestamp.make('x', 1.5)), { name: 'SerdeError' });
  });

  it('lays fixed-width values (Long, Integer, Double, BigLong) out as their serdes do, and checks them the same way', () => {
    const cases: Array<[Serde<never>, unknown]> = [
      [Serdes.Long() as Serde<never>, -3],
      [Serdes.Integer() as Serde<never>, 2 ** 31 - 1],
      [Serdes.Double() as Serde<never>, 0.5],
      [Serdes.BigLong() as Serde<never>, -(2n ** 63n)],
    ];
    for (const [inner, value] of cases) {
      const fixed = valueAndTimestampSerde<unknown>(inner);
      const bytes = fixed.serialize('t', ValueAndTimestamp.make(value, 9))!;
      assert.equal(bytes.toString('hex'), '0000000000000009' + (inner as Serde<unknown>).serialize('t', value)!.toString('hex'));
      assert.deepEqual(fixed.deserialize('t', bytes), { value, timestamp: 9 });
    }
    const longs = valueAndTimestampSerde(Serdes.Long());
    assert.throws(() => longs.serialize('t', ValueAndTimestamp.make(1.5, 1)), { name: 'SerdeError', message: /Long serializer/ });
    assert.throws(() => longs.deserialize('t', Buffer.alloc(12)), { name: 'SerdeError', message: /expects 8 bytes, got 4/ });
  });

  it('getValueOrNull unwraps', () => {
    assert.equal(ValueAndTimestamp.getValueOrNull(ValueAndTimestamp.make(4, 1)), 4);
    assert.equal(ValueAndTimestamp.getValueOrNull(null), null);
  });
});

describe('timestamped key-value store', () => {
  function openRegions(task: TestTask, caching = false) {
    let builder = Stores.timestampedKeyValueStoreBuilder(Stores.inMemoryKeyValueStore('regions'), Serdes.String(), Serdes.String());
    if (caching) builder = builder.withCachingEnabled();
    return task.open(builder);
  }

  it('stores values with their timestamps', () => {
    const task = new TestTask();
    const regions = openRegions(task);
    regions.put('alice', ValueAndTimestamp.make('eu', 9));
    assert.deepEqual(regions.get('alice'), { value: 'eu', timestamp: 9 });
  });

  it('logs the plain value with the value timestamp as record timestamp, as Kafka Streams does', () => {
    const task = new TestTask();
    const regions = openRegions(task);
    task.timestampMs = 100;
    regions.put('alice', ValueAndTimestamp.make('eu', 9));
    regions.putAll([{ key: 'bob', value: ValueAndTimestamp.make('us', 12) }]);
    regions.delete('alice');
    assert.deepEqual(task.changelog(), ['alice=eu@9', 'bob=us@12', 'alice=null@100']);
  });

  it('restores plain changelog values, putting the record timestamp back in front', () => {
    const task = new TestTask();
    const regions = openRegions(task);
    regions.restoreBatch!([
      { key: Buffer.from('alice'), value: Buffer.from('eu'), timestampMs: 4 },
      { key: Buffer.from('bob'), value: Buffer.from('us'), timestampMs: 5 },
      { key: Buffer.from('bob'), value: null, timestampMs: 6 },
    ]);
    assert.deepEqual(regions.get('alice'), { value: 'eu', timestamp: 4 });
    assert.equal(regions.get('bob'), null);
    assert.deepEqual(task.changelogRecords, []);
  });

  it('is exposed read-only with plain values through the facade', () => {
    const task = new TestTask();
    const regions = openRegions(task);
    regions.put('alice', ValueAndTimestamp.make('eu', 1));
    regions.put('bob', ValueAndTimestamp.make('us', 2));
    const view = readOnlyKeyValueStoreOf<string, string>(regions);
    assert.ok(view instanceof ReadOnlyKeyValueStoreFacade);
    assert.equal(view.get('alice'), 'eu');
    assert.equal(view.get('carol'), null);
    assert.deepEqual(drain(view.all()), ['alice=eu', 'bob=us']);
    assert.deepEqual(drain(view.reverseAll()), ['bob=us', 'alice=eu']);
    assert.deepEqual(drain(view.range('b')), ['bob=us']);
    assert.deepEqual(drain(view.reverseRange(null, 'b')), ['alice=eu']);
    assert.deepEqual(drain(view.prefixScan('al', Serdes.String())), ['alice=eu']);
    assert.equal(view.approximateNumEntries(), 2);
    const open = view.all();
    regions.close();
    assert.throws(() => open.next(), { name: 'StateError' });
  });

  it('hands out plain key-value stores as they are, and nothing for other stores', () => {
    const task = new TestTask();
    const plain = task.open(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('plain'), Serdes.String(), Serdes.Long()));
    assert.equal(readOnlyKeyValueStoreOf(plain), plain);
    assert.equal(isKeyValueStore(plain), true);
    assert.equal(isTimestampedKeyValueStore(plain), false);
    assert.equal(isTimestampedKeyValueStore(openRegions(task)), true);
    const other = { name: 'other', persistent: false, init() {}, flush() {}, close() {}, isOpen: () => true };
    assert.equal(readOnlyKeyValueStoreOf(other), null);
  });

  it('reports timestamped old and new values to the flush listener', () => {
    const task = new TestTask();
    const regions = openRegions(task, true);
    const emitted: unknown[] = [];
    regions.setFlushListener((key, newValue, oldValue, ts) => emitted.push({ key, newValue, oldValue, ts }));
    task.timestampMs = 3;
    regions.put('alice', ValueAndTimestamp.make('eu', 3));
    regions.flush();
    task.timestampMs = 4;
    regions.put('alice', ValueAndTimestamp.make('us', 4));
    regions.flush();
    assert.deepEqual(emitted, [
      { key: 'alice', newValue: { value: 'eu', timestamp: 3 }, oldValue: null, ts: 3 },
      { key: 'alice', newValue: { value: 'us', timestamp: 4 }, oldValue: { value: 'eu', timestamp: 3 }, ts: 4 },
    ]);
  });
});
