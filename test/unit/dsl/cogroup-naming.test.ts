import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TopologyError } from '../../../src/core/errors.js';
import { Serdes } from '../../../src/core/serdes.js';
import { KeyValue } from '../../../src/state/key-value.js';
import { StreamsBuilder } from '../../../src/topology/dsl/streams-builder.js';
import { BufferConfig, Suppressed } from '../../../src/topology/dsl/suppress/suppressed.js';
import { formatTopologyText } from '../../../src/topology/describe/format-topology-text.js';
import { SessionWindows } from '../../../src/windows/session-windows.js';
import { SlidingWindows } from '../../../src/windows/sliding-windows.js';
import { TimeWindows } from '../../../src/windows/time-windows.js';
import { KAFKA_STREAMS_DESCRIBE } from './cogroup-describe-golden.js';

const strings = { keySerde: Serdes.String(), valueSerde: Serdes.String() };
const values = { valueSerde: Serdes.String() };
const concat = (_key: string, value: string, aggregate: string): string => aggregate + value;
const empty = (): string => '';
const swap = (key: string, value: string): KeyValue<string, string> => KeyValue.pair(value, key);

/** Each scenario is the Java one that printed its expected text (see `cogroup-describe-golden.ts`). */
const SCENARIOS: ReadonlyArray<readonly [name: string, define: (builder: StreamsBuilder) => void]> = [
  ['named-materialized', (b) => {
    const one = b.stream('one', strings).groupByKey();
    const two = b.stream('two', strings).groupByKey();
    one.cogroup(concat).cogroup(two, concat).aggregate(empty, { name: 'test', storeName: 'store', ...values }).toStream().to('output');
  }],
  ['named-repartition-topic', (b) => {
    const [one, two] = [b.stream('one', strings), b.stream('two', strings)];
    const groupedOne = one.map(swap).groupByKey({ name: 'repartition-test', ...strings });
    groupedOne.cogroup(concat).cogroup(two.groupByKey(), concat).aggregate(empty, values).toStream().to('output');
  }],
  ['repartition-after-store', (b) => {
    const [one, two] = [b.stream('one', strings), b.stream('two', strings)];
    const groupedOne = one.map(swap).groupByKey(strings);
    groupedOne.cogroup(concat).cogroup(two.groupByKey(), concat).aggregate(empty, { name: 'test', storeName: 'store', ...values }).toStream().to('output');
  }],
  ['reused-in-same-cogroups', (b) => {
    const [streamOne, streamTwo] = [b.stream('one', strings), b.stream('two', strings)];
    const one = streamOne.map(swap).groupByKey(strings);
    const two = streamTwo.groupByKey();
    const first = one.cogroup(concat).cogroup(two, concat).aggregate(empty, values);
    const second = one.cogroup(concat).cogroup(two, concat).aggregate(empty, values);
    second.toStream().to('output');
    first.toStream().to('OUTPUT2');
  }],
  ['reused-in-different-cogroups', (b) => {
    const [streamOne, two, three] = [b.stream('one', strings), b.stream('two', strings), b.stream('three', strings)];
    const one = streamOne.map(swap).groupByKey(strings);
    one.cogroup(concat).cogroup(three.groupByKey(), concat).aggregate(empty, values);
    one.cogroup(concat).cogroup(two.groupByKey(), concat).aggregate(empty, values);
  }],
  ['grouped-reused-by-aggregate', (b) => {
    const [streamOne, streamTwo] = [b.stream('one', strings), b.stream('two', strings)];
    const one = streamOne.map(swap).groupByKey(strings);
    one.cogroup(concat).cogroup(streamTwo.groupByKey(), concat).aggregate(empty, values);
    one.aggregate(empty, concat, values);
  }],
  ['cogroup-used-twice', (b) => {
    const cogrouped = b.stream('one', strings).map(swap).groupByKey({ name: 'foo', ...strings }).cogroup(concat);
    cogrouped.aggregate(empty, values);
    cogrouped.aggregate(empty, values);
  }],
  ['cogroup-used-twice-unnamed', (b) => {
    const cogrouped = b.stream('one', strings).map(swap).groupByKey(strings).cogroup(concat);
    cogrouped.aggregate(empty, values);
    cogrouped.aggregate(empty, values);
  }],
  ['three-inputs-second-repartitioned-named-grouping', (b) => {
    const one = b.stream('one', strings).groupByKey();
    const two = b.stream('two', strings).groupBy((_key, value) => value, { name: 'by-value', ...strings });
    const three = b.stream('three', strings).groupByKey();
    one.cogroup(concat).cogroup(two, concat).cogroup(three, concat).aggregate(empty, { name: 'agg', ...values }).toStream().to('output');
  }],
  ['time-windowed-named', (b) => {
    b.stream('topic', strings).groupByKey().cogroup(concat).windowedBy(TimeWindows.ofSizeWithNoGrace(500)).aggregate(empty, { name: 'foo', ...values });
  }],
  ['time-windowed-two-inputs-repartition', (b) => {
    const one = b.stream('one', strings).groupByKey();
    const two = b.stream('two', strings).selectKey((_key, value) => value).groupByKey();
    one.cogroup(concat).cogroup(two, concat).windowedBy(TimeWindows.ofSizeAndGrace(500, 100)).aggregate(empty, values).toStream().to('output');
  }],
  ['sliding-windowed-two-inputs-store', (b) => {
    const one = b.stream('one', strings).groupByKey();
    const two = b.stream('two', strings).groupByKey();
    const windows = SlidingWindows.ofTimeDifferenceWithNoGrace(500);
    one.cogroup(concat).cogroup(two, concat).windowedBy(windows).aggregate(empty, { storeName: 'sliding-store', ...values }).toStream().to('output');
  }],
  ['session-windowed-two-inputs-named', (b) => {
    const one = b.stream('one', strings).groupByKey();
    const two = b.stream('two', strings).groupByKey();
    const merger = (_key: string, a: string, b2: string): string => a + b2;
    const windows = SessionWindows.ofInactivityGapWithNoGrace(100);
    one.cogroup(concat).cogroup(two, concat).windowedBy(windows).aggregate(empty, merger, { name: 'sess', ...values }).toStream().to('output');
  }],
  ['time-windowed-suppress', (b) => {
    const one = b.stream('one', strings).groupByKey();
    const two = b.stream('two', strings).groupByKey();
    one
      .cogroup(concat)
      .cogroup(two, concat)
      .windowedBy(TimeWindows.ofSizeWithNoGrace(10))
      .aggregate(empty, values)
      .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))
      .toStream()
      .to('output');
  }],
  ['cogroup-then-filter-groupby', (b) => {
    const one = b.stream('one', strings).groupByKey();
    const two = b.stream('two', strings).groupByKey();
    const table = one.cogroup(concat).cogroup(two, concat).aggregate(empty, values);
    table.filter(() => true).groupBy((key, value) => KeyValue.pair(value, key), strings).count().toStream().to('output');
  }],
  ['cogroup-mutated-after-windowedby', (b) => {
    const one = b.stream('one', strings).groupByKey();
    const two = b.stream('two', strings).groupByKey();
    const cogrouped = one.cogroup(concat);
    const windowed = cogrouped.windowedBy(TimeWindows.ofSizeWithNoGrace(10));
    cogrouped.cogroup(two, concat);
    windowed.aggregate(empty, values);
  }],
  ['cogroup-joined-with-table', (b) => {
    const one = b.stream('one', strings).groupByKey();
    const two = b.stream('two', strings).groupByKey();
    const cogrouped = one.cogroup(concat).cogroup(two, concat).aggregate(empty, { name: 'name', storeName: 'store', ...values });
    cogrouped.join(b.table('three', strings), (left, right) => `${left}+${right}`, strings).toStream().to('output');
  }],
  ['cogroup-unnamed-joined-with-table', (b) => {
    const one = b.stream('one', strings).groupByKey();
    const two = b.stream('two', strings).groupByKey();
    const cogrouped = one.cogroup(concat).cogroup(two, concat).aggregate(empty, values);
    cogrouped.join(b.table('three', strings), (left, right) => `${left}+${right}`).toStream().to('output');
  }],
  ['same-grouped-twice', (b) => {
    const one = b.stream('one', strings).groupByKey();
    const two = b.stream('two', strings).groupByKey();
    one.cogroup(concat).cogroup(two, concat).cogroup(one, concat).aggregate(empty, values);
  }],
];

