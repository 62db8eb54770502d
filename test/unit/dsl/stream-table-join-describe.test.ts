import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { formatTopologyText } from '../../../src/topology/describe/format-topology-text.js';
import type { KTable } from '../../../src/topology/dsl/dsl-api.js';
import { StreamsBuilder } from '../../../src/topology/dsl/streams-builder.js';
import { JoinWindows } from '../../../src/windows/join-windows.js';

const S = Serdes.String();
const c = { keySerde: S, valueSerde: S };
const joiner = (value: string, tableValue: string | null): string => `${value}|${tableValue}`;
const versioned = (b: StreamsBuilder, retentionMs: number): KTable<string, string> =>
  b.table<string, string>('right', { ...c, storeName: 'right-store', versioned: { historyRetentionMs: retentionMs } });

/**
 * The same DSL calls through Kafka Streams 4.1.2 (`new StreamsBuilder()`, `describe().toString()`), printed by a
 * throwaway Java main on the classpath of `scripts/parity/java` (kafka-streams 4.1.2); Java's joiners were
 * `(a, b) -> a + "|" + b`, tables `builder.table("right", Consumed.with(String, String))`, versioned ones
 * `Materialized.as(Stores.persistentVersionedKeyValueStore("right-store", 100 ms))`, `Joined.with(String, String,
 * String)` with `withName` / `withGracePeriod(10 ms)` where named below.
 */
