import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { Stores } from '../../../src/state/stores.js';
import { formatTopologyText } from '../../../src/topology/describe/format-topology-text.js';
import { StreamsBuilder } from '../../../src/topology/dsl/streams-builder.js';
import { Topology } from '../../../src/topology/topology.js';

const S = Serdes.String();
const c = { keySerde: S, valueSerde: S };
const joiner = (value: string, globalValue: string | null): string => `${value}|${globalValue}`;
const byValue = (_key: string, value: string): string => value;

/**
 * The same DSL calls through Kafka Streams 4.1.2 (`describe().toString()`), printed by a throwaway Java main on the
 * classpath of `scripts/parity/java` (kafka-streams 4.1.2): `builder.globalTable(topic, Consumed.with(String,
 * String))`, `(k, v) -> v` as key selector, `(a, b) -> a + "|" + b` as joiner; `named` used
 * `Consumed.…withName("regions")`, `Materialized.as("region-store")` and `Named.as("enrich")`; `papi` is
 * `Topology.addGlobalStore(keyValueStoreBuilder(inMemoryKeyValueStore("gs"), …).withLoggingDisabled(), "gsource",
 * …, "right", "gproc", …)` after `addSource("in", "left")` and before `addProcessor("p", …, "in")`.
 */
const GOLDEN: { readonly [scenario: string]: string } = {
  'inner': [
    'Topologies:',
    '   Sub-topology: 0 for global store (will not generate tasks)',
    '    Source: KSTREAM-SOURCE-0000000001 (topics: [right])',
    '      --> KTABLE-SOURCE-0000000002',
    '    Processor: KTABLE-SOURCE-0000000002 (stores: [right-STATE-STORE-0000000000])',
    '      --> none',
    '      <-- KSTREAM-SOURCE-0000000001',
    '  Sub-topology: 1',
    '    Source: KSTREAM-SOURCE-0000000003 (topics: [left])',
    '      --> KSTREAM-LEFTJOIN-0000000004',
    '    Processor: KSTREAM-LEFTJOIN-0000000004 (stores: [])',
    '      --> KSTREAM-SINK-0000000005',
    '      <-- KSTREAM-SOURCE-0000000003',
    '    Sink: KSTREAM-SINK-0000000005 (topic: out)',
    '      <-- KSTREAM-LEFTJOIN-0000000004',
    '',
    '',
  ].join('\n'),
  'left': [
    'Topologies:',
    '   Sub-topology: 0 for global store (will not generate tasks)',
    '    Source: KSTREAM-SOURCE-0000000001 (topics: [right])',
    '      --> KTABLE-SOURCE-0000000002',
    '    Processor: KTABLE-SOURCE-0000000002 (stores: [right-STATE-STORE-0000000000])',
    '      --> none',
    '      <-- KSTREAM-SOURCE-0000000001',
    '  Sub-topology: 1',
    '    Source: KSTREAM-SOURCE-0000000003 (topics: [left])',
    '      --> KSTREAM-LEFTJOIN-0000000004',
    '    Processor: KSTREAM-LEFTJOIN-0000000004 (stores: [])',
    '      --> KSTREAM-SINK-0000000005',
    '      <-- KSTREAM-SOURCE-0000000003',
    '    Sink: KSTREAM-SINK-0000000005 (topic: out)',
    '      <-- KSTREAM-LEFTJOIN-0000000004',
    '',
    '',
  ].join('\n'),
  'named': [
    'Topologies:',
    '   Sub-topology: 0 for global store (will not generate tasks)',
    '    Source: regions-source (topics: [right])',
    '      --> regions',
    '    Processor: regions (stores: [region-store])',
    '      --> none',
    '      <-- regions-source',
    '  Sub-topology: 1',
    '    Source: KSTREAM-SOURCE-0000000002 (topics: [left])',
    '      --> enrich',
    '    Processor: enrich (stores: [])',
    '      --> KSTREAM-SINK-0000000004',
    '      <-- KSTREAM-SOURCE-0000000002',
    '    Sink: KSTREAM-SINK-0000000004 (topic: out)',
    '      <-- enrich',
    '',
    '',
  ].join('\n'),
  'stream-first': [
    'Topologies:',
    '   Sub-topology: 0',
    '    Source: KSTREAM-SOURCE-0000000000 (topics: [left])',
    '      --> KSTREAM-LEFTJOIN-0000000004',
    '    Processor: KSTREAM-LEFTJOIN-0000000004 (stores: [])',
    '      --> KSTREAM-SINK-0000000005',
    '      <-- KSTREAM-SOURCE-0000000000',
    '    Sink: KSTREAM-SINK-0000000005 (topic: out)',
    '      <-- KSTREAM-LEFTJOIN-0000000004',
    '',
    '  Sub-topology: 1 for global store (will not generate tasks)',
    '    Source: KSTREAM-SOURCE-0000000002 (topics: [right])',
    '      --> KTABLE-SOURCE-0000000003',
    '    Processor: KTABLE-SOURCE-0000000003 (stores: [right-STATE-STORE-0000000001])',
    '      --> none',
    '      <-- KSTREAM-SOURCE-0000000002',
    '',
  ].join('\n'),
  'key-changed': [
    'Topologies:',
    '   Sub-topology: 0 for global store (will not generate tasks)',
    '    Source: KSTREAM-SOURCE-0000000001 (topics: [right])',
    '      --> KTABLE-SOURCE-0000000002',
    '    Processor: KTABLE-SOURCE-0000000002 (stores: [right-STATE-STORE-0000000000])',
    '      --> none',
    '      <-- KSTREAM-SOURCE-0000000001',
    '  Sub-topology: 1',
    '    Source: KSTREAM-SOURCE-0000000003 (topics: [left])',
    '      --> KSTREAM-KEY-SELECT-0000000004',
    '    Processor: KSTREAM-KEY-SELECT-0000000004 (stores: [])',
    '      --> KSTREAM-LEFTJOIN-0000000005',
    '      <-- KSTREAM-SOURCE-0000000003',
    '    Processor: KSTREAM-LEFTJOIN-0000000005 (stores: [])',
    '      --> KSTREAM-FILTER-0000000009',
    '      <-- KSTREAM-KEY-SELECT-0000000004',
    '    Processor: KSTREAM-FILTER-0000000009 (stores: [])',
    '      --> KSTREAM-SINK-0000000008',
    '      <-- KSTREAM-LEFTJOIN-0000000005',
    '    Sink: KSTREAM-SINK-0000000008 (topic: KSTREAM-AGGREGATE-STATE-STORE-0000000006-repartition)',
    '      <-- KSTREAM-FILTER-0000000009',
    '',
    '  Sub-topology: 2',
    '    Source: KSTREAM-SOURCE-0000000010 (topics: [KSTREAM-AGGREGATE-STATE-STORE-0000000006-repartition])',
    '      --> KSTREAM-AGGREGATE-0000000007',
    '    Processor: KSTREAM-AGGREGATE-0000000007 (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000006])',
    '      --> KTABLE-TOSTREAM-0000000011',
    '      <-- KSTREAM-SOURCE-0000000010',
    '    Processor: KTABLE-TOSTREAM-0000000011 (stores: [])',
    '      --> KSTREAM-SINK-0000000012',
    '      <-- KSTREAM-AGGREGATE-0000000007',
    '    Sink: KSTREAM-SINK-0000000012 (topic: out)',
    '      <-- KTABLE-TOSTREAM-0000000011',
    '',
    '',
  ].join('\n'),
  'two-globals': [
    'Topologies:',
    '   Sub-topology: 0 for global store (will not generate tasks)',
    '    Source: KSTREAM-SOURCE-0000000001 (topics: [right])',
    '      --> KTABLE-SOURCE-0000000002',
    '    Processor: KTABLE-SOURCE-0000000002 (stores: [right-STATE-STORE-0000000000])',
    '      --> none',
    '      <-- KSTREAM-SOURCE-0000000001',
    '  Sub-topology: 1',
    '    Source: KSTREAM-SOURCE-0000000003 (topics: [left])',
    '      --> KSTREAM-LEFTJOIN-0000000007',
    '    Processor: KSTREAM-LEFTJOIN-0000000007 (stores: [])',
    '      --> KSTREAM-LEFTJOIN-0000000008',
    '      <-- KSTREAM-SOURCE-0000000003',
    '    Processor: KSTREAM-LEFTJOIN-0000000008 (stores: [])',
    '      --> KSTREAM-SINK-0000000009',
    '      <-- KSTREAM-LEFTJOIN-0000000007',
    '    Sink: KSTREAM-SINK-0000000009 (topic: out)',
    '      <-- KSTREAM-LEFTJOIN-0000000008',
    '',
    '  Sub-topology: 2 for global store (will not generate tasks)',
    '    Source: KSTREAM-SOURCE-0000000005 (topics: [other])',
    '      --> KTABLE-SOURCE-0000000006',
    '    Processor: KTABLE-SOURCE-0000000006 (stores: [other-STATE-STORE-0000000004])',
    '      --> none',
    '      <-- KSTREAM-SOURCE-0000000005',
    '',
  ].join('\n'),
  'global-only': [
    'Topologies:',
    '   Sub-topology: 0 for global store (will not generate tasks)',
    '    Source: KSTREAM-SOURCE-0000000001 (topics: [right])',
    '      --> KTABLE-SOURCE-0000000002',
    '    Processor: KTABLE-SOURCE-0000000002 (stores: [right-STATE-STORE-0000000000])',
    '      --> none',
    '      <-- KSTREAM-SOURCE-0000000001',
    '',
  ].join('\n'),
  'two-globals-first': [
    'Topologies:',
    '   Sub-topology: 0 for global store (will not generate tasks)',
    '    Source: KSTREAM-SOURCE-0000000001 (topics: [right])',
    '      --> KTABLE-SOURCE-0000000002',
    '    Processor: KTABLE-SOURCE-0000000002 (stores: [right-STATE-STORE-0000000000])',
    '      --> none',
    '      <-- KSTREAM-SOURCE-0000000001',
    '  Sub-topology: 1 for global store (will not generate tasks)',
    '    Source: KSTREAM-SOURCE-0000000003 (topics: [other])',
    '      --> KTABLE-SOURCE-0000000004',
    '    Processor: KTABLE-SOURCE-0000000004 (stores: [other-store])',
    '      --> none',
    '      <-- KSTREAM-SOURCE-0000000003',
    '  Sub-topology: 2',
    '    Source: KSTREAM-SOURCE-0000000005 (topics: [left])',
    '      --> KSTREAM-SINK-0000000006',
    '    Sink: KSTREAM-SINK-0000000006 (topic: out)',
    '      <-- KSTREAM-SOURCE-0000000005',
    '',
    '',
  ].join('\n'),
  'papi': [
    'Topologies:',
    '   Sub-topology: 0',
    '    Source: in (topics: [left])',
    '      --> p',
    '    Processor: p (stores: [])',
    '      --> none',
    '      <-- in',
    '',
    '  Sub-topology: 1 for global store (will not generate tasks)',
    '    Source: gsource (topics: [right])',
    '      --> gproc',
    '    Processor: gproc (stores: [gs])',
    '      --> none',
    '      <-- gsource',
    '',
  ].join('\n'),
};

