import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Serde } from '../../../src/core/serde.js';
import { Serdes } from '../../../src/core/serdes.js';
import type { Windowed } from '../../../src/core/windowed.js';
import { KeyValue } from '../../../src/state/key-value.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';
import type { CogroupedKStream, KTable } from '../../../src/topology/dsl/dsl-api.js';
import type { Aggregator } from '../../../src/topology/dsl/dsl-functions.js';
import { StreamsBuilder } from '../../../src/topology/dsl/streams-builder.js';
import { BufferConfig, Suppressed } from '../../../src/topology/dsl/suppress/suppressed.js';
import { formatTopologyText } from '../../../src/topology/describe/format-topology-text.js';
import { SessionWindows } from '../../../src/windows/session-windows.js';
import { SlidingWindows } from '../../../src/windows/sliding-windows.js';
import { TimeWindows } from '../../../src/windows/time-windows.js';

const strings = { keySerde: Serdes.String(), valueSerde: Serdes.String() };
const values = { valueSerde: Serdes.String() };

/** Kafka's `MockAggregator.TOSTRING_ADDER` / `TOSTRING_REMOVER` and `MockInitializer.STRING_INIT`. */
const adder = (_key: string, value: string, aggregate: string): string => `${aggregate}+${value}`;
const remover = (_key: string, value: string, aggregate: string): string => `${aggregate}-${value}`;
const multiplier = (_key: string, value: string, aggregate: string): string => `${aggregate}*${value}`;
const init = (): string => '0';
/** `CogroupedKStreamImplTest`'s `STRING_AGGREGATOR` and `STRING_INITIALIZER`. */
const concat = (_key: string, value: string, aggregate: string): string => aggregate + value;
const empty = (): string => '';
/** `SessionWindowedCogroupedKStreamImplTest`'s merger. */
const plusMerger = (_key: string, one: string, two: string): string => `${one}+${two}`;

/** `[topic, key, value, timestamp]`. */
type Input = readonly [topic: string, key: string | null, value: string | number | null, timestamp: number];

interface Run {
  /** `key=value@timestamp` for each output record, in order. */
  readonly out: string[];
  readonly dropped: { readonly nullKeys: number; readonly nullValues: number; readonly lateRecords: number };
}

/** Runs the topology `define` builds; it writes string keys to `out` (values with `outValueSerde`). */
function run(define: (builder: StreamsBuilder) => void, inputs: readonly Input[], outValueSerde: Serde<unknown> = Serdes.String() as Serde<unknown>): Run {
  const builder = new StreamsBuilder();
  define(builder);
  const driver = new TopologyTestDriver(builder.build());
  try {
    for (const [topic, key, value, timestamp] of inputs) {
      const valueSerde = (typeof value === 'number' ? Serdes.Integer() : Serdes.String()) as Serde<unknown>;
      driver.createInputTopic(topic, Serdes.String(), valueSerde).pipeInput(key, value, timestamp);
    }
    const out = driver
      .createOutputTopic('out', Serdes.String(), outValueSerde)
      .readRecordsToList()
      .map((record) => `${record.key}=${record.value}@${record.timestamp}`);
    const dropped = { nullKeys: 0, nullValues: 0, lateRecords: 0 };
    for (const metrics of driver.metrics().values()) {
      dropped.nullKeys += metrics.droppedRecords.nullKeys;
      dropped.nullValues += metrics.droppedRecords.nullValues;
      dropped.lateRecords += metrics.droppedRecords.lateRecords;
    }
    return { out, dropped };
  } finally {
    driver.close();
  }
}

/** Writes a windowed table to `out` keyed `key@start-end`, as the Java runs that gave the expectations did. */
function toOut(table: KTable<Windowed<string>, string>): void {
  table
    .toStream()
    .map((key, value) => KeyValue.pair(`${key.key}@${key.window.start}-${key.window.end}`, value))
    .to('out', strings);
}

/** The Kafka tests' common setup: `topic` cogrouped with the adder, `topic2` with the remover. */
function addThenRemove(builder: StreamsBuilder): CogroupedKStream<string, string> {
  const one = builder.stream('topic', strings).groupByKey(strings);
  const two = builder.stream('topic2', strings).groupByKey(strings);
  return one.cogroup<string>(adder).cogroup(two, remover);
}

const TOPIC = (key: string, value: string, timestamp: number): Input => ['topic', key, value, timestamp];
const TOPIC2 = (key: string, value: string, timestamp: number): Input => ['topic2', key, value, timestamp];

