import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import type { KTable } from '../../../src/topology/dsl/dsl-api.js';
import { StreamsBuilder } from '../../../src/topology/dsl/streams-builder.js';
import { formatTopologyText } from '../../../src/topology/describe/format-topology-text.js';

const c = { keySerde: Serdes.String(), valueSerde: Serdes.String() };
const j = (a: string | null, b: string | null): string => `${String(a)}+${String(b)}`;

function describeJoin(join: (b: StreamsBuilder) => KTable<string, string>): string {
  const b = new StreamsBuilder();
  join(b).toStream().to('out');
  return formatTopologyText(b.build().describe());
}

/**
 * Golden texts printed by Kafka Streams 4.1.2's `Topology.describe()` for the same DSL calls (a throwaway Java main
 * on the classpath of `scripts/parity/java`: `StreamsBuilder.table` + `KTable.join/leftJoin/outerJoin` with the
 * equivalent `Named`/`Materialized`, then `toStream().to("out")`), copied verbatim.
 */
describe('table-table join describe() matches Kafka Streams 4.1.2', () => {
  it('an inner join: both sources materialized, each side connected to the store of the other', () => {
    assert.equal(
      describeJoin((b) => b.table('a', c).join(b.table('b', c), j)),
      `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000001 (topics: [a])
      --> KTABLE-SOURCE-0000000002
    Source: KSTREAM-SOURCE-0000000004 (topics: [b])
      --> KTABLE-SOURCE-0000000005
    Processor: KTABLE-SOURCE-0000000002 (stores: [a-STATE-STORE-0000000000])
      --> KTABLE-JOINTHIS-0000000007
      <-- KSTREAM-SOURCE-0000000001
    Processor: KTABLE-SOURCE-0000000005 (stores: [b-STATE-STORE-0000000003])
      --> KTABLE-JOINOTHER-0000000008
      <-- KSTREAM-SOURCE-0000000004
    Processor: KTABLE-JOINOTHER-0000000008 (stores: [a-STATE-STORE-0000000000])
      --> KTABLE-MERGE-0000000006
      <-- KTABLE-SOURCE-0000000005
    Processor: KTABLE-JOINTHIS-0000000007 (stores: [b-STATE-STORE-0000000003])
      --> KTABLE-MERGE-0000000006
      <-- KTABLE-SOURCE-0000000002
    Processor: KTABLE-MERGE-0000000006 (stores: [])
      --> KTABLE-TOSTREAM-0000000009
      <-- KTABLE-JOINTHIS-0000000007, KTABLE-JOINOTHER-0000000008
    Processor: KTABLE-TOSTREAM-0000000009 (stores: [])
      --> KSTREAM-SINK-0000000010
      <-- KTABLE-MERGE-0000000006
    Sink: KSTREAM-SINK-0000000010 (topic: out)
      <-- KTABLE-TOSTREAM-0000000009

`,
    );
  });

  it('a left join names its processors as the inner join does', () => {
    assert.equal(
      describeJoin((b) => b.table('a', c).leftJoin(b.table('b', c), j)),
      `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000001 (topics: [a])
      --> KTABLE-SOURCE-0000000002
    Source: KSTREAM-SOURCE-0000000004 (topics: [b])
      --> KTABLE-SOURCE-0000000005
    Processor: KTABLE-SOURCE-0000000002 (stores: [a-STATE-STORE-0000000000])
      --> KTABLE-JOINTHIS-0000000007
      <-- KSTREAM-SOURCE-0000000001
    Processor: KTABLE-SOURCE-0000000005 (stores: [b-STATE-STORE-0000000003])
      --> KTABLE-JOINOTHER-0000000008
      <-- KSTREAM-SOURCE-0000000004
    Processor: KTABLE-JOINOTHER-0000000008 (stores: [a-STATE-STORE-0000000000])
      --> KTABLE-MERGE-0000000006
      <-- KTABLE-SOURCE-0000000005
    Processor: KTABLE-JOINTHIS-0000000007 (stores: [b-STATE-STORE-0000000003])
      --> KTABLE-MERGE-0000000006
      <-- KTABLE-SOURCE-0000000002
    Processor: KTABLE-MERGE-0000000006 (stores: [])
      --> KTABLE-TOSTREAM-0000000009
      <-- KTABLE-JOINTHIS-0000000007, KTABLE-JOINOTHER-0000000008
    Processor: KTABLE-TOSTREAM-0000000009 (stores: [])
      --> KSTREAM-SINK-0000000010
      <-- KTABLE-MERGE-0000000006
    Sink: KSTREAM-SINK-0000000010 (topic: out)
      <-- KTABLE-TOSTREAM-0000000009

`,
    );
  });

  it('a named join: <name>, <name>-join-this, <name>-join-other', () => {
    assert.equal(
      describeJoin((b) => b.table('a', c).join(b.table('b', c), j, { name: 'j' })),
      `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000001 (topics: [a])
      --> KTABLE-SOURCE-0000000002
    Source: KSTREAM-SOURCE-0000000004 (topics: [b])
      --> KTABLE-SOURCE-0000000005
    Processor: KTABLE-SOURCE-0000000002 (stores: [a-STATE-STORE-0000000000])
      --> j-join-this
      <-- KSTREAM-SOURCE-0000000001
    Processor: KTABLE-SOURCE-0000000005 (stores: [b-STATE-STORE-0000000003])
      --> j-join-other
      <-- KSTREAM-SOURCE-0000000004
    Processor: j-join-other (stores: [a-STATE-STORE-0000000000])
      --> j
      <-- KTABLE-SOURCE-0000000005
    Processor: j-join-this (stores: [b-STATE-STORE-0000000003])
      --> j
      <-- KTABLE-SOURCE-0000000002
    Processor: j (stores: [])
      --> KTABLE-TOSTREAM-0000000009
      <-- j-join-this, j-join-other
    Processor: KTABLE-TOSTREAM-0000000009 (stores: [])
      --> KSTREAM-SINK-0000000010
      <-- j
    Sink: KSTREAM-SINK-0000000010 (topic: out)
      <-- KTABLE-TOSTREAM-0000000009

`,
    );
  });

  it('store options without a store name burn KTABLE-MERGE-STATE-STORE- first', () => {
    assert.equal(
      describeJoin((b) => b.table('a', c).leftJoin(b.table('b', c), j, { keySerde: Serdes.String(), valueSerde: Serdes.String() })),
      `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000001 (topics: [a])
      --> KTABLE-SOURCE-0000000002
    Source: KSTREAM-SOURCE-0000000004 (topics: [b])
      --> KTABLE-SOURCE-0000000005
    Processor: KTABLE-SOURCE-0000000002 (stores: [a-STATE-STORE-0000000000])
      --> KTABLE-JOINTHIS-0000000008
      <-- KSTREAM-SOURCE-0000000001
    Processor: KTABLE-SOURCE-0000000005 (stores: [b-STATE-STORE-0000000003])
      --> KTABLE-JOINOTHER-0000000009
      <-- KSTREAM-SOURCE-0000000004
    Processor: KTABLE-JOINOTHER-0000000009 (stores: [a-STATE-STORE-0000000000])
      --> KTABLE-MERGE-0000000007
      <-- KTABLE-SOURCE-0000000005
    Processor: KTABLE-JOINTHIS-0000000008 (stores: [b-STATE-STORE-0000000003])
      --> KTABLE-MERGE-0000000007
      <-- KTABLE-SOURCE-0000000002
    Processor: KTABLE-MERGE-0000000007 (stores: [KTABLE-MERGE-STATE-STORE-0000000006])
      --> KTABLE-TOSTREAM-0000000010
      <-- KTABLE-JOINTHIS-0000000008, KTABLE-JOINOTHER-0000000009
    Processor: KTABLE-TOSTREAM-0000000010 (stores: [])
      --> KSTREAM-SINK-0000000011
      <-- KTABLE-MERGE-0000000007
    Sink: KSTREAM-SINK-0000000011 (topic: out)
      <-- KTABLE-TOSTREAM-0000000010

`,
    );
  });

  it('a named outer join with a named store', () => {
    assert.equal(
      describeJoin((b) => b.table('a', c).outerJoin(b.table('b', c), j, { name: 'j', storeName: 'joined', valueSerde: Serdes.String() })),
      `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000001 (topics: [a])
      --> KTABLE-SOURCE-0000000002
    Source: KSTREAM-SOURCE-0000000004 (topics: [b])
      --> KTABLE-SOURCE-0000000005
    Processor: KTABLE-SOURCE-0000000002 (stores: [a-STATE-STORE-0000000000])
      --> j-join-this
      <-- KSTREAM-SOURCE-0000000001
    Processor: KTABLE-SOURCE-0000000005 (stores: [b-STATE-STORE-0000000003])
      --> j-join-other
      <-- KSTREAM-SOURCE-0000000004
    Processor: j-join-other (stores: [a-STATE-STORE-0000000000])
      --> j
      <-- KTABLE-SOURCE-0000000005
    Processor: j-join-this (stores: [b-STATE-STORE-0000000003])
      --> j
      <-- KTABLE-SOURCE-0000000002
    Processor: j (stores: [joined])
      --> KTABLE-TOSTREAM-0000000009
      <-- j-join-this, j-join-other
    Processor: KTABLE-TOSTREAM-0000000009 (stores: [])
      --> KSTREAM-SINK-0000000010
      <-- j
    Sink: KSTREAM-SINK-0000000010 (topic: out)
      <-- KTABLE-TOSTREAM-0000000009

`,
    );
  });

  it('a join result joined again is looked up through the stores of both its sides', () => {
    assert.equal(
      describeJoin((b) => {
        const [t1, t2, t3] = [b.table('a', c), b.table('b', c), b.table('c', c)];
        return t1.join(t2, j).join(t3, j);
      }),
      `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000001 (topics: [a])
      --> KTABLE-SOURCE-0000000002
    Source: KSTREAM-SOURCE-0000000004 (topics: [b])
      --> KTABLE-SOURCE-0000000005
    Processor: KTABLE-SOURCE-0000000002 (stores: [a-STATE-STORE-0000000000])
      --> KTABLE-JOINTHIS-0000000010
      <-- KSTREAM-SOURCE-0000000001
    Processor: KTABLE-SOURCE-0000000005 (stores: [b-STATE-STORE-0000000003])
      --> KTABLE-JOINOTHER-0000000011
      <-- KSTREAM-SOURCE-0000000004
    Source: KSTREAM-SOURCE-0000000007 (topics: [c])
      --> KTABLE-SOURCE-0000000008
    Processor: KTABLE-JOINOTHER-0000000011 (stores: [a-STATE-STORE-0000000000])
      --> KTABLE-MERGE-0000000009
      <-- KTABLE-SOURCE-0000000005
    Processor: KTABLE-JOINTHIS-0000000010 (stores: [b-STATE-STORE-0000000003])
      --> KTABLE-MERGE-0000000009
      <-- KTABLE-SOURCE-0000000002
    Processor: KTABLE-MERGE-0000000009 (stores: [])
      --> KTABLE-JOINTHIS-0000000013
      <-- KTABLE-JOINTHIS-0000000010, KTABLE-JOINOTHER-0000000011
    Processor: KTABLE-SOURCE-0000000008 (stores: [c-STATE-STORE-0000000006])
      --> KTABLE-JOINOTHER-0000000014
      <-- KSTREAM-SOURCE-0000000007
    Processor: KTABLE-JOINOTHER-0000000014 (stores: [a-STATE-STORE-0000000000, b-STATE-STORE-0000000003])
      --> KTABLE-MERGE-0000000012
      <-- KTABLE-SOURCE-0000000008
    Processor: KTABLE-JOINTHIS-0000000013 (stores: [c-STATE-STORE-0000000006])
      --> KTABLE-MERGE-0000000012
      <-- KTABLE-MERGE-0000000009
    Processor: KTABLE-MERGE-0000000012 (stores: [])
      --> KTABLE-TOSTREAM-0000000015
      <-- KTABLE-JOINTHIS-0000000013, KTABLE-JOINOTHER-0000000014
    Processor: KTABLE-TOSTREAM-0000000015 (stores: [])
      --> KSTREAM-SINK-0000000016
      <-- KTABLE-MERGE-0000000012
    Sink: KSTREAM-SINK-0000000016 (topic: out)
      <-- KTABLE-TOSTREAM-0000000015

`,
    );
  });

  it('filtered and mapped sides are looked up through the stores of their sources', () => {
    assert.equal(
      describeJoin((b) => {
        const [t1, t2] = [b.table('a', c), b.table('b', c)];
        return t1.filter((_k, v) => v !== null).leftJoin(t2.mapValues((v) => `${v}!`), j);
      }),
      `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000001 (topics: [a])
      --> KTABLE-SOURCE-0000000002
    Source: KSTREAM-SOURCE-0000000004 (topics: [b])
      --> KTABLE-SOURCE-0000000005
    Processor: KTABLE-SOURCE-0000000002 (stores: [a-STATE-STORE-0000000000])
      --> KTABLE-FILTER-0000000006
      <-- KSTREAM-SOURCE-0000000001
    Processor: KTABLE-SOURCE-0000000005 (stores: [b-STATE-STORE-0000000003])
      --> KTABLE-MAPVALUES-0000000007
      <-- KSTREAM-SOURCE-0000000004
    Processor: KTABLE-FILTER-0000000006 (stores: [])
      --> KTABLE-JOINTHIS-0000000009
      <-- KTABLE-SOURCE-0000000002
    Processor: KTABLE-MAPVALUES-0000000007 (stores: [])
      --> KTABLE-JOINOTHER-0000000010
      <-- KTABLE-SOURCE-0000000005
    Processor: KTABLE-JOINOTHER-0000000010 (stores: [a-STATE-STORE-0000000000])
      --> KTABLE-MERGE-0000000008
      <-- KTABLE-MAPVALUES-0000000007
    Processor: KTABLE-JOINTHIS-0000000009 (stores: [b-STATE-STORE-0000000003])
      --> KTABLE-MERGE-0000000008
      <-- KTABLE-FILTER-0000000006
    Processor: KTABLE-MERGE-0000000008 (stores: [])
      --> KTABLE-TOSTREAM-0000000011
      <-- KTABLE-JOINTHIS-0000000009, KTABLE-JOINOTHER-0000000010
    Processor: KTABLE-TOSTREAM-0000000011 (stores: [])
      --> KSTREAM-SINK-0000000012
      <-- KTABLE-MERGE-0000000008
    Sink: KSTREAM-SINK-0000000012 (topic: out)
      <-- KTABLE-TOSTREAM-0000000011

`,
    );
  });

  it('a source with a store name is looked up in that store', () => {
    assert.equal(
      describeJoin((b) => b.table('a', c).join(b.table('b', { ...c, storeName: 'b-store' }), j)),
      `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000001 (topics: [a])
      --> KTABLE-SOURCE-0000000002
    Source: KSTREAM-SOURCE-0000000003 (topics: [b])
      --> KTABLE-SOURCE-0000000004
    Processor: KTABLE-SOURCE-0000000002 (stores: [a-STATE-STORE-0000000000])
      --> KTABLE-JOINTHIS-0000000006
      <-- KSTREAM-SOURCE-0000000001
    Processor: KTABLE-SOURCE-0000000004 (stores: [b-store])
      --> KTABLE-JOINOTHER-0000000007
      <-- KSTREAM-SOURCE-0000000003
    Processor: KTABLE-JOINOTHER-0000000007 (stores: [a-STATE-STORE-0000000000])
      --> KTABLE-MERGE-0000000005
      <-- KTABLE-SOURCE-0000000004
    Processor: KTABLE-JOINTHIS-0000000006 (stores: [b-store])
      --> KTABLE-MERGE-0000000005
      <-- KTABLE-SOURCE-0000000002
    Processor: KTABLE-MERGE-0000000005 (stores: [])
      --> KTABLE-TOSTREAM-0000000008
      <-- KTABLE-JOINTHIS-0000000006, KTABLE-JOINOTHER-0000000007
    Processor: KTABLE-TOSTREAM-0000000008 (stores: [])
      --> KSTREAM-SINK-0000000009
      <-- KTABLE-MERGE-0000000005
    Sink: KSTREAM-SINK-0000000009 (topic: out)
      <-- KTABLE-TOSTREAM-0000000008

`,
    );
  });

});
