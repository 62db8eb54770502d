import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { StreamsError } from '../../../../src/core/errors.js';
import { Serdes } from '../../../../src/core/serdes.js';
import type { Windowed } from '../../../../src/core/windowed.js';
import { readOnlyWindowStoreOf } from '../../../../src/state/read-only-window-store-facade.js';
import { Stores } from '../../../../src/state/stores.js';
import { ValueAndTimestamp } from '../../../../src/state/value-and-timestamp.js';
import { KafkaStreams } from '../../../../src/runtime/app/kafka-streams.js';
import { LocalSessionStoreView } from '../../../../src/runtime/app/local-session-store-view.js';
import { LocalWindowStoreView } from '../../../../src/runtime/app/local-window-store-view.js';
import { Topology } from '../../../../src/topology/topology.js';
import { TestTask } from '../../state/store-harness.js';

function windowed<V>(iterator: Iterable<{ key: Windowed<string>; value: V }>): string[] {
  return [...iterator].map(({ key, value }) => `${key.key}[${key.window.start},${key.window.end}]=${String(value)}`);
}

/** Two tasks' timestamped window stores (partitions 0 and 1), each holding its own keys. */
function twoTaskWindowStores() {
  const builder = Stores.timestampedWindowStoreBuilder(Stores.inMemoryWindowStore('w', 1000, 10), Serdes.String(), Serdes.Long());
  const [first, second] = [new TestTask().open(builder), new TestTask().open(builder)];
  first.put('a', ValueAndTimestamp.make(1, 3), 0);
  first.put('a', ValueAndTimestamp.make(2, 13), 10);
  second.put('b', ValueAndTimestamp.make(3, 5), 0);
  return [first, second].map((store) => readOnlyWindowStoreOf<string, number>(store)!);
}

function twoTaskSessionStores() {
  const builder = Stores.sessionStoreBuilder(Stores.inMemorySessionStore('s', 1000), Serdes.String(), Serdes.Long());
  const [first, second] = [new TestTask().open(builder), new TestTask().open(builder)];
  first.put({ key: 'a', window: { start: 0, end: 5 } }, 1);
  first.put({ key: 'a', window: { start: 20, end: 30 } }, 2);
  second.put({ key: 'b', window: { start: 3, end: 4 } }, 3);
  return [first, second];
}

describe('local store views over several tasks', () => {
  it('read a window store across tasks, with plain values', () => {
    const view = new LocalWindowStoreView('w', twoTaskWindowStores);
    assert.equal(view.fetch('b', 0), 3);
    assert.equal(view.fetch('c', 0), null);
    assert.deepEqual([...view.fetch('a', 0, 10)].map(({ key, value }) => `${key}=${value}`), ['0=1', '10=2']);
    assert.deepEqual([...view.backwardFetch('a', 0, 10)].map(({ key }) => key), [10, 0]);
    assert.deepEqual(windowed(view.fetchAll(0, 0)), ['a[0,10]=1', 'b[0,10]=3']);
    assert.deepEqual(windowed(view.all()), ['a[0,10]=1', 'a[10,20]=2', 'b[0,10]=3'], 'task by task');
  });

  it('read a session store across tasks', () => {
    const view = new LocalSessionStoreView('s', twoTaskSessionStores);
    assert.equal(view.fetchSession('b', 3, 4), 3);
    assert.equal(view.fetchSession('a', 3, 4), null);
    assert.deepEqual(windowed(view.fetch('a')), ['a[0,5]=1', 'a[20,30]=2']);
    assert.deepEqual(windowed(view.backwardFetch('a')), ['a[20,30]=2', 'a[0,5]=1']);
    assert.deepEqual(windowed(view.findSessions('a', 6, 40)), ['a[20,30]=2']);
    assert.deepEqual(windowed(view.backwardFindSessions('b', 0, 40)), ['b[3,4]=3']);
    assert.deepEqual(windowed(view.all()), ['a[0,5]=1', 'a[20,30]=2', 'b[3,4]=3']);
  });

  it('are empty while no task runs, and refused for a store the topology does not have', () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-views-'));
    try {
      const topology = new Topology()
        .addSource('in', 'events')
        .addProcessor('p', () => ({ process: () => undefined }), 'in')
        .addStateStore(Stores.sessionStoreBuilder(Stores.inMemorySessionStore('s', 1000), Serdes.String(), Serdes.Long()), 'p');
      const streams = new KafkaStreams(topology, { applicationId: 'views', bootstrapServers: 'localhost:9092', stateDir });
      assert.deepEqual(windowed(streams.sessionStore<string, number>('s').all()), []);
      assert.deepEqual(windowed(streams.windowStore<string, number>('s').all()), []);
      assert.throws(() => streams.windowStore('missing'), StreamsError);
      assert.throws(() => streams.sessionStore('missing'), StreamsError);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