/** Expectations from Kafka Streams' `CogroupedKStreamImplTest` (same inputs, same outputs). */
describe('CogroupedKStream.aggregate', () => {
  const twoStreams = (aggregator1: Aggregator<string, string, string>, aggregator2: Aggregator<string, string, string>, initializer = empty) =>
    (builder: StreamsBuilder): void => {
      const one = builder.stream('one', strings).groupByKey();
      const two = builder.stream('two', strings).groupByKey();
      one.cogroup(aggregator1).cogroup(two, aggregator2).aggregate(initializer, values).toStream().to('out');
    };
  const one = (key: string, value: string, timestamp: number): Input => ['one', key, value, timestamp];
  const two = (key: string, value: string, timestamp: number): Input => ['two', key, value, timestamp];
  const three = (key: string, value: string, timestamp: number): Input => ['three', key, value, timestamp];

  it('aggregates a single grouped stream (shouldCogroupAndAggregateSingleKStreams)', () => {
    const result = run(
      (builder) => builder.stream('one', strings).groupByKey().cogroup(concat).aggregate(empty, values).toStream().to('out'),
      [one('k1', 'A', 0), one('k2', 'B', 0), one('k2', 'B', 0), one('k1', 'A', 0)],
    );
    assert.deepEqual(result.out, ['k1=A@0', 'k2=B@0', 'k2=BB@0', 'k1=AA@0']);
  });

  it('drops a record without a value, counted (testCogroupHandleNullValues)', () => {
    const result = run(
      (builder) => builder.stream('one', strings).groupByKey().cogroup(concat).aggregate(empty, values).toStream().to('out'),
      [one('k1', 'A', 0), one('k2', 'B', 0), ['one', 'k2', null, 0], one('k2', 'B', 0), one('k1', 'A', 0)],
    );
    assert.deepEqual(result.out, ['k1=A@0', 'k2=B@0', 'k2=BB@0', 'k1=AA@0']);
    assert.equal(result.dropped.nullValues, 1);
  });

  it('aggregates two streams with distinct keys; the timestamp is the latest folded in', () => {
    const result = run(twoStreams(concat, concat), [
      one('k1', 'A', 0), one('k1', 'A', 1), one('k1', 'A', 10), one('k1', 'A', 100),
      two('k2', 'B', 100), two('k2', 'B', 200), two('k2', 'B', 1), two('k2', 'B', 500), two('k2', 'B', 500), two('k2', 'B', 100),
    ]);
    assert.deepEqual(result.out, [
      'k1=A@0', 'k1=AA@1', 'k1=AAA@10', 'k1=AAAA@100',
      'k2=B@100', 'k2=BB@200', 'k2=BBB@200', 'k2=BBBB@500', 'k2=BBBBB@500', 'k2=BBBBBB@500',
    ]);
  });

  it('aggregates two streams into the same keys (shouldCogroupAndAggregateTwoKStreamsWithSharedKeys)', () => {
    const result = run(twoStreams(concat, concat), [
      one('k1', 'A', 0), one('k2', 'A', 1), one('k1', 'A', 10), one('k2', 'A', 100),
      two('k2', 'B', 100), two('k2', 'B', 200), two('k1', 'B', 1), two('k2', 'B', 500), two('k1', 'B', 500), two('k2', 'B', 500),
      two('k3', 'B', 500), two('k2', 'B', 100),
    ]);
    assert.deepEqual(result.out, [
      'k1=A@0', 'k2=A@1', 'k1=AA@10', 'k2=AA@100', 'k2=AAB@100', 'k2=AABB@200', 'k1=AAB@10', 'k2=AABBB@500', 'k1=AABB@500',
      'k2=AABBBB@500', 'k3=B@500', 'k2=AABBBBB@500',
    ]);
  });

  it('folds each stream with its own aggregator (testCogroupKeyMixedAggregators)', () => {
    const result = run(twoStreams(remover, adder, init), [
      one('k1', '1', 0), one('k2', '1', 1), one('k1', '1', 10), one('k2', '1', 100),
      two('k1', '2', 500), two('k2', '2', 500), two('k1', '2', 500), two('k2', '2', 100),
    ]);
    assert.deepEqual(result.out, [
      'k1=0-1@0', 'k2=0-1@1', 'k1=0-1-1@10', 'k2=0-1-1@100', 'k1=0-1-1+2@500', 'k2=0-1-1+2@500', 'k1=0-1-1+2+2@500', 'k2=0-1-1+2+2@500',
    ]);
  });

  it('takes inputs of different value types into an aggregate of a third (shouldCoGroupStreamsWithDifferentInputTypes)', () => {
    const result = run(
      (builder) => {
        const strs = builder.stream('one', strings).groupByKey();
        const ints = builder.stream('two', { keySerde: Serdes.String(), valueSerde: Serdes.Integer() }).groupByKey();
        strs
          .cogroup((_key, value: string, sum: number) => sum + Number.parseInt(value, 10))
          .cogroup(ints, (_key, value, sum) => sum + value)
          .aggregate(() => 0, { storeName: 'store1', valueSerde: Serdes.Integer() })
          .toStream()
          .to('out', { keySerde: Serdes.String(), valueSerde: Serdes.Integer() });
      },
      [
        one('k1', '1', 0), one('k2', '1', 1), one('k1', '1', 10), one('k2', '1', 100),
        ['two', 'k2', 2, 100], ['two', 'k2', 2, 200], ['two', 'k1', 2, 1], ['two', 'k2', 2, 500], ['two', 'k1', 2, 500], ['two', 'k2', 3, 500],
        ['two', 'k3', 2, 500], ['two', 'k2', 2, 100],
      ],
      Serdes.Integer() as Serde<unknown>,
    );
    assert.deepEqual(result.out, [
      'k1=1@0', 'k2=1@1', 'k1=2@10', 'k2=2@100', 'k2=4@100', 'k2=6@200', 'k1=4@10', 'k2=8@500', 'k1=6@500', 'k2=11@500', 'k3=2@500', 'k2=13@500',
    ]);
  });

  it('aggregates three streams (testCogroupWithThreeGroupedStreams)', () => {
    const result = run(
      (builder) => {
        const grouped = ['one', 'two', 'three'].map((topic) => builder.stream(topic, strings).groupByKey());
        grouped[0]!.cogroup(concat).cogroup(grouped[1]!, concat).cogroup(grouped[2]!, concat).aggregate(empty, values).toStream().to('out');
      },
      [
        one('k1', 'A', 0), one('k2', 'A', 1), one('k1', 'A', 10), one('k2', 'A', 100),
        two('k2', 'B', 100), two('k2', 'B', 200), two('k1', 'B', 1), two('k2', 'B', 500),
        three('k1', 'B', 500), three('k2', 'B', 500), three('k3', 'B', 500), three('k2', 'B', 100),
      ],
    );
    assert.deepEqual(result.out, [
      'k1=A@0', 'k2=A@1', 'k1=AA@10', 'k2=AA@100', 'k2=AAB@100', 'k2=AABB@200', 'k1=AAB@10', 'k2=AABBB@500', 'k1=AABB@500',
      'k2=AABBBB@500', 'k3=B@500', 'k2=AABBBBB@500',
    ]);
  });
});