const GOLDEN: { readonly [scenario: string]: string } = {
  'inner': [
    'Topologies:',
    '   Sub-topology: 0',
    '    Source: KSTREAM-SOURCE-0000000000 (topics: [left])',
    '      --> KSTREAM-JOIN-0000000004',
    '    Processor: KSTREAM-JOIN-0000000004 (stores: [right-STATE-STORE-0000000001])',
    '      --> KSTREAM-SINK-0000000005',
    '      <-- KSTREAM-SOURCE-0000000000',
    '    Source: KSTREAM-SOURCE-0000000002 (topics: [right])',
    '      --> KTABLE-SOURCE-0000000003',
    '    Sink: KSTREAM-SINK-0000000005 (topic: out)',
    '      <-- KSTREAM-JOIN-0000000004',
    '    Processor: KTABLE-SOURCE-0000000003 (stores: [right-STATE-STORE-0000000001])',
    '      --> none',
    '      <-- KSTREAM-SOURCE-0000000002',
    '',
    '',
  ].join('\n'),
  'left-table-first': [
    'Topologies:',
    '   Sub-topology: 0',
    '    Source: KSTREAM-SOURCE-0000000003 (topics: [left])',
    '      --> KSTREAM-LEFTJOIN-0000000004',
    '    Processor: KSTREAM-LEFTJOIN-0000000004 (stores: [right-STATE-STORE-0000000000])',
    '      --> KSTREAM-SINK-0000000005',
    '      <-- KSTREAM-SOURCE-0000000003',
    '    Source: KSTREAM-SOURCE-0000000001 (topics: [right])',
    '      --> KTABLE-SOURCE-0000000002',
    '    Sink: KSTREAM-SINK-0000000005 (topic: out)',
    '      <-- KSTREAM-LEFTJOIN-0000000004',
    '    Processor: KTABLE-SOURCE-0000000002 (stores: [right-STATE-STORE-0000000000])',
    '      --> none',
    '      <-- KSTREAM-SOURCE-0000000001',
    '',
    '',
  ].join('\n'),
  'named': [
    'Topologies:',
    '   Sub-topology: 0',
    '    Source: KSTREAM-SOURCE-0000000000 (topics: [left])',
    '      --> enrich',
    '    Source: KSTREAM-SOURCE-0000000001 (topics: [right])',
    '      --> KTABLE-SOURCE-0000000002',
    '    Processor: enrich (stores: [right-store])',
    '      --> KSTREAM-SINK-0000000004',
    '      <-- KSTREAM-SOURCE-0000000000',
    '    Sink: KSTREAM-SINK-0000000004 (topic: out)',
    '      <-- enrich',
    '    Processor: KTABLE-SOURCE-0000000002 (stores: [right-store])',
    '      --> none',
    '      <-- KSTREAM-SOURCE-0000000001',
    '',
    '',
  ].join('\n'),
  'repartitioned': [
    'Topologies:',
    '   Sub-topology: 0',
    '    Source: KSTREAM-SOURCE-0000000000 (topics: [left])',
    '      --> KSTREAM-KEY-SELECT-0000000001',
    '    Processor: KSTREAM-KEY-SELECT-0000000001 (stores: [])',
    '      --> KSTREAM-FILTER-0000000006',
    '      <-- KSTREAM-SOURCE-0000000000',
    '    Processor: KSTREAM-FILTER-0000000006 (stores: [])',
    '      --> KSTREAM-SINK-0000000005',
    '      <-- KSTREAM-KEY-SELECT-0000000001',
    '    Sink: KSTREAM-SINK-0000000005 (topic: KSTREAM-KEY-SELECT-0000000001-repartition)',
    '      <-- KSTREAM-FILTER-0000000006',
    '',
    '  Sub-topology: 1',
    '    Source: KSTREAM-SOURCE-0000000007 (topics: [KSTREAM-KEY-SELECT-0000000001-repartition])',
    '      --> KSTREAM-JOIN-0000000008',
    '    Processor: KSTREAM-JOIN-0000000008 (stores: [right-STATE-STORE-0000000002])',
    '      --> KSTREAM-SINK-0000000009',
    '      <-- KSTREAM-SOURCE-0000000007',
    '    Source: KSTREAM-SOURCE-0000000003 (topics: [right])',
    '      --> KTABLE-SOURCE-0000000004',
    '    Sink: KSTREAM-SINK-0000000009 (topic: out)',
    '      <-- KSTREAM-JOIN-0000000008',
    '    Processor: KTABLE-SOURCE-0000000004 (stores: [right-STATE-STORE-0000000002])',
    '      --> none',
    '      <-- KSTREAM-SOURCE-0000000003',
    '',
    '',
  ].join('\n'),
  'repartitioned-named-left': [
    'Topologies:',
    '   Sub-topology: 0',
    '    Source: KSTREAM-SOURCE-0000000000 (topics: [left])',
    '      --> KSTREAM-MAP-0000000001',
    '    Processor: KSTREAM-MAP-0000000001 (stores: [])',
    '      --> enrich-repartition-filter',
    '      <-- KSTREAM-SOURCE-0000000000',
    '    Processor: enrich-repartition-filter (stores: [])',
    '      --> enrich-repartition-sink',
    '      <-- KSTREAM-MAP-0000000001',
    '    Sink: enrich-repartition-sink (topic: enrich-repartition)',
    '      <-- enrich-repartition-filter',
    '',
    '  Sub-topology: 1',
    '    Source: enrich-repartition-source (topics: [enrich-repartition])',
    '      --> enrich',
    '    Source: KSTREAM-SOURCE-0000000003 (topics: [right])',
    '      --> KTABLE-SOURCE-0000000004',
    '    Processor: enrich (stores: [right-STATE-STORE-0000000002])',
    '      --> KSTREAM-SINK-0000000009',
    '      <-- enrich-repartition-source',
    '    Sink: KSTREAM-SINK-0000000009 (topic: out)',
    '      <-- enrich',
    '    Processor: KTABLE-SOURCE-0000000004 (stores: [right-STATE-STORE-0000000002])',
    '      --> none',
    '      <-- KSTREAM-SOURCE-0000000003',
    '',
    '',
  ].join('\n'),
  'repartitioned-twice': [
    'Topologies:',
    '   Sub-topology: 0',
    '    Source: KSTREAM-SOURCE-0000000000 (topics: [left])',
    '      --> KSTREAM-KEY-SELECT-0000000001',
    '    Processor: KSTREAM-KEY-SELECT-0000000001 (stores: [])',
    '      --> KSTREAM-FILTER-0000000006',
    '      <-- KSTREAM-SOURCE-0000000000',
    '    Processor: KSTREAM-FILTER-0000000006 (stores: [])',
    '      --> KSTREAM-SINK-0000000005',
    '      <-- KSTREAM-KEY-SELECT-0000000001',
    '    Sink: KSTREAM-SINK-0000000005 (topic: KSTREAM-KEY-SELECT-0000000001-repartition)',
    '      <-- KSTREAM-FILTER-0000000006',
    '',
    '  Sub-topology: 1',
    '    Source: KSTREAM-SOURCE-0000000007 (topics: [KSTREAM-KEY-SELECT-0000000001-repartition])',
    '      --> KSTREAM-LEFTJOIN-0000000013, KSTREAM-JOIN-0000000008',
    '    Processor: KSTREAM-JOIN-0000000008 (stores: [right-STATE-STORE-0000000002])',
    '      --> KSTREAM-SINK-0000000009',
    '      <-- KSTREAM-SOURCE-0000000007',
    '    Processor: KSTREAM-LEFTJOIN-0000000013 (stores: [right-STATE-STORE-0000000002])',
    '      --> KSTREAM-SINK-0000000014',
    '      <-- KSTREAM-SOURCE-0000000007',
    '    Source: KSTREAM-SOURCE-0000000003 (topics: [right])',
    '      --> KTABLE-SOURCE-0000000004',
    '    Sink: KSTREAM-SINK-0000000009 (topic: out)',
    '      <-- KSTREAM-JOIN-0000000008',
    '    Sink: KSTREAM-SINK-0000000014 (topic: out2)',
    '      <-- KSTREAM-LEFTJOIN-0000000013',
    '    Processor: KTABLE-SOURCE-0000000004 (stores: [right-STATE-STORE-0000000002])',
    '      --> none',
    '      <-- KSTREAM-SOURCE-0000000003',
    '',
    '',
  ].join('\n'),
  'filtered-table': [
    'Topologies:',
    '   Sub-topology: 0',
    '    Source: KSTREAM-SOURCE-0000000002 (topics: [right])',
    '      --> KTABLE-SOURCE-0000000003',
    '    Source: KSTREAM-SOURCE-0000000000 (topics: [left])',
    '      --> KSTREAM-JOIN-0000000006',
    '    Processor: KTABLE-SOURCE-0000000003 (stores: [right-STATE-STORE-0000000001])',
    '      --> KTABLE-FILTER-0000000004',
    '      <-- KSTREAM-SOURCE-0000000002',
    '    Processor: KSTREAM-JOIN-0000000006 (stores: [right-STATE-STORE-0000000001])',
    '      --> KSTREAM-SINK-0000000007',
    '      <-- KSTREAM-SOURCE-0000000000',
    '    Processor: KTABLE-FILTER-0000000004 (stores: [])',
    '      --> KTABLE-MAPVALUES-0000000005',
    '      <-- KTABLE-SOURCE-0000000003',
    '    Sink: KSTREAM-SINK-0000000007 (topic: out)',
    '      <-- KSTREAM-JOIN-0000000006',
    '    Processor: KTABLE-MAPVALUES-0000000005 (stores: [])',
    '      --> none',
    '      <-- KTABLE-FILTER-0000000004',
    '',
    '',
  ].join('\n'),
  'grace': [
    'Topologies:',
    '   Sub-topology: 0',
    '    Source: KSTREAM-SOURCE-0000000002 (topics: [left])',
    '      --> KSTREAM-JOIN-0000000003',
    '    Processor: KSTREAM-JOIN-0000000003 (stores: [right-store, KSTREAM-JOIN-0000000003-Buffer])',
    '      --> KSTREAM-SINK-0000000004',
    '      <-- KSTREAM-SOURCE-0000000002',
    '    Source: KSTREAM-SOURCE-0000000000 (topics: [right])',
    '      --> KTABLE-SOURCE-0000000001',
    '    Sink: KSTREAM-SINK-0000000004 (topic: out)',
    '      <-- KSTREAM-JOIN-0000000003',
    '    Processor: KTABLE-SOURCE-0000000001 (stores: [right-store])',
    '      --> none',
    '      <-- KSTREAM-SOURCE-0000000000',
    '',
    '',
  ].join('\n'),
  'grace-named-left-repartitioned': [
    'Topologies:',
    '   Sub-topology: 0',
    '    Source: late-repartition-source (topics: [late-repartition])',
    '      --> late',
    '    Source: KSTREAM-SOURCE-0000000000 (topics: [right])',
    '      --> KTABLE-SOURCE-0000000001',
    '    Processor: late (stores: [right-store, late-Buffer])',
    '      --> KSTREAM-SINK-0000000008',
    '      <-- late-repartition-source',
    '    Sink: KSTREAM-SINK-0000000008 (topic: out)',
    '      <-- late',
    '    Processor: KTABLE-SOURCE-0000000001 (stores: [right-store])',
    '      --> none',
    '      <-- KSTREAM-SOURCE-0000000000',
    '',
    '  Sub-topology: 1',
    '    Source: KSTREAM-SOURCE-0000000002 (topics: [left])',
    '      --> KSTREAM-KEY-SELECT-0000000003',
    '    Processor: KSTREAM-KEY-SELECT-0000000003 (stores: [])',
    '      --> late-repartition-filter',
    '      <-- KSTREAM-SOURCE-0000000002',
    '    Processor: late-repartition-filter (stores: [])',
    '      --> late-repartition-sink',
    '      <-- KSTREAM-KEY-SELECT-0000000003',
    '    Sink: late-repartition-sink (topic: late-repartition)',
    '      <-- late-repartition-filter',
    '',
    '',
  ].join('\n'),  'stream-and-stream-stream-join-share-repartition': [
    'Topologies:',
    '   Sub-topology: 0',
    '    Source: KSTREAM-SOURCE-0000000000 (topics: [left])',
    '      --> KSTREAM-KEY-SELECT-0000000001',
    '    Processor: KSTREAM-KEY-SELECT-0000000001 (stores: [])',
    '      --> KSTREAM-FILTER-0000000007',
    '      <-- KSTREAM-SOURCE-0000000000',
    '    Processor: KSTREAM-FILTER-0000000007 (stores: [])',
    '      --> KSTREAM-SINK-0000000006',
    '      <-- KSTREAM-KEY-SELECT-0000000001',
    '    Sink: KSTREAM-SINK-0000000006 (topic: KSTREAM-KEY-SELECT-0000000001-repartition)',
    '      <-- KSTREAM-FILTER-0000000007',
    '',
    '  Sub-topology: 1',
    '    Source: KSTREAM-SOURCE-0000000008 (topics: [KSTREAM-KEY-SELECT-0000000001-repartition])',
    '      --> KSTREAM-JOIN-0000000009, KSTREAM-WINDOWED-0000000014',
    '    Source: KSTREAM-SOURCE-0000000005 (topics: [other])',
    '      --> KSTREAM-WINDOWED-0000000015',
    '    Processor: KSTREAM-WINDOWED-0000000014 (stores: [KSTREAM-JOINTHIS-0000000016-store])',
    '      --> KSTREAM-JOINTHIS-0000000016',
    '      <-- KSTREAM-SOURCE-0000000008',
    '    Processor: KSTREAM-WINDOWED-0000000015 (stores: [KSTREAM-JOINOTHER-0000000017-store])',
    '      --> KSTREAM-JOINOTHER-0000000017',
    '      <-- KSTREAM-SOURCE-0000000005',
    '    Processor: KSTREAM-JOINOTHER-0000000017 (stores: [KSTREAM-JOINTHIS-0000000016-store])',
    '      --> KSTREAM-MERGE-0000000018',
    '      <-- KSTREAM-WINDOWED-0000000015',
    '    Processor: KSTREAM-JOINTHIS-0000000016 (stores: [KSTREAM-JOINOTHER-0000000017-store])',
    '      --> KSTREAM-MERGE-0000000018',
    '      <-- KSTREAM-WINDOWED-0000000014',
    '    Processor: KSTREAM-JOIN-0000000009 (stores: [right-STATE-STORE-0000000002])',
    '      --> KSTREAM-SINK-0000000010',
    '      <-- KSTREAM-SOURCE-0000000008',
    '    Processor: KSTREAM-MERGE-0000000018 (stores: [])',
    '      --> KSTREAM-SINK-0000000019',
    '      <-- KSTREAM-JOINTHIS-0000000016, KSTREAM-JOINOTHER-0000000017',
    '    Source: KSTREAM-SOURCE-0000000003 (topics: [right])',
    '      --> KTABLE-SOURCE-0000000004',
    '    Sink: KSTREAM-SINK-0000000010 (topic: out)',
    '      <-- KSTREAM-JOIN-0000000009',
    '    Sink: KSTREAM-SINK-0000000019 (topic: out2)',
    '      <-- KSTREAM-MERGE-0000000018',
    '    Processor: KTABLE-SOURCE-0000000004 (stores: [right-STATE-STORE-0000000002])',
    '      --> none',
    '      <-- KSTREAM-SOURCE-0000000003',
    '',
    '',
  ].join('\n'),
};

