import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { Stores } from '../../../src/state/stores.js';
import { formatTopologyJson } from '../../../src/topology/describe/format-topology-json.js';
import { formatTopologyMermaid } from '../../../src/topology/describe/format-topology-mermaid.js';
import { formatTopologyText } from '../../../src/topology/describe/format-topology-text.js';
import { javaHashSetOrder, javaStringHash } from '../../../src/topology/describe/java-hash-order.js';
import { Topology } from '../../../src/topology/topology.js';
import { GOLDEN_TEXT, goldenTopology } from './golden-topology.js';

const noop = () => ({ process: () => undefined });
const store = (name: string) => Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), Serdes.String());

/** The stream-stream left join of Kafka Streams' TopologyTest, rebuilt with the Processor API. */
function leftJoinTopology(thisStore: string, otherStore: string, sharedStore: string): Topology {
  return new Topology()
    .addSource('KSTREAM-SOURCE-0000000000', 'input-topic1')
    .addSource('KSTREAM-SOURCE-0000000001', 'input-topic2')
    .addProcessor('KSTREAM-WINDOWED-0000000002', noop, 'KSTREAM-SOURCE-0000000000')
    .addProcessor('KSTREAM-WINDOWED-0000000003', noop, 'KSTREAM-SOURCE-0000000001')
    .addProcessor('KSTREAM-JOINTHIS-0000000004', noop, 'KSTREAM-WINDOWED-0000000002')
    .addProcessor('KSTREAM-OUTEROTHER-0000000005', noop, 'KSTREAM-WINDOWED-0000000003')
    .addProcessor('KSTREAM-MERGE-0000000006', noop, 'KSTREAM-JOINTHIS-0000000004', 'KSTREAM-OUTEROTHER-0000000005')
    .addStateStore(store(thisStore), 'KSTREAM-WINDOWED-0000000002', 'KSTREAM-OUTEROTHER-0000000005')
    .addStateStore(store(otherStore), 'KSTREAM-WINDOWED-0000000003', 'KSTREAM-JOINTHIS-0000000004')
    .addStateStore(store(sharedStore), 'KSTREAM-JOINTHIS-0000000004', 'KSTREAM-OUTEROTHER-0000000005');
}

describe('formatTopologyText', () => {
  it('prints exactly what Kafka Streams prints for the golden Processor API topology', () => {
    assert.equal(formatTopologyText(goldenTopology().describe()), GOLDEN_TEXT);
  });

  it('turns into that text when printed, as Kafka Streams\' description does, and stays plain data', () => {
    const description = goldenTopology().describe();
    assert.equal(String(description), GOLDEN_TEXT);
    assert.equal(inspect(description), GOLDEN_TEXT);
    assert.deepEqual(Object.keys(description), ['subtopologies', 'globalStores']);
    assert.deepEqual(JSON.parse(JSON.stringify(description)), { subtopologies: description.subtopologies, globalStores: description.globalStores });
  });

  it("orders store sets as Java's HashSet does (Kafka Streams' stream-stream left join)", () => {
    const text = formatTopologyText(leftJoinTopology('in-memory-join-store', 'in-memory-join-store-other', 'in-memory-join-store-left-shared-join-store').describe());
    assert.equal(
      text,
      [
        'Topologies:',
        '   Sub-topology: 0',
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [input-topic1])',
        '      --> KSTREAM-WINDOWED-0000000002',
        '    Source: KSTREAM-SOURCE-0000000001 (topics: [input-topic2])',
        '      --> KSTREAM-WINDOWED-0000000003',
        '    Processor: KSTREAM-WINDOWED-0000000002 (stores: [in-memory-join-store])',
        '      --> KSTREAM-JOINTHIS-0000000004',
        '      <-- KSTREAM-SOURCE-0000000000',
        '    Processor: KSTREAM-WINDOWED-0000000003 (stores: [in-memory-join-store-other])',
        '      --> KSTREAM-OUTEROTHER-0000000005',
        '      <-- KSTREAM-SOURCE-0000000001',
        '    Processor: KSTREAM-JOINTHIS-0000000004 (stores: [in-memory-join-store-other, in-memory-join-store-left-shared-join-store])',
        '      --> KSTREAM-MERGE-0000000006',
        '      <-- KSTREAM-WINDOWED-0000000002',
        '    Processor: KSTREAM-OUTEROTHER-0000000005 (stores: [in-memory-join-store, in-memory-join-store-left-shared-join-store])',
        '      --> KSTREAM-MERGE-0000000006',
        '      <-- KSTREAM-WINDOWED-0000000003',
        '    Processor: KSTREAM-MERGE-0000000006 (stores: [])',
        '      --> none',
        '      <-- KSTREAM-JOINTHIS-0000000004, KSTREAM-OUTEROTHER-0000000005',
        '',
        '',
      ].join('\n'),
    );
  });

  it('prints only the header for an empty topology, as Kafka Streams does', () => {
    assert.equal(formatTopologyText(new Topology().describe()), 'Topologies:\n ');
  });

  it('names a topic name extractor by its function name', () => {
    const byRegion = (key: unknown) => `orders-${String(key)}`;
    const topology = new Topology().addSource('in', 'input').addSink('out', byRegion, 'in');
    assert.match(formatTopologyText(topology.describe()), /Sink: out \(extractor class: byRegion\)\n {6}<-- in\n/);
  });
});

