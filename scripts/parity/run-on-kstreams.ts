import {
  BufferConfig,
  KeyValue,
  Serdes,
  SessionWindows,
  SlidingWindows,
  StreamsBuilder,
  Suppressed,
  TimeWindows,
  type KTable,
  type Serde,
  type SessionWindowedKStream,
  type TimeWindowedKStream,
  type Windowed,
} from '../../src/index.js';
import { TopologyTestDriver } from '../../src/testing/index.js';
import type { EmitSpec, OutputRecord, Scenario, ScenarioResult, WindowSpec } from './scenario.js';

const INPUT = 'in';
const OUTPUT = 'out';
const strings = { keySerde: Serdes.String(), valueSerde: Serdes.String() };

/**
 * Runs a scenario through our `TopologyTestDriver`, with the topology Parity.java builds in Kafka Streams: group by
 * key, window, aggregate, optionally suppress, then write `{key,start,end}` JSON keys to the output topic.
 */
export function runOnKstreams(scenario: Scenario): ScenarioResult {
  try {
    const builder = new StreamsBuilder();
    const valueSerde = buildTopology(builder, scenario);
    const driver = new TopologyTestDriver(builder.build(), { applicationId: 'parity' }, 0);
    try {
      const input = driver.createInputTopic(INPUT, Serdes.String(), Serdes.String());
      for (const { key, value, timestamp } of scenario.records) input.pipeInput(key, value, timestamp);
      const records = driver
        // Each side decodes its own values (Long or String), so one serde type serves the comparison.
        .createOutputTopic(OUTPUT, Serdes.String(), valueSerde as Serde<number | string>)
        .readRecordsToList()
        .map((record): OutputRecord => ({ ...(JSON.parse(record.key!) as Omit<OutputRecord, 'value' | 'timestamp'>), value: record.value, timestamp: record.timestamp! }));
      let droppedRecords = 0;
      for (const metrics of driver.metrics().values()) droppedRecords += metrics.droppedRecords.total;
      return { name: scenario.name, records, droppedRecords };
    } finally {
      driver.close();
    }
  } catch (error) {
    return { name: scenario.name, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** Builds the scenario's topology; returns the serde of its output values. */
function buildTopology(builder: StreamsBuilder, scenario: Scenario): Serde<number> | Serde<string> {
  const grouped = builder.stream(INPUT, strings).groupByKey();
  const { windows, aggregation, emit } = scenario;
  const store = { storeType: scenario.store, caching: scenario.caching, ...(scenario.retentionMs === null ? {} : { retentionMs: scenario.retentionMs }) } as const;
  const onWindowClose = emit.type === 'onWindowClose';
  if (windows.type === 'session') {
    let sessions: SessionWindowedKStream<string, string> = grouped.windowedBy(sessionWindows(windows));
    if (onWindowClose) sessions = sessions.emitStrategy('onWindowClose');
    if (aggregation === 'count') return writeOut(sessions.count(store), Serdes.Long(), emit);
    if (aggregation === 'reduce') return writeOut(sessions.reduce((a, b) => `${a}+${b}`, store), Serdes.String(), emit);
    const aggregated = sessions.aggregate(
      () => 'i',
      (_key, value, aggregate) => `${aggregate},${value}`,
      (_key, left, right) => `${left}|${right}`,
      { ...store, valueSerde: Serdes.String() },
    );
    return writeOut(aggregated, Serdes.String(), emit);
  }
  let windowed: TimeWindowedKStream<string, string> = grouped.windowedBy(windows.type === 'sliding' ? slidingWindows(windows) : timeWindows(windows));
  if (onWindowClose) windowed = windowed.emitStrategy('onWindowClose');
  if (aggregation === 'count') return writeOut(windowed.count(store), Serdes.Long(), emit);
  if (aggregation === 'reduce') return writeOut(windowed.reduce((a, b) => `${a}+${b}`, store), Serdes.String(), emit);
  const aggregated = windowed.aggregate(() => 'i', (_key, value, aggregate) => `${aggregate},${value}`, { ...store, valueSerde: Serdes.String() });
  return writeOut(aggregated, Serdes.String(), emit);
}

function timeWindows(windows: Extract<WindowSpec, { type: 'time' }>): TimeWindows {
  const tumbling = windows.graceMs === null ? TimeWindows.ofSizeWithNoGrace(windows.sizeMs) : TimeWindows.ofSizeAndGrace(windows.sizeMs, windows.graceMs);
  return windows.advanceMs === null ? tumbling : tumbling.advanceBy(windows.advanceMs);
}

function slidingWindows(windows: Extract<WindowSpec, { type: 'sliding' }>): SlidingWindows {
  return windows.graceMs === null
    ? SlidingWindows.ofTimeDifferenceWithNoGrace(windows.timeDifferenceMs)
    : SlidingWindows.ofTimeDifferenceAndGrace(windows.timeDifferenceMs, windows.graceMs);
}

function sessionWindows(windows: Extract<WindowSpec, { type: 'session' }>): SessionWindows {
  return windows.graceMs === null ? SessionWindows.ofInactivityGapWithNoGrace(windows.gapMs) : SessionWindows.ofInactivityGapAndGrace(windows.gapMs, windows.graceMs);
}

/** Applies the scenario's suppression and writes the results with `{key,start,end}` JSON keys. */
function writeOut<V>(table: KTable<Windowed<string>, V>, valueSerde: Serde<V>, emit: EmitSpec): Serde<V> {
  const emitted = suppress(table, emit);
  emitted
    .toStream()
    .map((windowed, value) => KeyValue.pair(JSON.stringify({ key: windowed.key, start: windowed.window.start, end: windowed.window.end }), value))
    .to(OUTPUT, { keySerde: Serdes.String(), valueSerde });
  return valueSerde;
}

function suppress<V>(table: KTable<Windowed<string>, V>, emit: EmitSpec): KTable<Windowed<string>, V> {
  if (emit.type === 'suppressUntilWindowCloses') return table.suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()));
  if (emit.type !== 'suppressUntilTimeLimit') return table;
  const buffer =
    emit.maxRecords !== null
      ? BufferConfig.maxRecords(emit.maxRecords).emitEarlyWhenFull()
      : emit.maxBytes !== null
        ? BufferConfig.maxBytes(emit.maxBytes).emitEarlyWhenFull()
        : BufferConfig.unbounded();
  return table.suppress(Suppressed.untilTimeLimit(emit.timeLimitMs, buffer));
}