/**
 * Expectations printed by Kafka Streams 4.1.2's `TopologyTestDriver` for the same topologies and inputs (a
 * throwaway Java main on the classpath of `scripts/parity/java`).
 */
describe('cogroup through repartition topics and downstream tables', () => {
  it('reads an input whose keys changed through its repartition topic; null keys and values are dropped', () => {
    const result = run(
      (builder) => {
        const one = builder.stream('one', strings);
        const two = builder.stream('two', strings);
        one.map((key, value) => KeyValue.pair(value, key)).groupByKey(strings).cogroup(adder).cogroup(two.groupByKey(), remover).aggregate(init, values).toStream().to('out');
      },
      [['one', 'a', 'x', 0], ['two', 'x', 'b', 1], ['one', 'b', 'x', 2], ['two', 'y', 'c', 3], ['one', 'c', 'y', 1], ['one', null, 'z', 4], ['two', 'z', null, 5]],
    );
    assert.deepEqual(result.out, ['x=0+a@0', 'x=0+a-b@1', 'x=0+a-b+b@2', 'y=0-c@3', 'y=0-c+c@3']);
    assert.equal(result.dropped.nullValues, 2, 'the swapped null key, then the null value');
  });

  it('repartitions two inputs through topics named after their groupings', () => {
    const define = (builder: StreamsBuilder): void => {
      const one = builder.stream('one', strings);
      const two = builder.stream('two', strings);
      const g1 = one.map((key, value) => KeyValue.pair(value, key)).groupByKey({ name: 'g1', ...strings });
      const g2 = two.selectKey((_key, value) => value).groupByKey({ name: 'g2', ...strings });
      g1.cogroup(adder).cogroup(g2, remover).aggregate(init, values).toStream().to('out');
    };
    const result = run(define, [['one', 'a', 'x', 0], ['two', 'q', 'x', 1], ['one', 'b', 'x', 2], ['two', 'r', 'y', 3]]);
    assert.deepEqual(result.out, ['x=0+a@0', 'x=0+a-x@1', 'x=0+a-x+b@2', 'y=0-y@3']);
    const builder = new StreamsBuilder();
    define(builder);
    assert.deepEqual(builder.build().build().internalTopics.map((topic) => topic.name).sort(), ['g1-repartition', 'g2-repartition']);
  });

  const regroupedCount = (caching: boolean) => (builder: StreamsBuilder): void => {
    const one = builder.stream('one', strings).groupByKey();
    const two = builder.stream('two', strings).groupByKey();
    one
      .cogroup((_key, value: string) => value)
      .cogroup(two, (_key, value, aggregate) => (aggregate === '0' ? value : aggregate + value))
      .aggregate(init, { ...values, caching })
      .groupBy((key, value) => KeyValue.pair(value, key), strings)
      .count({ caching })
      .toStream()
      .mapValues((count) => String(count))
      .to('out', strings);
  };
  const regroupInputs: Input[] = [['one', 'a', 'x', 0], ['one', 'b', 'x', 1], ['two', 'a', 'y', 2], ['one', 'a', 'x', 3]];

  it('sends old values to a downstream groupBy, which retracts them', () => {
    assert.deepEqual(run(regroupedCount(true), regroupInputs).out, ['x=1@0', 'x=2@1', 'x=1@2', 'xy=1@2', 'xy=0@3', 'x=2@3']);
  });

  it('is looked up from its store by a table-table join (testCogroupWithKTableKTableInnerJoin)', () => {
    const result = run(
      (builder) => {
        const one = builder.stream('one', strings).groupByKey();
        const two = builder.stream('two', strings).groupByKey();
        const cogrouped = one.cogroup(concat).cogroup(two, concat).aggregate(empty, { name: 'name', storeName: 'store', ...values });
        const table = builder.table('three', strings);
        cogrouped.join(table, (left, right) => `${left}+${right}`, strings).toStream().to('out', strings);
      },
      [['one', 'k1', 'A', 5], ['two', 'k2', 'B', 6], ['three', 'k1', 'C', 0], ['three', 'k2', 'D', 10]],
    );
    assert.deepEqual(result.out, ['k1=A+C@5', 'k2=B+D@10']);
  });

  it("without a cache, sends a new key's initial aggregate as its old value, as KStreamAggregate does", () => {
    // The initializer's "0" is retracted from group "0", which leaves a tombstone there. (The Java run turned
    // caching off with statestore.cache.max.bytes=0.)
    assert.deepEqual(run(regroupedCount(false), regroupInputs).out, [
      '0=null@0', 'x=1@0', '0=null@1', 'x=2@1', 'x=1@2', 'xy=1@2', 'xy=0@3', 'x=2@3',
    ]);
  });
});

