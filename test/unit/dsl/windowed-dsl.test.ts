import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TopologyError } from '../../../src/core/errors.js';
import { Serdes } from '../../../src/core/serdes.js';
import type { Windowed } from '../../../src/core/windowed.js';
import type { KeyValue } from '../../../src/state/key-value.js';
import { StreamsBuilder } from '../../../src/topology/dsl/streams-builder.js';
import { BufferConfig, Suppressed } from '../../../src/topology/dsl/suppress/suppressed.js';
import { formatTopologyText } from '../../../src/topology/describe/format-topology-text.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';
import { SessionWindows } from '../../../src/windows/session-windows.js';
import { SlidingWindows } from '../../../src/windows/sliding-windows.js';
import { TimeWindows } from '../../../src/windows/time-windows.js';
import { WindowedSerdes } from '../../../src/windows/windowed-serdes.js';

const strings = { keySerde: Serdes.String(), valueSerde: Serdes.String() };
const SIZE = 1_000;

/** `key@start-end=value`: one output record, readable in assertion diffs. */
function show(record: KeyValue<Windowed<string> | null, number | null>): string {
  const { key, value } = record;
  return `${key?.key}@${key?.window.start}-${key?.window.end}=${value}`;
}

interface Run {
  readonly out: string[];
  readonly lateRecords: number;
}

/** Pipes `[key, timestamp]` records (value `v`) into `in`; returns what reached `out` and the late-record count. */
function run(define: (builder: StreamsBuilder) => void, inputs: ReadonlyArray<readonly [string, number]>, windowSizeMs = SIZE): Run {
  const builder = new StreamsBuilder();
  define(builder);
  const driver = new TopologyTestDriver(builder.build());
  try {
    const input = driver.createInputTopic('in', Serdes.String(), Serdes.String());
    for (const [key, timestamp] of inputs) input.pipeInput(key, 'v', timestamp);
    const keySerde = windowSizeMs === 0 ? WindowedSerdes.sessionWindowedSerdeFrom(Serdes.String()) : WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), windowSizeMs);
    const out = driver.createOutputTopic('out', keySerde, Serdes.Long()).readKeyValuesToList().map(show);
    let lateRecords = 0;
    for (const metrics of driver.metrics().values()) lateRecords += metrics.droppedRecords.lateRecords;
    return { out, lateRecords };
  } finally {
    driver.close();
  }
}

const windowedCountTo = (windowedSerdeSize: number) => (builder: StreamsBuilder, windows: TimeWindows | SlidingWindows) =>
  builder
    .stream('in', strings)
    .groupByKey()
    .windowedBy(windows)
    .count()
    .toStream()
    .to('out', { keySerde: WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), windowedSerdeSize), valueSerde: Serdes.Long() });

