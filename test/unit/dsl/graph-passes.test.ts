import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TopologyError } from '../../../src/core/errors.js';
import { Serdes } from '../../../src/core/serdes.js';
import { KeyValue } from '../../../src/state/key-value.js';
import { StreamsBuilder } from '../../../src/topology/dsl/streams-builder.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';

const strings = { keySerde: Serdes.String(), valueSerde: Serdes.String() };

describe('write order', () => {
  it('writes a shared repartition topic when its last aggregation attaches to it, as Kafka Streams does', () => {
    const builder = new StreamsBuilder();
    const rekeyed = builder.stream('in', strings).selectKey((_key, value) => value);
    const grouped = rekeyed.groupByKey({ ...strings, name: 'g' });
    grouped.count();
    rekeyed.filter(() => true);
    grouped.reduce((a, b) => a + b);
    // The reduce re-attaches the repartition node, moving its build priority after the filter's; the count,
    // a child of that node, can only be written after it.
    const order = builder
      .build()
      .build()
      .subtopologies.flatMap((subtopology) => subtopology.nodes.map((node) => node.name));
    assert.deepEqual(order, [
      'KSTREAM-SOURCE-0000000000',
      'KSTREAM-KEY-SELECT-0000000001',
      'KSTREAM-FILTER-0000000007',
      'g-repartition-filter',
      'g-repartition-sink',
      'g-repartition-source',
      'KSTREAM-AGGREGATE-0000000003',
      'KSTREAM-REDUCE-0000000009',
    ]);
  });
});

describe('old-values pass', () => {
  /** A table read twice: filtered to an output, and re-grouped; `groupByFirst` decides which is declared first. */
  function filteredOutput(groupByFirst: boolean): Array<KeyValue<string | null, string | null>> {
    const builder = new StreamsBuilder();
    const table = builder.table('in', strings);
    const regroup = (): unknown => table.groupBy((key, value) => KeyValue.pair(value, key), strings).count();
    if (groupByFirst) regroup();
    table
      .filter((_key, value) => value.length > 1)
      .toStream()
      .to('out', strings);
    if (!groupByFirst) regroup();
    const driver = new TopologyTestDriver(builder.build());
    try {
      driver.createInputTopic('in', Serdes.String(), Serdes.String()).pipeInput('a', 'x', 1);
      return driver.createOutputTopic('out', Serdes.String(), Serdes.String()).readKeyValuesToList();
    } finally {
      driver.close();
    }
  }

  it('replays requests in creation order: a filter declared before the groupBy gets no old values', () => {
    // When the filter was declared, the table kept no store, so the filter could not ask for old values and
    // must forward the filtered-out update as a deletion — even though the later groupBy materializes the table.
    assert.deepEqual(filteredOutput(false), [{ key: 'a', value: null }]);
  });

  it('a filter declared after the groupBy gets old values and skips deleting what was never there', () => {
    assert.deepEqual(filteredOutput(true), []);
  });
});

describe('build-time checks', () => {
  it('refuses a store whose serde cannot be inferred', () => {
    const builder = new StreamsBuilder();
    builder.stream('in', strings).selectKey((_key, value) => value.length).groupByKey().count();
    assert.throws(() => builder.build(), (error: unknown) => error instanceof TopologyError && /needs a key serde/.test(error.message));
  });

  it('refuses to aggregate a re-grouped table without a value serde for its repartition topic', () => {
    const builder = new StreamsBuilder();
    const grouped = builder.table('in', strings).groupBy((key, value) => KeyValue.pair(value, key));
    assert.throws(() => grouped.count(), TopologyError);
  });

  it('refuses to merge streams of different builders', () => {
    const other = new StreamsBuilder().stream('other');
    assert.throws(() => new StreamsBuilder().stream('in').merge(other), TopologyError);
  });

  it('builds equal topologies when build() is called again', () => {
    const builder = new StreamsBuilder();
    builder.stream('in', strings).groupByKey().count();
    assert.deepEqual(builder.build().describe(), builder.build().describe());
  });
});