/** Expectations from Kafka Streams' `TimeWindowedCogroupedKStreamImplTest`. */
describe('TimeWindowedCogroupedKStream.aggregate', () => {
  const tumbling500 = TimeWindows.ofSizeWithNoGrace(500);

  it('aggregates per window, one input (timeWindowAggregateTestStreamsTest)', () => {
    const result = run((builder) => toOut(addThenRemove(builder).windowedBy(tumbling500).aggregate(init, strings)), [
      TOPIC('k1', 'A', 0), TOPIC('k2', 'A', 0), TOPIC('k2', 'A', 1), TOPIC('k1', 'A', 2),
      TOPIC('k1', 'B', 3), TOPIC('k2', 'B', 3), TOPIC('k2', 'B', 4), TOPIC('k1', 'B', 4),
    ]);
    assert.deepEqual(result.out, [
      'k1@0-500=0+A@0', 'k2@0-500=0+A@0', 'k2@0-500=0+A+A@1', 'k1@0-500=0+A+A@2',
      'k1@0-500=0+A+A+B@3', 'k2@0-500=0+A+A+B@3', 'k2@0-500=0+A+A+B+B@4', 'k1@0-500=0+A+A+B+B@4',
    ]);
  });

  it('folds each input with its own aggregator into the same windows (timeWindowMixAggregatorsTest)', () => {
    const result = run((builder) => toOut(addThenRemove(builder).windowedBy(tumbling500).aggregate(init, strings)), [
      TOPIC('k1', 'A', 0), TOPIC('k2', 'A', 0), TOPIC('k2', 'A', 1), TOPIC('k1', 'A', 2),
      TOPIC2('k1', 'B', 3), TOPIC2('k2', 'B', 3), TOPIC2('k2', 'B', 4), TOPIC2('k1', 'B', 4),
    ]);
    assert.deepEqual(result.out, [
      'k1@0-500=0+A@0', 'k2@0-500=0+A@0', 'k2@0-500=0+A+A@1', 'k1@0-500=0+A+A@2',
      'k1@0-500=0+A+A-B@3', 'k2@0-500=0+A+A-B@3', 'k2@0-500=0+A+A-B-B@4', 'k1@0-500=0+A+A-B-B@4',
    ]);
  });

  it('opens a new window at its start (timeWindowAggregateManyWindowsTest)', () => {
    const result = run(
      (builder) => toOut(builder.stream('topic', strings).groupByKey().cogroup(adder).windowedBy(tumbling500).aggregate(init, strings)),
      [TOPIC('k1', 'A', 0), TOPIC('k2', 'A', 499), TOPIC('k2', 'A', 500), TOPIC('k1', 'A', 500)],
    );
    assert.deepEqual(result.out, ['k1@0-500=0+A@0', 'k2@0-500=0+A@499', 'k2@500-1000=0+A@500', 'k1@500-1000=0+A@500']);
  });

  it('updates every hopping window of a record, by start (timeWindowAggregateOverlappingWindowsTest)', () => {
    const hopping = TimeWindows.ofSizeWithNoGrace(500).advanceBy(200);
    const result = run(
      (builder) => toOut(builder.stream('topic', strings).groupByKey().cogroup(adder).windowedBy(hopping).aggregate(init, strings)),
      [TOPIC('k1', 'A', 0), TOPIC('k2', 'A', 0), TOPIC('k1', 'B', 250), TOPIC('k2', 'B', 250), TOPIC('k2', 'A', 500), TOPIC('k1', 'A', 500)],
    );
    assert.deepEqual(result.out, [
      'k1@0-500=0+A@0', 'k2@0-500=0+A@0', 'k1@0-500=0+A+B@250', 'k1@200-700=0+B@250', 'k2@0-500=0+A+B@250', 'k2@200-700=0+B@250',
      'k2@200-700=0+B+A@500', 'k2@400-900=0+A@500', 'k1@200-700=0+B+A@500', 'k1@400-900=0+A@500',
    ]);
  });

  it('starts the next window from the initializer whichever input opens it (timeWindowMixAggregatorsManyWindowsTest)', () => {
    const result = run((builder) => toOut(addThenRemove(builder).windowedBy(tumbling500).aggregate(init, strings)), [
      TOPIC('k1', 'A', 0), TOPIC('k2', 'A', 0), TOPIC('k2', 'A', 1), TOPIC('k1', 'A', 2),
      TOPIC2('k1', 'B', 3), TOPIC2('k2', 'B', 3), TOPIC2('k2', 'B', 501), TOPIC2('k1', 'B', 501),
    ]);
    assert.deepEqual(result.out, [
      'k1@0-500=0+A@0', 'k2@0-500=0+A@0', 'k2@0-500=0+A+A@1', 'k1@0-500=0+A+A@2',
      'k1@0-500=0+A+A-B@3', 'k2@0-500=0+A+A-B@3', 'k2@500-1000=0-B@501', 'k1@500-1000=0-B@501',
    ]);
  });

  it("keeps each input's own stream time, as Kafka Streams' processors do (Java run)", () => {
    const result = run((builder) => toOut(addThenRemove(builder).windowedBy(TimeWindows.ofSizeWithNoGrace(10)).aggregate(init, { ...strings, retentionMs: 1_000 })), [
      TOPIC('a', '1', 0), TOPIC('a', '2', 20),
      // topic2 has not seen time 20: [0,10) is still open for it.
      TOPIC2('a', '3', 5),
      // topic has: the record is late.
      TOPIC('a', '4', 6),
      TOPIC2('a', '5', 30),
      TOPIC2('a', '6', 21),
    ]);
    assert.deepEqual(result.out, ['a@0-10=0+1@0', 'a@20-30=0+2@20', 'a@0-10=0+1-3@5', 'a@30-40=0-5@30']);
    assert.equal(result.dropped.lateRecords, 2);
  });

  it('emits final results through suppress(untilWindowCloses) (Java run)', () => {
    const windows = TimeWindows.ofSizeAndGrace(10, 5);
    const result = run(
      (builder) => toOut(addThenRemove(builder).windowedBy(windows).aggregate(init, strings).suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))),
      [TOPIC('a', '1', 0), TOPIC2('a', '2', 5), TOPIC2('b', '3', 3), TOPIC('a', '4', 12), TOPIC2('b', '5', 14), TOPIC('a', '6', 15), TOPIC2('a', '7', 31)],
    );
    assert.deepEqual(result.out, ['a@0-10=0+1-2@5', 'b@0-10=0-3@3', 'a@10-20=0+4+6@15', 'b@10-20=0-5@14']);
  });
});

