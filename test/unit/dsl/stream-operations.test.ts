import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProcessorContext } from '../../../src/core/processor.js';
import { Serdes } from '../../../src/core/serdes.js';
import { KeyValue } from '../../../src/state/key-value.js';
import type { KeyValueStore } from '../../../src/state/key-value-store.js';
import { Stores } from '../../../src/state/stores.js';
import { StreamsBuilder } from '../../../src/topology/dsl/streams-builder.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';

const strings = { keySerde: Serdes.String(), valueSerde: Serdes.String() };

/** Builds a topology, pipes `inputs` into topic `in`, returns what reached `out` and lets `extra` look around. */
function run(
  define: (builder: StreamsBuilder) => void,
  inputs: ReadonlyArray<readonly [string | null, string | null]>,
  extra?: (driver: TopologyTestDriver) => void,
): Array<KeyValue<string | null, string | null>> {
  const builder = new StreamsBuilder();
  define(builder);
  const driver = new TopologyTestDriver(builder.build());
  try {
    const input = driver.createInputTopic('in', Serdes.String(), Serdes.String());
    inputs.forEach(([key, value], index) => input.pipeInput(key, value, index));
    extra?.(driver);
    return driver.createOutputTopic('out', Serdes.String(), Serdes.String()).readKeyValuesToList();
  } finally {
    driver.close();
  }
}

const pair = (key: string | null, value: string | null): KeyValue<string | null, string | null> => ({ key, value });

describe('stateless stream operations', () => {
  it('filter, filterNot, map, mapValues, flatMap and flatMapValues transform records in order', () => {
    const out = run(
      (builder) =>
        builder
          .stream('in', strings)
          .filter((_key, value) => value !== 'drop')
          .filterNot((key) => key === 'skip')
          .mapValues((value, key) => `${key}=${value}`)
          .flatMapValues((value) => [value, value.toUpperCase()])
          .map((key, value) => KeyValue.pair(value, key))
          .flatMap((key, value) => [KeyValue.pair(key, value), KeyValue.pair(`${key}!`, value)])
          .to('out', strings),
      [
        ['a', '1'],
        ['b', 'drop'],
        ['skip', '2'],
      ],
    );
    assert.deepEqual(out, [pair('a=1', 'a'), pair('a=1!', 'a'), pair('A=1', 'a'), pair('A=1!', 'a')]);
  });

  it('peek and foreach see every record; merge interleaves two streams in arrival order', () => {
    const seen: string[] = [];
    const out = run(
      (builder) => {
        const left = builder.stream('in', strings).peek((key) => seen.push(`peek ${key}`));
        const right = builder.stream('other', strings);
        left.merge(right).to('out', strings);
        right.foreach((key) => seen.push(`foreach ${key}`));
      },
      [['a', '1']],
      (driver) => driver.createInputTopic('other', Serdes.String(), Serdes.String()).pipeInput('b', '2', 5),
    );
    assert.deepEqual(out, [pair('a', '1'), pair('b', '2')]);
    assert.deepEqual(seen, ['peek a', 'foreach b']);
  });

  it('split sends each record to the first matching branch, unmatched ones to the default branch', () => {
    const out = run(
      (builder) => {
        const branches = builder
          .stream('in', strings)
          .split({ name: 'route-' })
          .branch((_key, value) => value.startsWith('a'), { name: 'a', withChain: (branch) => branch.mapValues((value) => `A:${value}`) })
          .branch((_key, value) => value.startsWith('ab'), { name: 'never' })
          .branch((_key, value) => value.startsWith('b'), { withChain: (branch) => branch.to('out', strings) })
          .defaultBranch({ name: 'rest' });
        assert.deepEqual([...branches.keys()], ['route-a', 'route-never', 'route-rest']);
        branches.get('route-a')!.to('out', strings);
        branches.get('route-rest')!.mapValues((value) => `rest:${value}`).to('out', strings);
      },
      [
        ['1', 'abc'],
        ['2', 'bcd'],
        ['3', 'cde'],
      ],
    );
    assert.deepEqual(out, [pair('1', 'A:abc'), pair('2', 'bcd'), pair('3', 'rest:cde')]);
  });

  it('to() with a topic name extractor picks the topic per record', () => {
    const builder = new StreamsBuilder();
    builder.stream('in', strings).to((key) => `out-${key}`, strings);
    const driver = new TopologyTestDriver(builder.build());
    try {
      driver.createInputTopic('in', Serdes.String(), Serdes.String()).pipeInput('x', 'value', 1);
      assert.deepEqual(driver.createOutputTopic('out-x', Serdes.String(), Serdes.String()).readKeyValuesToList(), [pair('x', 'value')]);
    } finally {
      driver.close();
    }
  });
});

