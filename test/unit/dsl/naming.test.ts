import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { KeyValue } from '../../../src/state/key-value.js';
import { StreamsBuilder } from '../../../src/topology/dsl/streams-builder.js';
import { formatTopologyText } from '../../../src/topology/describe/format-topology-text.js';
import type { Topology } from '../../../src/topology/topology.js';

const strings = { keySerde: Serdes.String(), valueSerde: Serdes.String() };

function describeText(builder: StreamsBuilder): string {
  return formatTopologyText(builder.build().describe());
}

/** Node names in the order the topology received them (Kafka Streams' `ProcessorTopology` order). */
function nodeNames(topology: Topology): string[] {
  return topology.build().subtopologies.flatMap((subtopology) => subtopology.nodes.map((node) => node.name));
}

function storeNames(topology: Topology): string[] {
  return topology.build().stores.map((store) => store.name);
}

/**
 * Generated names follow Kafka Streams' shared counter, including the indices it burns for compatibility, so
 * these expectations are what Kafka Streams prints for the same DSL calls.
 */
describe('generated names', () => {
  it('count() takes the store index before the processor index', () => {
    const builder = new StreamsBuilder();
    builder.stream('input-topic', strings).groupByKey().count();
    assert.equal(
      describeText(builder),
      `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [input-topic])
      --> KSTREAM-AGGREGATE-0000000002
    Processor: KSTREAM-AGGREGATE-0000000002 (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000001])
      --> none
      <-- KSTREAM-SOURCE-0000000000

`,
    );
  });

  it('count() with store options but no store name burns one more index, as count(Materialized) does', () => {
    const builder = new StreamsBuilder();
    builder.stream('input-topic', strings).groupByKey().count({ storeType: 'in-memory' });
    assert.match(describeText(builder), /Processor: KSTREAM-AGGREGATE-0000000003 \(stores: \[KSTREAM-AGGREGATE-STATE-STORE-0000000002\]\)/);
  });

  it('a named store burns no index', () => {
    const builder = new StreamsBuilder();
    builder.stream('input-topic', strings).groupByKey().count({ storeName: 'count-store', storeType: 'in-memory' });
    assert.match(describeText(builder), /Processor: KSTREAM-AGGREGATE-0000000001 \(stores: \[count-store\]\)/);
    assert.equal(builder.build().build().stores[0]!.builder.build().persistent, false);
  });

  it('reduce and aggregate use their own prefixes', () => {
    const builder = new StreamsBuilder();
    const grouped = builder.stream('input-topic', strings).groupByKey();
    grouped.reduce((a, b) => a + b);
    grouped.aggregate(() => 0, (_key, value, total) => total + value.length, { valueSerde: Serdes.Integer() });
    assert.deepEqual(nodeNames(builder.build()), ['KSTREAM-SOURCE-0000000000', 'KSTREAM-REDUCE-0000000002', 'KSTREAM-AGGREGATE-0000000004']);
    assert.deepEqual(storeNames(builder.build()), ['KSTREAM-REDUCE-STATE-STORE-0000000001', 'KSTREAM-AGGREGATE-STATE-STORE-0000000003']);
  });

  it('a re-grouped table: store, source and table source, selector, then store, sink, source and aggregate', () => {
    const builder = new StreamsBuilder();
    builder
      .table('input-topic', strings)
      .groupBy((key, value) => KeyValue.pair(value, key), strings)
      .count();
    assert.equal(
      describeText(builder),
      `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000001 (topics: [input-topic])
      --> KTABLE-SOURCE-0000000002
    Processor: KTABLE-SOURCE-0000000002 (stores: [input-topic-STATE-STORE-0000000000])
      --> KTABLE-SELECT-0000000003
      <-- KSTREAM-SOURCE-0000000001
    Processor: KTABLE-SELECT-0000000003 (stores: [])
      --> KSTREAM-SINK-0000000005
      <-- KTABLE-SOURCE-0000000002
    Sink: KSTREAM-SINK-0000000005 (topic: KTABLE-AGGREGATE-STATE-STORE-0000000004-repartition)
      <-- KTABLE-SELECT-0000000003

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000006 (topics: [KTABLE-AGGREGATE-STATE-STORE-0000000004-repartition])
      --> KTABLE-AGGREGATE-0000000007
    Processor: KTABLE-AGGREGATE-0000000007 (stores: [KTABLE-AGGREGATE-STATE-STORE-0000000004])
      --> none
      <-- KSTREAM-SOURCE-0000000006

`,
    );
  });

  it('a table that is only filtered and streamed keeps no store', () => {
    const builder = new StreamsBuilder();
    builder.table('input-topic').filter((_key, value) => value !== 'x').toStream().to('output-topic');
    assert.match(describeText(builder), /Processor: KTABLE-SOURCE-0000000002 \(stores: \[\]\)/);
    assert.deepEqual(storeNames(builder.build()), []);
  });

  it('a process() without a name takes an index; with a name it takes none', () => {
    const builder = new StreamsBuilder();
    const stream = builder.stream('input-topic');
    stream.process(() => ({ process: () => undefined }));
    stream.process(() => ({ process: () => undefined }), { name: 'custom' });
    stream.filter(() => true);
    assert.deepEqual(nodeNames(builder.build()), ['KSTREAM-SOURCE-0000000000', 'KSTREAM-PROCESSOR-0000000001', 'custom', 'KSTREAM-FILTER-0000000002']);
  });
});

