import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TopologyError } from '../../../src/core/errors.js';
import type { ProcessorContext } from '../../../src/core/processor.js';
import { Serdes } from '../../../src/core/serdes.js';
import type { KeyValueStore } from '../../../src/state/key-value-store.js';
import { Stores } from '../../../src/state/stores.js';
import type { TimestampedKeyValueStore } from '../../../src/state/timestamped-key-value-store.js';
import { StreamsBuilder } from '../../../src/topology/dsl/streams-builder.js';
import { Topology } from '../../../src/topology/topology.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';

const S = Serdes.String();
const I = Serdes.Integer();
const c = { keySerde: S, valueSerde: S };

/** Kafka Streams' `KStreamGlobalKTable(Left)JoinTest` shape: stream values `X<i>,FKey<i>` name the global key after the comma. */
const foreignKey = (_key: number | null, value: string): string | null => {
  const tokens = value.split(',');
  return tokens.length > 1 ? tokens[1]! : null;
};

function globalJoinDriver(leftJoin: boolean) {
  const builder = new StreamsBuilder();
  const global = builder.globalTable<string, string>('global', { ...c, storeName: 'global-store' });
  const stream = builder.stream<number | null, string>('stream', { keySerde: I, valueSerde: S });
  const joiner = (value: string, globalValue: string | null, key: number | null): string => `${value}+${globalValue}${key === null ? '(null key)' : ''}`;
  (leftJoin ? stream.leftJoin(global, foreignKey, joiner) : stream.join(global, foreignKey, joiner)).to('out', { keySerde: I, valueSerde: S });
  const driver = new TopologyTestDriver(builder.build(), { applicationId: 'app' }, 0);
  const streamInput = driver.createInputTopic('stream', I, S);
  const globalInput = driver.createInputTopic('global', S, S);
  const out = driver.createOutputTopic('out', I, S);
  let ts = 0;
  return {
    driver,
    stream: (key: number | null, value: string | null) => streamInput.pipeInput(key, value, ts++),
    global: (key: string | null, value: string | null) => globalInput.pipeInput(key, value, ts++),
    output: () => out.readRecordsToList().map((r) => `${r.key}:${r.value}@${r.timestamp}`),
    dropped: () => {
      const counts = { nullKeys: 0, nullValues: 0 };
      for (const metrics of driver.metrics().values()) {
        counts.nullKeys += metrics.droppedRecords.nullKeys;
        counts.nullValues += metrics.droppedRecords.nullValues;
      }
      return counts;
    },
  };
}

describe('GlobalKTable in the test driver', () => {
  it('applies each global record at once: updates, tombstones, null keys dropped and counted', () => {
    const { driver, global } = globalJoinDriver(false);
    try {
      global('FKey0', 'Y0');
      global('FKey1', 'Y1');
      global('FKey0', 'YY0');
      global('FKey1', null);
      global(null, 'no key');
      const store = driver.getKeyValueStore<string, string>('global-store')!;
      assert.equal(store.get('FKey0'), 'YY0');
      assert.equal(store.get('FKey1'), null);
      assert.equal(store.approximateNumEntries(), 1);
      assert.deepEqual(driver.metrics().get('global')!.droppedRecords.nullKeys, 1);
      assert.equal(driver.metrics().get('global')!.processedRecords, 5);
    } finally {
      driver.close();
    }
  });

  it('applies records a sink writes to a global topic', () => {
    const builder = new StreamsBuilder();
    builder.globalTable('copies', { ...c, storeName: 'copies-store' });
    builder.stream('in', c).to('copies', c);
    const driver = new TopologyTestDriver(builder.build(), {}, 0);
    try {
      driver.createInputTopic('in', S, S).pipeInput('k', 'v', 1);
      assert.equal(driver.getKeyValueStore<string, string>('copies-store')!.get('k'), 'v');
    } finally {
      driver.close();
    }
  });
});