/** Expectations from Kafka Streams' `SlidingWindowedCogroupedKStreamImplTest`, and a Java run for three inputs. */
describe('sliding windows over a cogroup', () => {
  const sliding = SlidingWindows.ofTimeDifferenceAndGrace(500, 2_000);

  it('creates and updates the left and right windows of every record (slidingWindowAggregateStreamsTest)', () => {
    const result = run((builder) => toOut(addThenRemove(builder).windowedBy(sliding).aggregate(init, strings)), [
      TOPIC('k1', 'A', 500), TOPIC('k2', 'A', 500), TOPIC('k2', 'A', 501), TOPIC('k1', 'A', 502),
      TOPIC('k1', 'B', 503), TOPIC('k2', 'B', 503), TOPIC('k2', 'B', 504), TOPIC('k1', 'B', 504),
    ]);
    assert.deepEqual(result.out, [
      'k1@0-500=0+A@500', 'k2@0-500=0+A@500',
      'k2@501-1001=0+A@501', 'k2@1-501=0+A+A@501',
      'k1@501-1001=0+A@502', 'k1@2-502=0+A+A@502',
      'k1@501-1001=0+A+B@503', 'k1@503-1003=0+B@503', 'k1@3-503=0+A+A+B@503',
      'k2@501-1001=0+A+B@503', 'k2@502-1002=0+B@503', 'k2@3-503=0+A+A+B@503',
      'k2@502-1002=0+B+B@504', 'k2@501-1001=0+A+B+B@504', 'k2@504-1004=0+B@504', 'k2@4-504=0+A+A+B+B@504',
      'k1@503-1003=0+B+B@504', 'k1@501-1001=0+A+B+B@504', 'k1@504-1004=0+B@504', 'k1@4-504=0+A+A+B+B@504',
    ]);
  });

  it('updates overlapping windows (slidingWindowAggregateOverlappingWindowsTest)', () => {
    const result = run(
      (builder) => toOut(builder.stream('topic', strings).groupByKey(strings).cogroup(adder).windowedBy(sliding).aggregate(init, strings)),
      [TOPIC('k1', 'A', 500), TOPIC('k2', 'A', 500), TOPIC('k1', 'B', 750), TOPIC('k2', 'B', 750), TOPIC('k2', 'A', 1000), TOPIC('k1', 'A', 1000)],
    );
    assert.deepEqual(result.out.map((record) => record.replace(/@\d+-\d+=/, '=')), [
      'k1=0+A@500', 'k2=0+A@500', 'k1=0+B@750', 'k1=0+A+B@750', 'k2=0+B@750', 'k2=0+A+B@750',
      'k2=0+B+A@1000', 'k2=0+A@1000', 'k2=0+A+B+A@1000', 'k1=0+B+A@1000', 'k1=0+A@1000', 'k1=0+A+B+A@1000',
    ]);
  });

  it('aggregates three inputs into one sliding window store (Java run)', () => {
    const result = run(
      (builder) => {
        const three = builder.stream('three', strings).groupByKey();
        toOut(addThenRemove(builder).cogroup(three, multiplier).windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(10, 100)).aggregate(init, strings));
      },
      [TOPIC('a', '1', 10), TOPIC2('a', '2', 15), ['three', 'a', '3', 22], TOPIC('a', '4', 12), ['three', 'b', '5', 30], TOPIC2('a', '6', 40)],
    );
    assert.deepEqual(result.out, [
      'a@0-10=0+1@10', 'a@11-21=0-2@15', 'a@5-15=0+1-2@15', 'a@16-26=0*3@22', 'a@12-22=0-2*3@22', 'a@12-22=0-2*3+4@22',
      'a@11-21=0-2+4@15', 'a@5-15=0+1-2+4@15', 'a@2-12=0+1+4@12', 'a@13-23=0-2*3@22', 'b@20-30=0*5@30', 'a@30-40=0-6@40',
    ]);
  });
});