describe('windowed aggregations through the DSL', () => {
  it('counts per tumbling window, emitting every update, and drops a record exactly at window end + grace', () => {
    const windows = TimeWindows.ofSizeAndGrace(SIZE, 500);
    const result = run((builder) => windowedCountTo(SIZE)(builder, windows), [
      ['a', 0],
      ['a', 999],
      ['b', 1_200],
      // Out of order but within grace: stream time 1,200 < 1,000 + 500, window [0,1000) still open.
      ['a', 10],
      ['a', 1_500],
      // Stream time 1,500 = end 1,000 + grace 500: the window has closed, the record is late.
      ['a', 20],
    ]);
    assert.deepEqual(result.out, ['a@0-1000=1', 'a@0-1000=2', 'b@1000-2000=1', 'a@0-1000=3', 'a@1000-2000=1']);
    assert.equal(result.lateRecords, 1);
  });

  it('keeps its own stream time: a dropped record without a key does not close windows', () => {
    const builder = new StreamsBuilder();
    windowedCountTo(10)(builder, TimeWindows.ofSizeWithNoGrace(10));
    const driver = new TopologyTestDriver(builder.build());
    try {
      const input = driver.createInputTopic('in', Serdes.String(), Serdes.String());
      input.pipeInput('a', 'v', 0);
      // The task's stream time jumps to 1,000, but the aggregation never takes this record (no key).
      input.pipeInput(null, 'v', 1_000);
      input.pipeInput('a', 'v', 5);
      const out = driver.createOutputTopic('out', WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), 10), Serdes.Long()).readKeyValuesToList();
      assert.deepEqual(out.map(show), ['a@0-10=1', 'a@0-10=2']);
      const dropped = driver.metrics().get('0_0')!.droppedRecords;
      assert.deepEqual([dropped.nullKeys, dropped.lateRecords], [1, 0]);
    } finally {
      driver.close();
    }
  });

  it('adds a record to every hopping window containing it, oldest window first', () => {
    const windows = TimeWindows.ofSizeWithNoGrace(SIZE).advanceBy(500);
    const result = run((builder) => windowedCountTo(SIZE)(builder, windows), [
      ['a', 700],
      ['a', 1_100],
    ]);
    assert.deepEqual(result.out, ['a@0-1000=1', 'a@500-1500=1', 'a@500-1500=2', 'a@1000-2000=1']);
  });

  it('reduce and aggregate use the grouped serdes and their own initial values', () => {
    const builder = new StreamsBuilder();
    const windowed = builder.stream('in', strings).groupByKey().windowedBy(TimeWindows.ofSizeWithNoGrace(SIZE));
    windowed
      .reduce((joined, value) => `${joined}+${value}`)
      .toStream()
      .to('reduced', { keySerde: WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), SIZE), valueSerde: Serdes.String() });
    windowed
      .aggregate(() => 100, (_key, value, sum) => sum + value.length, { valueSerde: Serdes.Long() })
      .toStream()
      .to('aggregated', { keySerde: WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), SIZE), valueSerde: Serdes.Long() });
    const driver = new TopologyTestDriver(builder.build());
    try {
      const input = driver.createInputTopic('in', Serdes.String(), Serdes.String());
      input.pipeInput('a', 'x', 1);
      input.pipeInput('a', 'yy', 2);
      const keySerde = WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), SIZE);
      assert.deepEqual(driver.createOutputTopic('reduced', keySerde, Serdes.String()).readValuesToList(), ['x', 'x+yy']);
      assert.deepEqual(driver.createOutputTopic('aggregated', keySerde, Serdes.Long()).readValuesToList(), [101, 103]);
    } finally {
      driver.close();
    }
  });

  it('emits each window once when it closes with emitStrategy onWindowClose', () => {
    const result = run(
      (builder) =>
        builder
          .stream('in', strings)
          .groupByKey()
          .windowedBy(TimeWindows.ofSizeWithNoGrace(SIZE))
          .emitStrategy('onWindowClose')
          .count()
          .toStream()
          .to('out', { keySerde: WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), SIZE), valueSerde: Serdes.Long() }),
      [
        ['a', 0],
        ['a', 500],
        ['b', 900],
        ['a', 1_000],
        ['a', 2_000],
      ],
    );
    assert.deepEqual(result.out, ['a@0-1000=2', 'b@0-1000=1', 'a@1000-2000=1']);
  });

  it('emits a session on close even when it closes at the edge of the minimum retention', () => {
    const result = run(
      (builder) =>
        builder
          .stream('in', strings)
          .groupByKey()
          .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(100))
          .emitStrategy('onWindowClose')
          .count()
          .toStream()
          .to('out', { keySerde: WindowedSerdes.sessionWindowedSerdeFrom(Serdes.String()), valueSerde: Serdes.Long() }),
      [
        ['a', 0],
        // Stream time 100: session a 0-0 is still open (it closes once stream time is past end + gap + grace)...
        ['b', 100],
        // ...and closes at 101, one ms after a store keeping exactly gap + grace would have dropped it.
        ['b', 101],
      ],
      0,
    );
    assert.deepEqual(result.out, ['a@0-0=1']);
  });

  it('suppress(untilWindowCloses) emits one final result per window, after stream time passes end + grace', () => {
    const result = run(
      (builder) =>
        builder
          .stream('in', strings)
          .groupByKey()
          .windowedBy(TimeWindows.ofSizeAndGrace(SIZE, 200))
          .count()
          .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))
          .toStream()
          .to('out', { keySerde: WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), SIZE), valueSerde: Serdes.Long() }),
      [
        ['a', 0],
        ['a', 500],
        ['b', 1_100],
        ['a', 100],
        ['a', 1_199],
        ['c', 1_200],
      ],
    );
    assert.deepEqual(result.out, ['a@0-1000=3']);
  });

  it('counts sessions and retracts the sessions a record merges', () => {
    const result = run(
      (builder) =>
        builder
          .stream('in', strings)
          .groupByKey()
          // The grace keeps session 0-0 in the store (retention = gap + grace) when stream time reaches 150.
          .windowedBy(SessionWindows.ofInactivityGapAndGrace(100, 100))
          .count()
          .toStream()
          .to('out', { keySerde: WindowedSerdes.sessionWindowedSerdeFrom(Serdes.String()), valueSerde: Serdes.Long() }),
      [
        ['a', 0],
        ['a', 150],
        ['a', 80],
      ],
      0,
    );
    // The record at 80 bridges sessions 0-0 and 150-150: both are retracted (tombstones), then 0-150 holds all three.
    assert.deepEqual(result.out, ['a@0-0=1', 'a@150-150=1', 'a@0-0=null', 'a@150-150=null', 'a@0-150=3']);
  });

  it('suppress(untilWindowCloses) after sessions waits for the gap and the grace before a final result', () => {
    const result = run(
      (builder) =>
        builder
          .stream('in', strings)
          .groupByKey()
          .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(10))
          .count()
          .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))
          .toStream()
          .to('out', { keySerde: WindowedSerdes.sessionWindowedSerdeFrom(Serdes.String()), valueSerde: Serdes.Long() }),
      [
        ['a', 0],
        ['b', 5],
        // Merges into a 0-8 (a 0-0 is retracted: its tombstone is never emitted, as it was never emitted itself).
        ['a', 8],
        // Stream time 18 = end 8 + gap 10: a 0-8 could still grow, nothing is final yet.
        ['c', 18],
        ['c', 100],
      ],
      0,
    );
    // Oldest session end first: b 5-5, a 0-8, then c 18-18 (end 18 + gap 10 <= 100).
    assert.deepEqual(result.out, ['b@5-5=1', 'a@0-8=2', 'c@18-18=1']);
  });

  it('session reduce merges sessions with the reducer, never with the initial null', () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in', strings)
      .groupByKey()
      .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(10))
      .reduce((joined, value) => `${joined}+${value}`)
      .toStream()
      .to('out', { keySerde: WindowedSerdes.sessionWindowedSerdeFrom(Serdes.String()), valueSerde: Serdes.String() });
    const driver = new TopologyTestDriver(builder.build());
    try {
      const input = driver.createInputTopic('in', Serdes.String(), Serdes.String());
      input.pipeInput('a', 'x', 0);
      input.pipeInput('a', 'y', 5);
      const out = driver.createOutputTopic('out', WindowedSerdes.sessionWindowedSerdeFrom(Serdes.String()), Serdes.String()).readValuesToList();
      assert.deepEqual(out, ['x', null, 'x+y']);
    } finally {
      driver.close();
    }
  });

  it('names windowed aggregations and suppression as Kafka Streams does', () => {
    const builder = new StreamsBuilder();
    builder
      .stream('in', strings)
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeWithNoGrace(SIZE))
      .count()
      .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))
      .toStream()
      .to('out', { keySerde: WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), SIZE), valueSerde: Serdes.Long() });
    assert.equal(
      formatTopologyText(builder.build().describe()),
      [
        'Topologies:',
        '   Sub-topology: 0',
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [in])',
        '      --> KSTREAM-AGGREGATE-0000000002',
        '    Processor: KSTREAM-AGGREGATE-0000000002 (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000001])',
        '      --> KTABLE-SUPPRESS-0000000003',
        '      <-- KSTREAM-SOURCE-0000000000',
        '    Processor: KTABLE-SUPPRESS-0000000003 (stores: [KTABLE-SUPPRESS-STATE-STORE-0000000004])',
        '      --> KTABLE-TOSTREAM-0000000005',
        '      <-- KSTREAM-AGGREGATE-0000000002',
        '    Processor: KTABLE-TOSTREAM-0000000005 (stores: [])',
        '      --> KSTREAM-SINK-0000000006',
        '      <-- KTABLE-SUPPRESS-0000000003',
        '    Sink: KSTREAM-SINK-0000000006 (topic: out)',
        '      <-- KTABLE-TOSTREAM-0000000005',
        '',
        '',
      ].join('\n'),
    );
  });

  it('refuses a retention shorter than size + grace and final results of a table that is not windowed', () => {
    const grouped = () => new StreamsBuilder().stream('in', strings).groupByKey();
    assert.throws(() => grouped().windowedBy(TimeWindows.ofSizeAndGrace(SIZE, 500)).count({ retentionMs: 1_499 }), TopologyError);
    assert.throws(() => grouped().windowedBy(SlidingWindows.ofTimeDifferenceWithNoGrace(SIZE)).count({ retentionMs: 1_999 }), TopologyError);
    assert.throws(() => grouped().count().suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded())), TopologyError);
    // Emitting on close needs one more ms only where windows close after they expire (sliding windows, sessions).
    grouped().windowedBy(TimeWindows.ofSizeAndGrace(10, 5)).emitStrategy('onWindowClose').count({ retentionMs: 15 });
    assert.throws(() => grouped().windowedBy(SessionWindows.ofInactivityGapAndGrace(10, 5)).emitStrategy('onWindowClose').count({ retentionMs: 15 }), TopologyError);
  });
});