const SCENARIOS: ReadonlyArray<[string, (b: StreamsBuilder) => void]> = [
  ['inner', (b) => b.stream<string, string>('left', c).join(b.table<string, string>('right', c), joiner).to('out')],
  [
    'left-table-first',
    (b) => {
      const table = b.table<string, string>('right', c);
      b.stream<string, string>('left', c).leftJoin(table, joiner).to('out');
    },
  ],
  [
    'named',
    (b) => {
      const stream = b.stream<string, string>('left', c);
      stream.join(b.table<string, string>('right', { ...c, storeName: 'right-store' }), joiner, { ...c, otherValueSerde: S, name: 'enrich' }).to('out');
    },
  ],
  [
    'repartitioned',
    (b) => {
      const stream = b.stream<string, string>('left', c).selectKey((_key, value) => value);
      stream.join(b.table<string, string>('right', c), joiner).to('out');
    },
  ],
  [
    'repartitioned-named-left',
    (b) => {
      const stream = b.stream<string, string>('left', c).map((key, value) => ({ key: value, value: key }));
      stream.leftJoin(b.table<string, string>('right', c), joiner, { ...c, name: 'enrich' }).to('out');
    },
  ],
  [
    'repartitioned-twice',
    (b) => {
      const stream = b.stream<string, string>('left', c).selectKey((_key, value) => value);
      const table = b.table<string, string>('right', c);
      stream.join(table, joiner).to('out');
      stream.leftJoin(table, joiner).to('out2');
    },
  ],
  [
    'filtered-table',
    (b) => {
      const stream = b.stream<string, string>('left', c);
      const table = b.table<string, string>('right', c).filter((_key, value) => value !== null).mapValues((value) => `${value}!`);
      stream.join(table, joiner).to('out');
    },
  ],
  [
    'grace',
    (b) => {
      const table = versioned(b, 100);
      b.stream<string, string>('left', c).join(table, joiner, { ...c, gracePeriodMs: 10 }).to('out');
    },
  ],
  [
    'grace-named-left-repartitioned',
    (b) => {
      const table = versioned(b, 100);
      const stream = b.stream<string, string>('left', c).selectKey((_key, value) => value);
      stream.leftJoin(table, joiner, { ...c, gracePeriodMs: 10, name: 'late' }).to('out');
    },
  ],
  [
    // Java: `s.join(t, …)` then `s.join(o, …, JoinWindows.ofTimeDifferenceWithNoGrace(10 ms))` without StreamJoined.
    'stream-and-stream-stream-join-share-repartition',
    (b) => {
      const stream = b.stream<string, string>('left', c).selectKey((_key, value) => value);
      const table = b.table<string, string>('right', c);
      const other = b.stream<string, string>('other', c);
      stream.join(table, joiner).to('out');
      stream.join(other, (value, otherValue) => `${value}${otherValue}`, JoinWindows.ofTimeDifferenceWithNoGrace(10), { ...c, otherValueSerde: S }).to('out2');
    },
  ],
];