describe('javaHashSetOrder', () => {
  it("matches Java's String.hashCode", () => {
    assert.equal(javaStringHash(''), 0);
    assert.equal(javaStringHash('a'), 97);
    assert.equal(javaStringHash('hello'), 99162322);
    assert.equal(javaStringHash('KSTREAM-SOURCE-0000000000'), hashOf('KSTREAM-SOURCE-0000000000'));
  });

  it('orders by bucket, keeping insertion order within a bucket, and drops duplicates', () => {
    assert.deepEqual(javaHashSetOrder(['b', 'a', 'b']), ['a', 'b']);
    // Expected orders printed by `new java.util.HashSet<>(List.of(...))` on OpenJDK 17.
    assert.deepEqual(javaHashSetOrder(['topic-2', 'topic-1', 'topic-10']), ['topic-1', 'topic-2', 'topic-10']);
    assert.deepEqual(javaHashSetOrder(['orders', 'returns', 'zeta', 'alpha']), ['zeta', 'alpha', 'orders', 'returns']);
  });
});

describe('describe()', () => {
  it('returns plain data that survives JSON', () => {
    const description = goldenTopology().describe();
    assert.deepEqual(JSON.parse(formatTopologyJson(description)), description);
    const enrich = description.subtopologies[0]!.nodes.find((node) => node.name === 'enrich');
    assert.deepEqual(enrich, { type: 'processor', name: 'enrich', stores: ['customers'], successors: ['route', 'audit'], predecessors: ['validate'] });
  });

  it('formats Mermaid with one subgraph per sub-topology and shared topic nodes', () => {
    const mermaid = formatTopologyMermaid(goldenTopology().describe());
    const lines = mermaid.split('\n');
    assert.equal(lines[0], 'flowchart TD');
    assert.ok(lines.includes('  subgraph sub0 ["Sub-topology: 0"]'));
    assert.ok(lines.includes('  subgraph sub1 ["Sub-topology: 1"]'));
    const repartitionTopicId = /^ {2}(t\d+)\[\/"orders-by-customer-repartition"\/\]$/.exec(lines.find((l) => l.includes('"orders-by-customer-repartition"/'))!)![1]!;
    const sinkId = /^ {4}(n\d+)\["Sink: rekey-sink"\]$/.exec(lines.find((l) => l.includes('"Sink: rekey-sink"'))!)![1]!;
    const sourceId = /^ {4}(n\d+)\["Source: rekeyed-source"\]$/.exec(lines.find((l) => l.includes('"Source: rekeyed-source"'))!)![1]!;
    assert.ok(lines.includes(`  ${sinkId} --> ${repartitionTopicId}`));
    assert.ok(lines.includes(`  ${repartitionTopicId} --> ${sourceId}`));
    assert.ok(lines.some((l) => /^ {2}s\d+\[\("customers"\)\]$/.test(l)));
  });
});

/** An independent formulation of String.hashCode: sum of c[i]·31^(n-1-i) modulo 2^32, as a signed int. */
function hashOf(text: string): number {
  let hash = 0n;
  for (const char of text) hash = (hash * 31n + BigInt(char.charCodeAt(0))) % 2n ** 32n;
  return Number(BigInt.asIntN(32, hash));
}