/** Expectations from Kafka Streams' `SessionWindowedCogroupedKStreamImplTest`, and a Java run with a repartition. */
describe('SessionWindowedCogroupedKStream.aggregate', () => {
  const gap500 = SessionWindows.ofInactivityGapWithNoGrace(500);
  const gap100 = SessionWindows.ofInactivityGapAndGrace(100, 86_400_000);
  const sessions = (builder: StreamsBuilder, windows: SessionWindows): KTable<Windowed<string>, string> =>
    builder.stream('topic', strings).groupByKey(strings).cogroup(adder).windowedBy(windows).aggregate(init, plusMerger, strings);
  const withoutWindows = (out: string[]): string[] => out.map((record) => record.replace(/@\d+-\d+=/, '='));

  it('opens a session per key and gap (sessionWindowAggregateTest)', () => {
    const result = run((builder) => toOut(sessions(builder, gap500)), [TOPIC('k1', 'A', 0), TOPIC('k2', 'A', 0), TOPIC('k1', 'B', 599), TOPIC('k2', 'B', 607)]);
    assert.deepEqual(withoutWindows(result.out), ['k1=0+A@0', 'k2=0+A@0', 'k1=0+B@599', 'k2=0+B@607']);
  });

  it('merges into an existing session (sessionWindowAggregate2Test)', () => {
    const result = run((builder) => toOut(sessions(builder, gap500)), [TOPIC('k1', 'A', 0), TOPIC('k1', 'A', 0), TOPIC('k2', 'B', 599), TOPIC('k1', 'B', 607)]);
    assert.deepEqual(withoutWindows(result.out), ['k1=0+A@0', 'k1=0+0+A+A@0', 'k2=0+B@599', 'k1=0+B@607']);
  });

  it('retracts each merged session with a tombstone (sessionWindowAggregateTest2StreamsTest)', () => {
    const result = run((builder) => toOut(addThenRemove(builder).windowedBy(gap100).aggregate(init, plusMerger, strings)), [
      TOPIC('k1', 'A', 0), TOPIC('k1', 'A', 84), TOPIC('k1', 'A', 113), TOPIC('k1', 'A', 199),
      TOPIC('k1', 'B', 300), TOPIC('k2', 'B', 301), TOPIC('k2', 'B', 400), TOPIC('k1', 'B', 400),
    ]);
    assert.deepEqual(withoutWindows(result.out), [
      'k1=0+A@0', 'k1=null@0', 'k1=0+0+A+A@84', 'k1=null@84', 'k1=0+0+0+A+A+A@113', 'k1=null@113', 'k1=0+0+0+0+A+A+A+A@199',
      'k1=0+B@300', 'k2=0+B@301', 'k2=null@301', 'k2=0+0+B+B@400', 'k1=null@300', 'k1=0+0+B+B@400',
    ]);
  });

  it('merges sessions across inputs, each folding with its own aggregator (sessionWindowMixAggregatorsTest)', () => {
    const result = run((builder) => toOut(addThenRemove(builder).windowedBy(gap100).aggregate(init, plusMerger, strings)), [
      TOPIC('k1', 'A', 0), TOPIC('k2', 'A', 0), TOPIC('k2', 'A', 1), TOPIC('k1', 'A', 2),
      TOPIC2('k1', 'B', 3), TOPIC2('k2', 'B', 3), TOPIC2('k2', 'B', 444), TOPIC2('k1', 'B', 444),
    ]);
    assert.deepEqual(withoutWindows(result.out), [
      'k1=0+A@0', 'k2=0+A@0', 'k2=null@0', 'k2=0+0+A+A@1', 'k1=null@0', 'k1=0+0+A+A@2', 'k1=null@2', 'k1=0+0+0+A+A-B@3',
      'k2=null@1', 'k2=0+0+0+A+A-B@3', 'k2=0-B@444', 'k1=0-B@444',
    ]);
  });

  it('opens new sessions past the gap (sessionWindowMixAggregatorsManyWindowsTest)', () => {
    const result = run((builder) => toOut(addThenRemove(builder).windowedBy(gap100).aggregate(init, plusMerger, strings)), [
      TOPIC('k1', 'A', 0), TOPIC('k2', 'A', 0), TOPIC('k2', 'A', 1), TOPIC('k1', 'A', 2),
      TOPIC2('k1', 'B', 3), TOPIC2('k2', 'B', 500), TOPIC2('k2', 'B', 501), TOPIC2('k1', 'B', 501),
    ]);
    assert.deepEqual(withoutWindows(result.out), [
      'k1=0+A@0', 'k2=0+A@0', 'k2=null@0', 'k2=0+0+A+A@1', 'k1=null@0', 'k1=0+0+A+A@2', 'k1=null@2', 'k1=0+0+0+A+A-B@3',
      'k2=0-B@500', 'k2=null@500', 'k2=0+0-B-B@501', 'k1=0-B@501',
    ]);
  });

  it('bridges sessions of a repartitioned input and a direct one (Java run)', () => {
    const result = run(
      (builder) => {
        const one = builder.stream('one', strings).selectKey((_key, value) => value.slice(0, 1)).groupByKey(strings);
        const two = builder.stream('two', strings).groupByKey();
        const windows = SessionWindows.ofInactivityGapAndGrace(10, 50);
        toOut(one.cogroup(adder).cogroup(two, remover).windowedBy(windows).aggregate(init, (_key, a, b) => `${a}|${b}`, strings));
      },
      [['one', 'x', 'a1', 0], ['two', 'a', 'b', 25], ['one', 'y', 'a2', 12], ['two', 'a', 'c', 5], ['one', 'z', 'b3', 6]],
    );
    assert.deepEqual(result.out, [
      'a@0-0=0+a1@0', 'a@25-25=0-b@25', 'a@12-12=0+a2@12', 'a@0-0=null@0', 'a@12-12=null@12', 'a@0-12=0|0+a1|0+a2-c@12', 'b@6-6=0+b3@6',
    ]);
  });
});