describe('stream-table join describe() (golden texts from Kafka Streams 4.1.2)', () => {
  for (const [name, build] of SCENARIOS) {
    it(name, () => {
      const builder = new StreamsBuilder();
      build(builder);
      assert.equal(formatTopologyText(builder.build().describe()), GOLDEN[name]);
    });
  }

  it('refuses a grace period on a table that is not versioned, or keeps less history (Kafka Streams: IllegalArgumentException)', () => {
    const plain = new StreamsBuilder();
    const table = plain.table<string, string>('right', c);
    assert.throws(
      () => plain.stream<string, string>('left', c).join(table, joiner, { gracePeriodMs: 10 }),
      /KTable must be versioned to use a grace period in a stream table join\./,
    );
    const short = new StreamsBuilder();
    const shortTable = versioned(short, 5);
    assert.throws(() => short.stream<string, string>('left', c).join(shortTable, joiner, { gracePeriodMs: 10 }), /History retention must be at least grace period\./);
    const filtered = new StreamsBuilder();
    const filteredTable = versioned(filtered, 100).filter(() => true);
    assert.doesNotThrow(() => filtered.stream<string, string>('left', c).join(filteredTable, joiner, { ...c, gracePeriodMs: 10 }), 'a view reads the versioned source');
  });

  it('refuses a table of another builder', () => {
    const table = new StreamsBuilder().table<string, string>('right', c);
    assert.throws(() => new StreamsBuilder().stream<string, string>('left', c).join(table, joiner), /same StreamsBuilder/);
  });
});
