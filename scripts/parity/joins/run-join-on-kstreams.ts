import { JoinWindows, KeyValue, Serdes, SessionWindows, SlidingWindows, StreamsBuilder, TimeWindows, type CogroupedKStream, type KStream, type KTable, type Serde, type Windowed } from '../../../src/index.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';
import type { StoreKind } from '../scenario.js';
import type { CogroupWindows, JoinOutputRecord, JoinScenario, JoinScenarioResult, JoinSpec, JoinType } from './join-scenario.js';

const strings = { keySerde: Serdes.String(), valueSerde: Serdes.String() };
const joinSerdes = { ...strings, otherValueSerde: Serdes.String() };
/** Every joiner writes `left|right`, a missing side as `null`, as Java's string concatenation does. */
const joiner = (left: string | null, right: string | null): string => `${left}|${right}`;
/** JoinParity.java's FOREIGN_KEY: the value's part before `/`; a null value or one starting `-/` has none. */
const foreignKey = (value: string | null): string | null => (value === null || value.startsWith('-/') ? null : value.split('/')[0]!);

type TopologyOf<T extends JoinType> = (builder: StreamsBuilder, join: Extract<JoinSpec, { type: T }>) => void;

/**
 * Our side of each join type, building what JoinParity.java builds in Kafka Streams. A type without an entry is
 * not built here yet; the parity run says so and leaves its scenarios out.
 */
const TOPOLOGIES: { readonly [T in JoinType]?: TopologyOf<T> } = {
  'stream-stream': (builder, join) => {
    const difference = Math.max(join.beforeMs, join.afterMs);
    const windows = (join.graceMs === null ? JoinWindows.ofTimeDifferenceWithNoGrace(difference) : JoinWindows.ofTimeDifferenceAndGrace(difference, join.graceMs))
      .before(join.beforeMs)
      .after(join.afterMs);
    const left = builder.stream('left', strings);
    const right = join.self ? left : builder.stream('right', strings);
    const options = { ...joinSerdes, storeType: join.store };
    const joined: KStream<string, string> =
      join.kind === 'inner' ? left.join(right, joiner, windows, options) : join.kind === 'left' ? left.leftJoin(right, joiner, windows, options) : left.outerJoin(right, joiner, windows, options);
    joined.to('out', strings);
  },
  'stream-table': (builder, join) => {
    const versioned = join.versionedRetentionMs === null ? {} : { storeName: 'right-store', versioned: { historyRetentionMs: join.versionedRetentionMs } };
    const table = builder.table('right', { ...strings, ...versioned });
    const options = { ...joinSerdes, ...(join.graceMs === null ? {} : { gracePeriodMs: join.graceMs }) };
    const left = builder.stream('left', strings);
    const joined: KStream<string, string> = join.kind === 'inner' ? left.join(table, joiner, options) : left.leftJoin(table, joiner, options);
    joined.to('out', strings);
  },
  'table-table': (builder, join) => {
    const left = builder.table('left', strings);
    const right = builder.table('right', strings);
    const options = join.materialized ? { storeName: 'join-store', caching: false, ...strings } : undefined;
    const joined: KTable<string, string> =
      join.kind === 'inner' ? left.join(right, joiner, options) : join.kind === 'left' ? left.leftJoin(right, joiner, options) : left.outerJoin(right, joiner, options);
    joined.toStream().to('out', strings);
  },
  'stream-global': (builder, join) => {
    const global = builder.globalTable<string, string>('right', strings);
    const left = builder.stream<string, string>('left', strings);
    const joined: KStream<string, string> =
      join.kind === 'left' ? left.leftJoin(global, (_key, value) => foreignKey(value), joiner) : left.join(global, (_key, value) => foreignKey(value), joiner);
    joined.to('out', strings);
  },
  'foreign-key': (builder, join) => {
    const left = builder.table('left', strings);
    const right = builder.table('right', strings);
    const joined: KTable<string, string> =
      join.kind === 'left' ? left.leftJoin(right, foreignKey, joiner) : left.join(right, foreignKey, joiner);
    joined.toStream().to('out', strings);
  },
  cogroup: (builder, join) => {
    const cogrouped = builder
      .stream('left', strings)
      .groupByKey()
      .cogroup<string>((_key, value, aggregate) => `${aggregate},L${value}`)
      .cogroup(builder.stream('right', strings).groupByKey(), (_key, value, aggregate) => `${aggregate},R${value}`);
    const store = { storeType: join.store, valueSerde: Serdes.String() } as const;
    if (join.windows === null) {
      cogrouped.aggregate(() => 'i', { ...store, caching: false }).toStream().to('out', strings);
      return;
    }
    writeWindowed(windowedCogroup(cogrouped, join.windows, store));
  },
};

function windowedCogroup(
  cogrouped: CogroupedKStream<string, string>,
  windows: CogroupWindows,
  store: { readonly storeType: StoreKind; readonly valueSerde: Serde<string> },
): KTable<Windowed<string>, string> {
  switch (windows.type) {
    case 'time':
      return cogrouped.windowedBy(TimeWindows.ofSizeAndGrace(windows.sizeMs, windows.graceMs)).aggregate(() => 'i', store);
    case 'sliding':
      return cogrouped.windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(windows.timeDifferenceMs, windows.graceMs)).aggregate(() => 'i', store);
    case 'session':
      return cogrouped.windowedBy(SessionWindows.ofInactivityGapAndGrace(windows.gapMs, windows.graceMs)).aggregate(() => 'i', (_key, older, newer) => `${older}|${newer}`, store);
  }
}

/** Windowed keys leave as `key@start/end`, as JoinParity.java writes them. */
function writeWindowed(table: KTable<Windowed<string>, string>): void {
  table
    .toStream()
    .map((windowed, value) => KeyValue.pair(`${windowed.key}@${windowed.window.start}/${windowed.window.end}`, value))
    .to('out', strings);
}

export function joinTypesBuilt(): JoinType[] {
  return Object.keys(TOPOLOGIES) as JoinType[];
}

/** Runs a scenario through our `TopologyTestDriver` with the topology JoinParity.java builds in Kafka Streams. */
export function runJoinOnKstreams(scenario: JoinScenario): JoinScenarioResult {
  try {
    const builder = new StreamsBuilder();
    const topology = TOPOLOGIES[scenario.join.type] as TopologyOf<JoinType> | undefined;
    if (topology === undefined) throw new Error(`${scenario.join.type} joins are not built`);
    topology(builder, scenario.join);
    // Unjoined records are emitted as soon as stream time closes their window, not throttled by the wall clock.
    const driver = new TopologyTestDriver(builder.build(), { applicationId: 'parity', outerJoinEmitIntervalMs: 0, cacheMaxBytes: 0 }, 0);
    try {
      const inputs = {
        left: driver.createInputTopic('left', Serdes.String(), Serdes.String()),
        right: driver.createInputTopic('right', Serdes.String(), Serdes.String()),
      };
      for (const { topic, key, value, timestamp } of scenario.records) inputs[topic].pipeInput(key, value, timestamp);
      const records = driver
        .createOutputTopic('out', Serdes.String(), Serdes.String())
        .readRecordsToList()
        .map((record): JoinOutputRecord => ({ key: record.key ?? null, value: record.value ?? null, timestamp: record.timestamp! }));
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
