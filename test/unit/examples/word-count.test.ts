import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { formatTopologyText } from '../../../src/topology/describe/format-topology-text.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';
import { COUNTS_STORE, INPUT_TOPIC, OUTPUT_TOPIC, topology } from '../../../examples/word-count.js';

/**
 * What Kafka Streams prints for the same topology (`describe()` of its word-count tutorial with the counts store
 * named `counts-store`): indices are handed out as the DSL calls run — source 0, flatMapValues 1, the key selector
 * of groupBy 2, count 3 (its store is named, so no store index) — then the repartition topic, named after the
 * store since the grouping is not named: sink 4, filter 5, source 6 (user-named prefix, so the nodes are called
 * `counts-store-repartition-*`), then toStream 7 and the sink 8. Nodes are listed by how much of the
 * sub-topology they reach.
 */
const KAFKA_STREAMS_DESCRIBE = `Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [streams-plaintext-input])
      --> KSTREAM-FLATMAPVALUES-0000000001
    Processor: KSTREAM-FLATMAPVALUES-0000000001 (stores: [])
      --> KSTREAM-KEY-SELECT-0000000002
      <-- KSTREAM-SOURCE-0000000000
    Processor: KSTREAM-KEY-SELECT-0000000002 (stores: [])
      --> counts-store-repartition-filter
      <-- KSTREAM-FLATMAPVALUES-0000000001
    Processor: counts-store-repartition-filter (stores: [])
      --> counts-store-repartition-sink
      <-- KSTREAM-KEY-SELECT-0000000002
    Sink: counts-store-repartition-sink (topic: counts-store-repartition)
      <-- counts-store-repartition-filter

  Sub-topology: 1
    Source: counts-store-repartition-source (topics: [counts-store-repartition])
      --> KSTREAM-AGGREGATE-0000000003
    Processor: KSTREAM-AGGREGATE-0000000003 (stores: [counts-store])
      --> KTABLE-TOSTREAM-0000000007
      <-- counts-store-repartition-source
    Processor: KTABLE-TOSTREAM-0000000007 (stores: [])
      --> KSTREAM-SINK-0000000008
      <-- KSTREAM-AGGREGATE-0000000003
    Sink: KSTREAM-SINK-0000000008 (topic: streams-wordcount-output)
      <-- KTABLE-TOSTREAM-0000000007

`;

describe('word count example', () => {
  let driver: TopologyTestDriver;
  beforeEach(() => {
    driver = new TopologyTestDriver(topology);
  });
  afterEach(() => driver.close());

  it('describes itself exactly as Kafka Streams describes the same topology', () => {
    assert.equal(formatTopologyText(topology.describe()), KAFKA_STREAMS_DESCRIBE);
  });

  it('emits an updated count for every word, in the order the words arrive', () => {
    const lines = driver.createInputTopic(INPUT_TOPIC, Serdes.String(), Serdes.String());
    const counts = driver.createOutputTopic(OUTPUT_TOPIC, Serdes.String(), Serdes.Long());
    lines.pipeInput(null, 'Hello Kafka Streams', 1_000);
    lines.pipeInput(null, 'All streams lead to Kafka', 2_000);
    lines.pipeInput(null, 'Join Kafka Summit', 3_000);

    // Each line is processed completely before the next: its words go through the repartition topic in order,
    // and the count task commits after each of them (as Kafka Streams' test driver does), flushing the cache, so
    // every occurrence of a word yields one update. An update carries the latest timestamp of the key's records.
    assert.deepEqual(
      counts.readRecordsToList().map(({ key, value, timestamp }) => [key, value, timestamp]),
      [
        ['hello', 1, 1_000],
        ['kafka', 1, 1_000],
        ['streams', 1, 1_000],
        ['all', 1, 2_000],
        ['streams', 2, 2_000],
        ['lead', 1, 2_000],
        ['to', 1, 2_000],
        ['kafka', 2, 2_000],
        ['join', 1, 3_000],
        ['kafka', 3, 3_000],
        ['summit', 1, 3_000],
      ],
    );
    assert.equal(driver.getKeyValueStore<string, number>(COUNTS_STORE)?.get('kafka'), 3);
  });

  it('counts a word repeated within one line once per occurrence', () => {
    const lines = driver.createInputTopic(INPUT_TOPIC, Serdes.String(), Serdes.String());
    const counts = driver.createOutputTopic(OUTPUT_TOPIC, Serdes.String(), Serdes.Long());
    lines.pipeInput('line-key', 'echo... echo!', 4_000);
    // Two records with key "echo" cross the repartition topic; each is committed on its own.
    assert.deepEqual(counts.readKeyValuesToList(), [
      { key: 'echo', value: 1 },
      { key: 'echo', value: 2 },
    ]);
  });
});