describe('cogroup names and describe() text, as Kafka Streams 4.1.2 prints them', () => {
  for (const [name, define] of SCENARIOS) {
    it(name, () => {
      const builder = new StreamsBuilder();
      define(builder);
      assert.equal(formatTopologyText(builder.build().describe()), KAFKA_STREAMS_DESCRIBE[name]);
    });
  }

  it('refuses two inputs repartitioned through one unnamed topic, as Kafka Streams does', () => {
    // Both topics are named after the store; Kafka Streams: "Invalid topology: Processor
    // COGROUPKSTREAM-AGGREGATE-STATE-STORE-0000000004-repartition-filter is already added."
    const builder = new StreamsBuilder();
    const one = builder.stream('one', strings).map(swap).groupByKey(strings);
    const two = builder.stream('two', strings).selectKey((_key, value) => value).groupByKey();
    one.cogroup(concat).cogroup(two, concat).aggregate(empty, values);
    assert.throws(() => builder.build(), (error: unknown) => {
      assert.ok(error instanceof TopologyError);
      assert.match(error.message, /Processor COGROUPKSTREAM-AGGREGATE-STATE-STORE-0000000004-repartition-filter is already added/);
      return true;
    });
  });

  it("groups the inputs' own source topics for co-partitioning, upstream of a repartition topic too", () => {
    // Kafka Streams 4.1.2's InternalTopologyBuilder.copartitionGroups() for the same calls: [[one, two, three]],
    // and [[one]] for a single input (Java run on the parity classpath).
    const builder = new StreamsBuilder();
    const [one, two, three] = ['one', 'two', 'three'].map((topic) => builder.stream(topic, strings));
    one!.map(swap).groupByKey(strings).cogroup(concat).cogroup(two!.groupByKey(), concat).cogroup(three!.groupByKey(), concat).aggregate(empty, values);
    const groups = builder.build().build().copartitionGroups.map((group) => group.map((topic) => topic.name));
    assert.deepEqual(groups, [['one', 'two', 'three']]);

    const single = new StreamsBuilder();
    single.stream('one', strings).groupByKey().cogroup(concat).windowedBy(TimeWindows.ofSizeWithNoGrace(5)).aggregate(empty, values);
    assert.deepEqual(single.build().build().copartitionGroups.map((group) => group.map((topic) => topic.name)), [['one']]);
  });

  it("refuses a grouped stream that is not a handle of the cogroup's builder", () => {
    const builder = new StreamsBuilder();
    const cogrouped = builder.stream('one', strings).groupByKey().cogroup(concat);
    const foreign = { ...builder.stream('two', strings).groupByKey() };
    assert.throws(() => cogrouped.cogroup(foreign, concat), TopologyError);
    const otherBuilders = new StreamsBuilder().stream('two', strings).groupByKey();
    assert.throws(() => cogrouped.cogroup(otherBuilders, concat), /same StreamsBuilder/);
  });
});