const BUILDS: { readonly [scenario: string]: () => Topology } = {
  inner: () => {
    const b = new StreamsBuilder();
    const global = b.globalTable<string, string>('right', c);
    b.stream<string, string>('left', c).join(global, byValue, joiner).to('out', c);
    return b.build();
  },
  left: () => {
    const b = new StreamsBuilder();
    const global = b.globalTable<string, string>('right', c);
    b.stream<string, string>('left', c).leftJoin(global, byValue, joiner).to('out', c);
    return b.build();
  },
  named: () => {
    const b = new StreamsBuilder();
    const global = b.globalTable<string, string>('right', { ...c, name: 'regions', storeName: 'region-store' });
    b.stream<string, string>('left', c).join(global, byValue, joiner, { name: 'enrich' }).to('out', c);
    return b.build();
  },
  'stream-first': () => {
    const b = new StreamsBuilder();
    const stream = b.stream<string, string>('left', c);
    const global = b.globalTable<string, string>('right', c);
    stream.leftJoin(global, byValue, joiner).to('out', c);
    return b.build();
  },
  'key-changed': () => {
    const b = new StreamsBuilder();
    const global = b.globalTable<string, string>('right', c);
    b.stream<string, string>('left', c)
      .selectKey((_key, value) => value)
      .join(global, (key) => key, joiner)
      .groupByKey({ ...c })
      .count()
      .toStream()
      .to('out', { keySerde: S, valueSerde: Serdes.Long() });
    return b.build();
  },
  'two-globals': () => {
    const b = new StreamsBuilder();
    const first = b.globalTable<string, string>('right', c);
    const stream = b.stream<string, string>('left', c);
    const second = b.globalTable<string, string>('other', c);
    stream.join(first, byValue, joiner).leftJoin(second, byValue, joiner).to('out', c);
    return b.build();
  },
  'global-only': () => {
    const b = new StreamsBuilder();
    b.globalTable('right', c);
    return b.build();
  },
  'two-globals-first': () => {
    const b = new StreamsBuilder();
    b.globalTable('right', c);
    b.globalTable('other', { ...c, storeName: 'other-store' });
    b.stream('left', c).to('out', c);
    return b.build();
  },
  papi: () =>
    new Topology()
      .addSource('in', 'left')
      .addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('gs'), S, S).withLoggingDisabled(), 'gsource', 'right', c, 'gproc', () => ({
        process: () => undefined,
      }))
      .addProcessor('p', () => ({ process: () => undefined }), 'in'),
};

describe('GlobalKTable and stream-global join describe(), byte for byte with Kafka Streams 4.1.2', () => {
  for (const [scenario, build] of Object.entries(BUILDS)) {
    it(scenario, () => assert.equal(formatTopologyText(build().describe()), GOLDEN[scenario]));
  }

  it('numbers global stores with the sub-topologies, so task ids skip them', () => {
    const compiled = BUILDS['two-globals']!().build();
    assert.deepEqual(
      compiled.globalStores.map((store) => [store.id, store.topic, store.storeName]),
      [
        [0, 'right', 'right-STATE-STORE-0000000000'],
        [2, 'other', 'other-STATE-STORE-0000000004'],
      ],
    );
    assert.deepEqual(compiled.subtopologies.map((subtopology) => subtopology.id), [1]);
  });

  it('declares no co-partition group: a global table needs none', () => {
    assert.deepEqual(BUILDS.left!().build().copartitionGroups, []);
  });
});
