import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProcessorContext } from '../../../src/core/processor.js';
import type { Record } from '../../../src/core/record.js';
import { Serdes } from '../../../src/core/serdes.js';
import type { Windowed } from '../../../src/core/windowed.js';
import type { SessionStore } from '../../../src/state/session-store.js';
import { Stores } from '../../../src/state/stores.js';
import { ValueAndTimestamp } from '../../../src/state/value-and-timestamp.js';
import type { WindowStore } from '../../../src/state/window-store.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';
import { Topology } from '../../../src/topology/topology.js';

const WINDOW_SIZE_MS = 10;

/**
 * Writes each record's value into every kind of store: its 10 ms window (plain and timestamped window stores),
 * a session `[ts, ts]`, and a key-value store.
 */
function recordingProcessor() {
  let plain: WindowStore<string, number>;
  let timestamped: WindowStore<string, ValueAndTimestamp<number>>;
  let sessions: SessionStore<string, number>;
  return {
    init(context: ProcessorContext<never, never>) {
      plain = context.getStateStore('plain-windows');
      timestamped = context.getStateStore('timestamped-windows');
      sessions = context.getStateStore('sessions');
    },
    process(record: Record<string, number>) {
      const windowStart = record.timestamp - (record.timestamp % WINDOW_SIZE_MS);
      plain.put(record.key, record.value, windowStart);
      timestamped.put(record.key, ValueAndTimestamp.make(record.value, record.timestamp), windowStart);
      sessions.put({ key: record.key, window: { start: record.timestamp, end: record.timestamp } }, record.value);
    },
  };
}

function recordingTopology(): Topology {
  const windowStore = (name: string) => Stores.inMemoryWindowStore(name, 1000, WINDOW_SIZE_MS);
  return new Topology()
    .addSource('in', 'events', { keySerde: Serdes.String(), valueSerde: Serdes.Long() })
    .addProcessor('record', recordingProcessor, 'in')
    .addStateStore(Stores.windowStoreBuilder(windowStore('plain-windows'), Serdes.String(), Serdes.Long()), 'record')
    .addStateStore(Stores.timestampedWindowStoreBuilder(windowStore('timestamped-windows'), Serdes.String(), Serdes.Long()), 'record')
    .addStateStore(Stores.sessionStoreBuilder(Stores.persistentSessionStore('sessions', 1000), Serdes.String(), Serdes.Long()), 'record')
    .addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('kv'), Serdes.String(), Serdes.Long()), 'record');
}

function withDriver(test: (driver: TopologyTestDriver) => void): void {
  const driver = new TopologyTestDriver(recordingTopology());
  try {
    const input = driver.createInputTopic('events', Serdes.String(), Serdes.Long());
    input.pipeInput('a', 1, 3);
    input.pipeInput('b', 2, 5);
    input.pipeInput('a', 3, 12);
    test(driver);
  } finally {
    driver.close();
  }
}

function windowed<V>(iterator: Iterable<{ key: Windowed<string>; value: V }>): string[] {
  return [...iterator].map(({ key, value }) => `${key.key}[${key.window.start},${key.window.end}]=${JSON.stringify(value)}`);
}

describe('TopologyTestDriver window and session stores', () => {
  it('shows a timestamped window store with plain values, through every read', () => {
    withDriver((driver) => {
      const store = driver.getWindowStore<string, number>('timestamped-windows');
      assert.ok(store !== null);
      assert.equal(store.fetch('a', 10), 3);
      assert.equal(store.fetch('a', 20), null);
      assert.deepEqual([...store.fetch('a', 0, 10)], [{ key: 0, value: 1 }, { key: 10, value: 3 }]);
      assert.deepEqual([...store.backwardFetch('a', 0, 10)], [{ key: 10, value: 3 }, { key: 0, value: 1 }]);
      assert.deepEqual(windowed(store.fetchAll(0, 0)), ['a[0,10]=1', 'b[0,10]=2']);
      assert.deepEqual(windowed(store.all()), ['a[0,10]=1', 'b[0,10]=2', 'a[10,20]=3']);
    });
  });

  it('shows a plain window store as it is', () => {
    withDriver((driver) => {
      const store = driver.getWindowStore<string, number>('plain-windows');
      assert.deepEqual(windowed(store?.all() ?? []), ['a[0,10]=1', 'b[0,10]=2', 'a[10,20]=3']);
    });
  });

  it('reads a session store', () => {
    withDriver((driver) => {
      const store = driver.getSessionStore<string, number>('sessions');
      assert.ok(store !== null);
      assert.deepEqual(windowed(store.fetch('a')), ['a[3,3]=1', 'a[12,12]=3']);
      assert.deepEqual(windowed(store.findSessions('a', 5, 20)), ['a[12,12]=3']);
      assert.equal(store.fetchSession('b', 5, 5), 2);
      assert.deepEqual(windowed(store.all()), ['a[3,3]=1', 'a[12,12]=3', 'b[5,5]=2']);
    });
  });

  it('answers null for a missing store and for a store of another kind', () => {
    withDriver((driver) => {
      assert.equal(driver.getWindowStore('missing'), null);
      assert.equal(driver.getSessionStore('missing'), null);
      assert.equal(driver.getWindowStore('sessions'), null);
      assert.equal(driver.getWindowStore('kv'), null);
      assert.equal(driver.getSessionStore('plain-windows'), null);
      assert.equal(driver.getSessionStore('kv'), null);
      assert.equal(driver.getKeyValueStore('timestamped-windows'), null);
      assert.equal(driver.getKeyValueStore('sessions'), null);
    });
  });
});