describe('stream-global inner join (KStreamGlobalKTableJoinTest)', () => {
  it('joins on the selected key with the current global value; global updates never emit', () => {
    const { driver, stream, global, output } = globalJoinDriver(false);
    try {
      stream(0, 'X0,FKey0');
      global('FKey0', 'Y0');
      global('FKey1', 'Y1');
      assert.deepEqual(output(), []);
      stream(0, 'X0,FKey0');
      stream(1, 'X1,FKey1');
      stream(2, 'X2,FKey2');
      global('FKey0', 'YY0');
      stream(0, 'X0,FKey0');
      assert.deepEqual(output(), ['0:X0,FKey0+Y0@3', '1:X1,FKey1+Y1@4', '0:X0,FKey0+YY0@7']);
    } finally {
      driver.close();
    }
  });

  it('drops a null selected key and a null value (counted), and stops joining after a tombstone', () => {
    const { driver, stream, global, output, dropped } = globalJoinDriver(false);
    try {
      global('FKey0', 'Y0');
      stream(0, 'X0');
      stream(0, null);
      global('FKey0', null);
      stream(0, 'X0,FKey0');
      assert.deepEqual(output(), []);
      assert.deepEqual(dropped(), { nullKeys: 1, nullValues: 1 });
    } finally {
      driver.close();
    }
  });

  it('joins a stream record without a key when its selected key has a value', () => {
    const { driver, stream, global, output } = globalJoinDriver(false);
    try {
      global('FKey0', 'Y0');
      stream(null, 'X0,FKey0');
      assert.deepEqual(output(), ['null:X0,FKey0+Y0(null key)@1']);
    } finally {
      driver.close();
    }
  });
});

describe('stream-global left join (KStreamGlobalKTableLeftJoinTest, Kafka Streams 4.1)', () => {
  it('joins every record, with null where the global table has no value, also after a tombstone', () => {
    const { driver, stream, global, output } = globalJoinDriver(true);
    try {
      stream(0, 'X0,FKey0');
      global('FKey0', 'Y0');
      stream(0, 'X0,FKey0');
      stream(1, 'X1,FKey1');
      global('FKey0', null);
      stream(0, 'XX0,FKey0');
      assert.deepEqual(output(), ['0:X0,FKey0+null@0', '0:X0,FKey0+Y0@2', '1:X1,FKey1+null@3', '0:XX0,FKey0+null@5']);
    } finally {
      driver.close();
    }
  });

  it('joins a null selected key with null (4.1: KIP-962), drops a null value, and joins null stream keys', () => {
    const { driver, stream, global, output, dropped } = globalJoinDriver(true);
    try {
      global('FKey0', 'Y0');
      stream(0, 'X0');
      stream(1, null);
      stream(null, 'X2,FKey0');
      assert.deepEqual(output(), ['0:X0+null@1', 'null:X2,FKey0+Y0(null key)@3']);
      assert.deepEqual(dropped(), { nullKeys: 0, nullValues: 1 });
    } finally {
      driver.close();
    }
  });

  it('lets null keys through a repartition topic downstream of a key change (KIP-962)', () => {
    const builder = new StreamsBuilder();
    const global = builder.globalTable<string, string>('global', c);
    builder
      .stream<string, string>('stream', c)
      .selectKey((): string | null => null)
      .repartition(c)
      .leftJoin(global, (_key, value) => value, (value, globalValue) => `${value}+${globalValue}`)
      .to('out', c);
    const driver = new TopologyTestDriver(builder.build(), {}, 0);
    try {
      driver.createInputTopic('global', S, S).pipeInput('a', 'A', 0);
      driver.createInputTopic('stream', S, S).pipeInput('k', 'a', 1);
      assert.deepEqual(driver.createOutputTopic('out', S, S).readKeyValuesToList(), [{ key: null, value: 'a+A' }]);
    } finally {
      driver.close();
    }
  });
});

