import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { StreamsBuilder } from '../../../src/topology/dsl/streams-builder.js';
import { formatTopologyText } from '../../../src/topology/describe/format-topology-text.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';

const APP = 'topology-test-driver';

/** Page views keyed by user, re-keyed by page and counted. */
function viewsPerPage(repartition: 'automatic' | 'explicit'): StreamsBuilder {
  const builder = new StreamsBuilder();
  let byPage = builder
    .stream('page-views', { keySerde: Serdes.String(), valueSerde: Serdes.String() })
    .selectKey((_user, page) => (page.startsWith('/') ? page : null));
  if (repartition === 'explicit') byPage = byPage.repartition({ name: 'by-page', keySerde: Serdes.String(), valueSerde: Serdes.String() });
  byPage
    .groupByKey({ keySerde: Serdes.String(), valueSerde: Serdes.String() })
    .count()
    .toStream()
    .to('views-per-page', { keySerde: Serdes.String(), valueSerde: Serdes.Long() });
  return builder;
}

function pipeViews(driver: TopologyTestDriver): void {
  const views = driver.createInputTopic('page-views', Serdes.String(), Serdes.String());
  views.pipeInput('alice', '/home', 1);
  views.pipeInput('bob', '/home', 2);
  views.pipeInput('alice', 'not-a-page', 3);
  views.pipeInput('carol', '/cart', 4);
}

describe('repartitioning after a key change', () => {
  it('inserts a repartition topic between selectKey and count, named after the generated store', () => {
    // Indices: source 0, key select 1, count's store 2 and processor 3; the repartition topic is named after the
    // store, a generated name, so its sink, filter and source keep generated names 4, 5, 6.
    const text = formatTopologyText(viewsPerPage('automatic').build().describe());
    assert.equal(
      text,
      `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [page-views])
      --> KSTREAM-KEY-SELECT-0000000001
    Processor: KSTREAM-KEY-SELECT-0000000001 (stores: [])
      --> KSTREAM-FILTER-0000000005
      <-- KSTREAM-SOURCE-0000000000
    Processor: KSTREAM-FILTER-0000000005 (stores: [])
      --> KSTREAM-SINK-0000000004
      <-- KSTREAM-KEY-SELECT-0000000001
    Sink: KSTREAM-SINK-0000000004 (topic: KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition)
      <-- KSTREAM-FILTER-0000000005

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000006 (topics: [KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition])
      --> KSTREAM-AGGREGATE-0000000003
    Processor: KSTREAM-AGGREGATE-0000000003 (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000002])
      --> KTABLE-TOSTREAM-0000000007
      <-- KSTREAM-SOURCE-0000000006
    Processor: KTABLE-TOSTREAM-0000000007 (stores: [])
      --> KSTREAM-SINK-0000000008
      <-- KSTREAM-AGGREGATE-0000000003
    Sink: KSTREAM-SINK-0000000008 (topic: views-per-page)
      <-- KTABLE-TOSTREAM-0000000007

`,
    );
  });

  it('counts per new key, after dropping records whose new key is null before the repartition topic', () => {
    const driver = new TopologyTestDriver(viewsPerPage('automatic').build());
    try {
      pipeViews(driver);
      const repartitioned = driver.createOutputTopic(`${APP}-KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition`, Serdes.String(), Serdes.String());
      // The view without a page got a null key: the repartition filter drops it, as Kafka Streams does.
      assert.deepEqual(repartitioned.readKeyValuesToList(), [
        { key: '/home', value: '/home' },
        { key: '/home', value: '/home' },
        { key: '/cart', value: '/cart' },
      ]);
      const counts = driver.createOutputTopic('views-per-page', Serdes.String(), Serdes.Long());
      assert.deepEqual(counts.readKeyValuesToList(), [
        { key: '/home', value: 1 },
        { key: '/home', value: 2 },
        { key: '/cart', value: 1 },
      ]);
    } finally {
      driver.close();
    }
  });

  it('uses the topic repartition() forces instead of adding another one', () => {
    const topology = viewsPerPage('explicit').build();
    const text = formatTopologyText(topology.describe());
    // A named repartition() burns no index: its nodes take 2, 3, 4; the count's store and processor 5 and 6.
    assert.match(text, /Sink: by-page-repartition-sink \(topic: by-page-repartition\)\n {6}<-- by-page-repartition-filter/);
    assert.match(text, /Source: by-page-repartition-source \(topics: \[by-page-repartition\]\)\n {6}--> KSTREAM-AGGREGATE-0000000006/);
    assert.match(text, /Processor: KSTREAM-AGGREGATE-0000000006 \(stores: \[KSTREAM-AGGREGATE-STATE-STORE-0000000005\]\)/);
    assert.equal(text.match(/-repartition\)/g)?.length, 1);

    const driver = new TopologyTestDriver(topology);
    try {
      pipeViews(driver);
      const counts = driver.createOutputTopic('views-per-page', Serdes.String(), Serdes.Long());
      assert.deepEqual(counts.readKeyValuesToList(), [
        { key: '/home', value: 1 },
        { key: '/home', value: 2 },
        { key: '/cart', value: 1 },
      ]);
      assert.ok(driver.producedTopicNames().has(`${APP}-by-page-repartition`));
    } finally {
      driver.close();
    }
  });

  it('names an unnamed repartition() KSTREAM-REPARTITION-<index> and gives its nodes generated names', () => {
    const builder = new StreamsBuilder();
    builder.stream('in').repartition({ partitions: 4 }).to('out');
    const text = formatTopologyText(builder.build().describe());
    assert.match(text, /Sink: KSTREAM-SINK-0000000002 \(topic: KSTREAM-REPARTITION-0000000001-repartition\)/);
    assert.match(text, /Source: KSTREAM-SOURCE-0000000004 \(topics: \[KSTREAM-REPARTITION-0000000001-repartition\]\)\n {6}--> KSTREAM-SINK-0000000005/);
    assert.deepEqual(builder.build().build().internalTopics, [{ name: 'KSTREAM-REPARTITION-0000000001-repartition', partitions: 4 }]);
  });

  it('needs no repartition topic when keys did not change', () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in', { keySerde: Serdes.String(), valueSerde: Serdes.String() })
      .filter((_key, value) => value.length > 0)
      .mapValues((value) => value.toUpperCase())
      .groupByKey({ valueSerde: Serdes.String() })
      .count();
    assert.doesNotMatch(formatTopologyText(builder.build().describe()), /repartition/);
  });

  it('repartitions a toTable() that follows a key change, named after the table processor', () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in', { keySerde: Serdes.String(), valueSerde: Serdes.String() })
      .selectKey((_key, value) => value)
      .toTable({ keySerde: Serdes.String() });
    const text = formatTopologyText(builder.build().describe());
    // toTable: processor 2, store 3 (not materialized: unnamed and unused), repartition 4, 5, 6.
    assert.match(text, /Sink: KSTREAM-SINK-0000000004 \(topic: KSTREAM-TOTABLE-0000000002-repartition\)/);
    assert.match(text, /Processor: KSTREAM-TOTABLE-0000000002 \(stores: \[\]\)\n {6}--> none\n {6}<-- KSTREAM-SOURCE-0000000006/);
  });
});