/**
 * `emitStrategy('onWindowClose')` on a cogroup: not in Kafka Streams (its cogroups emit on update), so these are
 * our rules: the inputs of a task share one stream time and one emit watermark.
 */
describe('cogroups emitting on window close', () => {
  it('emits each closed window once, with every input folded in; a record late for the shared stream time is dropped', () => {
    const windows = TimeWindows.ofSizeWithNoGrace(10);
    const result = run((builder) => toOut(addThenRemove(builder).windowedBy(windows).emitStrategy('onWindowClose').aggregate(init, strings)), [
      TOPIC('a', '1', 0), TOPIC2('a', '2', 5), TOPIC2('b', '3', 3),
      // Closes [0,10) for both inputs: emitted through this input's processor.
      TOPIC('a', '4', 12),
      // topic2 saw only time 5, but the window has closed for the cogroup: late.
      TOPIC2('a', '5', 6),
      TOPIC2('b', '6', 14),
      TOPIC2('a', '7', 31),
    ]);
    assert.deepEqual(result.out, ['a@0-10=0+1-2@5', 'b@0-10=0-3@3', 'a@10-20=0+4@12', 'b@10-20=0-6@14']);
    assert.equal(result.dropped.lateRecords, 1);
  });

  it('emits merged sessions once they close', () => {
    const windows = SessionWindows.ofInactivityGapWithNoGrace(10);
    const result = run(
      (builder) => toOut(addThenRemove(builder).windowedBy(windows).emitStrategy('onWindowClose').aggregate(init, plusMerger, strings)),
      [TOPIC('a', '1', 0), TOPIC2('a', '2', 5), TOPIC2('b', '3', 30), TOPIC('a', '4', 8), TOPIC('a', '5', 45)],
    );
    assert.deepEqual(result.out, ['a@0-5=0+0+1-2@5', 'b@30-30=0-3@30']);
    assert.equal(result.dropped.lateRecords, 1);
  });

  it('emits closed sliding windows of all inputs', () => {
    const windows = SlidingWindows.ofTimeDifferenceWithNoGrace(10);
    const result = run(
      (builder) => toOut(addThenRemove(builder).windowedBy(windows).emitStrategy('onWindowClose').aggregate(init, strings)),
      [TOPIC('a', '1', 10), TOPIC2('a', '2', 15), TOPIC('a', '3', 40)],
    );
    assert.deepEqual(result.out, ['a@0-10=0+1@10', 'a@5-15=0+1-2@15', 'a@11-21=0-2@15']);
  });

  it('connects every input to the watermark store next to the window store', () => {
    const builder = new StreamsBuilder();
    addThenRemove(builder).windowedBy(TimeWindows.ofSizeWithNoGrace(10)).emitStrategy('onWindowClose').aggregate(init, strings);
    const processors = formatTopologyText(builder.build().describe())
      .split('\n')
      .filter((line) => line.includes('Processor: COGROUPKSTREAM-AGGREGATE-'));
    const stores = '(stores: [COGROUPKSTREAM-AGGREGATE-STATE-STORE-0000000002-emit-watermark, COGROUPKSTREAM-AGGREGATE-STATE-STORE-0000000002])';
    assert.deepEqual(processors, [
      `    Processor: COGROUPKSTREAM-AGGREGATE-0000000003 ${stores}`,
      `    Processor: COGROUPKSTREAM-AGGREGATE-0000000004 ${stores}`,
    ]);
  });
});