describe('global stores in the Processor API', () => {
  it('any processor reads a global store by name, without connecting it, and cannot write it', () => {
    const seen: Array<string | null> = [];
    let writeError: unknown;
    const topology = new Topology()
      .addGlobalStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('names'), S, S).withLoggingDisabled(),
        'names-source',
        'names',
        c,
        'names-updater',
        () => {
          let store: KeyValueStore<string, string>;
          return {
            init: (context) => (store = context.getStateStore<KeyValueStore<string, string>>('names')),
            process: (record) => store.put(record.key, record.value),
          };
        },
      )
      .addSource('in', 'in', c)
      .addProcessor(
        'reader',
        () => {
          let store: KeyValueStore<string, string>;
          return {
            init: (context: ProcessorContext<never, never>) => (store = context.getStateStore<KeyValueStore<string, string>>('names')),
            process: (record) => {
              seen.push(store.get(record.key as string));
              try {
                store.put('x', 'y');
              } catch (error) {
                writeError = error;
              }
            },
          };
        },
        'in',
      );
    const driver = new TopologyTestDriver(topology, {}, 0);
    try {
      driver.createInputTopic('names', S, S).pipeInput('k', 'Kay', 0);
      driver.createInputTopic('in', S, S).pipeInput('k', 'v', 1);
      assert.deepEqual(seen, ['Kay']);
      assert.match(String(writeError), /global store names is read-only/);
    } finally {
      driver.close();
    }
  });

  it('refuses a change-logged store, connecting a global store, and children of a global processor', () => {
    const logged = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('logged'), S, S);
    assert.throws(() => new Topology().addGlobalStore(logged, 's', 't', c, 'p', () => ({ process: () => undefined })), {
      name: 'TopologyError',
      message: 'StateStore logged for global table must not have logging enabled. (store=logged)',
    });
    const topology = new Topology()
      .addGlobalStore(logged.withLoggingDisabled(), 's', 't', c, 'p', () => ({ process: () => undefined }))
      .addSource('in', 'in')
      .addProcessor('q', () => ({ process: () => undefined }), 'in');
    assert.throws(() => topology.connectProcessorAndStateStores('q', 'logged'), /Global StateStore logged can be used by a Processor without being specified/);
    assert.throws(() => topology.addProcessor('child', () => ({ process: () => undefined }), 'p'), /p belongs to a global store and cannot be a parent/);
    assert.throws(() => topology.addSource('again', 't'), /Topic t has already been registered/);
    assert.throws(() => topology.copartitionSources('s', 'in'), /Cannot co-partition s: a global store reads every partition/);
  });
});

describe('GlobalKTable DSL', () => {
  it('is queryable by its store name only when named; the store exists by its generated name either way', () => {
    const builder = new StreamsBuilder();
    assert.equal(builder.globalTable('a', c).queryableStoreName, undefined);
    assert.equal(builder.globalTable('b', { ...c, storeName: 'b-store' }).queryableStoreName, 'b-store');
    const driver = new TopologyTestDriver(builder.build(), {}, 0);
    try {
      driver.createInputTopic('a', S, S).pipeInput('k', 'v', 0);
      assert.equal(driver.getKeyValueStore<string, string>('a-STATE-STORE-0000000000')!.get('k'), 'v');
      const timestamped = driver.getStateStore<TimestampedKeyValueStore<string, string>>('a-STATE-STORE-0000000000')!;
      assert.deepEqual(timestamped.get('k'), { value: 'v', timestamp: 0 });
    } finally {
      driver.close();
    }
  });

  it('refuses a global table of another builder', () => {
    const global = new StreamsBuilder().globalTable<string, string>('g', c);
    const stream = new StreamsBuilder().stream<string, string>('s', c);
    assert.throws(() => stream.join(global, (_k, v) => v, (v) => v), (error: unknown) => error instanceof TopologyError && /global table of the same StreamsBuilder/.test(error.message));
  });

  it('types the selector and joiner from the stream and the global table', () => {
    const builder = new StreamsBuilder();
    const global = builder.globalTable<string, number>('g', { keySerde: S, valueSerde: Serdes.Integer() });
    const stream = builder.stream<string, string>('s', c);
    stream.join(global, (_key, value) => value, (value, count) => value.length + count);
    stream.leftJoin(global, (_key, value) => value, (_value, count) => count ?? 0);
    // @ts-expect-error the global table's keys are strings
    stream.join(global, (_key, value) => value.length, (value) => value);
    // @ts-expect-error a left join's global value may be null
    stream.leftJoin(global, (_key, value) => value, (_value, count: number) => count);
  });
});