describe('user-given names', () => {
  it('name a table source and its source node, still burning their indices', () => {
    const builder = new StreamsBuilder();
    builder.table('topic-one', { name: 'source-node' });
    builder.table('topic-two');
    assert.deepEqual(nodeNames(builder.build()), ['source-node-source', 'source-node', 'KSTREAM-SOURCE-0000000004', 'KTABLE-SOURCE-0000000005']);
  });

  it('name a split and its branches', () => {
    const builder = new StreamsBuilder();
    const branches = builder
      .stream('input-topic')
      .split({ name: 'branch-processor' })
      .branch(() => true, { name: '-1' })
      .branch(() => false, { name: '-2' })
      .noDefaultBranch();
    assert.deepEqual([...branches.keys()], ['branch-processor-1', 'branch-processor-2']);
    assert.deepEqual(nodeNames(builder.build()), ['KSTREAM-SOURCE-0000000000', 'branch-processor', 'branch-processor-1', 'branch-processor-2']);
  });

  it('key unnamed branches by position, 0 being the default branch', () => {
    const builder = new StreamsBuilder();
    const branches = builder.stream('input-topic').split().branch(() => true).defaultBranch();
    assert.deepEqual([...branches.keys()], ['KSTREAM-BRANCH-00000000011', 'KSTREAM-BRANCH-00000000010']);
  });

  it('name a grouped table aggregation: the grouping names the selector and topic, the operation its nodes', () => {
    const builder = new StreamsBuilder();
    builder
      .table('input-topic', strings)
      .groupBy((key, value) => KeyValue.pair(key, value), { ...strings, name: 'group-operation' })
      .count({ name: 'count-operation' });
    const topology = builder.build();
    assert.deepEqual(nodeNames(topology), [
      'KSTREAM-SOURCE-0000000001',
      'KTABLE-SOURCE-0000000002',
      'group-operation',
      'count-operation-sink',
      'count-operation-source',
      'count-operation',
    ]);
    assert.deepEqual(storeNames(topology), ['input-topic-STATE-STORE-0000000000', 'KTABLE-AGGREGATE-STATE-STORE-0000000004']);
    assert.deepEqual(topology.build().internalTopics.map((topic) => topic.name), ['group-operation-repartition']);
  });

  it('name toStream()', () => {
    const builder = new StreamsBuilder();
    builder.table('input-topic').toStream({ name: 'to-stream' });
    assert.deepEqual(nodeNames(builder.build()), ['KSTREAM-SOURCE-0000000001', 'KTABLE-SOURCE-0000000002', 'to-stream']);
  });

  it('share one repartition topic between the aggregations of one named grouping', () => {
    const builder = new StreamsBuilder();
    const grouped = builder
      .stream('input-topic', strings)
      .selectKey((_key, value) => value)
      .groupByKey({ ...strings, name: 'by-value' });
    grouped.count();
    grouped.reduce((a, b) => a + b);
    const topology = builder.build();
    assert.deepEqual(topology.build().internalTopics.map((topic) => topic.name), ['by-value-repartition']);
    const text = formatTopologyText(topology.describe());
    assert.match(text, /Source: by-value-repartition-source \(topics: \[by-value-repartition\]\)\n {6}--> KSTREAM-AGGREGATE-0000000003, KSTREAM-REDUCE-0000000008/);
  });
});