describe('process and processValues', () => {
  it('run Processor API processors with stores added to the builder', () => {
    const out = run(
      (builder) => {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('seen'), Serdes.String(), Serdes.String()));
        builder
          .stream('in', strings)
          .process(() => {
            let context: ProcessorContext<string, string>;
            let store: KeyValueStore<string, string>;
            return {
              init: (processorContext: ProcessorContext<string, string>) => {
                context = processorContext;
                store = context.getStateStore<KeyValueStore<string, string>>('seen');
              },
              process: (record) => {
                const previous = store.get(record.key);
                store.put(record.key, record.value);
                context.forward(record.withKey(`${record.key}:${previous ?? 'new'}`));
              },
            };
          }, 'seen')
          .processValues(() => {
            let context: ProcessorContext<string, string>;
            return {
              init: (processorContext: ProcessorContext<string, string>) => {
                context = processorContext;
              },
              process: (record) => context.forward(record.withValue(record.value.toUpperCase())),
            };
          })
          .to('out', strings);
      },
      [
        ['a', 'x'],
        ['a', 'y'],
      ],
    );
    assert.deepEqual(out, [pair('a:new', 'X'), pair('a:x', 'Y')]);
  });
});

describe('KTable operations', () => {
  it('toTable keeps the latest value per key; a named store is queryable', () => {
    const out = run(
      (builder) => {
        const table = builder.stream('in', strings).toTable({ storeName: 'latest', storeType: 'in-memory' });
        assert.equal(table.queryableStoreName, 'latest');
        table.toStream().to('out', strings);
      },
      [
        ['a', '1'],
        ['a', '2'],
        ['a', null],
      ],
      (driver) => assert.equal(driver.getKeyValueStore<string, string>('latest')?.get('a'), null),
    );
    assert.deepEqual(out, [pair('a', '1'), pair('a', '2'), pair('a', null)]);
  });

  it('filter turns filtered-out updates into deletions, and skips them when old values show nothing to delete', () => {
    const define = (storeName: string | undefined) => (builder: StreamsBuilder) =>
      builder
        .table('in', { ...strings, storeName })
        .filter((_key, value) => value.length > 1)
        .mapValues((value) => value.toUpperCase())
        .toStream()
        .to('out', strings);
    const inputs = [
      ['a', 'x'],
      ['a', 'long'],
      ['a', 'y'],
    ] as const;
    // Without a store the filter has no old values: every filtered-out update is forwarded as a deletion.
    assert.deepEqual(run(define(undefined), inputs), [pair('a', null), pair('a', 'LONG'), pair('a', null)]);
    // A materialized table sends old values, so the filter knows the first update deletes nothing and drops it.
    assert.deepEqual(run(define('table-store'), inputs), [pair('a', 'LONG'), pair('a', null)]);
  });
});

describe('KGroupedStream aggregations', () => {
  for (const storeType of ['persistent', 'in-memory'] as const) {
    it(`aggregate and reduce with a ${storeType} store, skipping records without a value`, () => {
      const out = run(
        (builder) => {
          const grouped = builder.stream('in', strings).groupByKey();
          grouped
            .aggregate(() => '', (_key, value, joined) => joined + value, { storeType, caching: false, valueSerde: Serdes.String() })
            .toStream()
            .to('out', strings);
          grouped
            .reduce((longest, value) => (value.length > longest.length ? value : longest), { storeName: 'longest', storeType })
            .toStream()
            .to('longest', strings);
        },
        [
          ['a', 'x'],
          ['a', null],
          ['a', 'yz'],
          ['b', 'w'],
        ],
        (driver) => {
          assert.deepEqual(driver.createOutputTopic('longest', Serdes.String(), Serdes.String()).readValuesToList(), ['x', 'yz', 'w']);
          assert.equal(driver.getKeyValueStore<string, string>('longest')?.get('a'), 'yz');
        },
      );
      assert.deepEqual(out, [pair('a', 'x'), pair('a', 'xyz'), pair('b', 'w')]);
    });
  }
});
