/**
 * Time-series statistics: measurements of each series (keyed by series name, e.g. `cpu.host-1`) summarised per
 * 1-minute tumbling window — count, sum, min, max, mean and standard deviation — written once per window when it
 * closes. Event time comes from the measurement itself (its `timestamp` field), not from the Kafka record.
 *
 * The standard deviation is the population one (the window holds every measurement of its minute, not a sample of
 * them): √(Σ(x − mean)² / n). It is accumulated with Welford's online update, which stays exact where the textbook
 * Σx² − n·mean² cancels catastrophically, e.g. for values around 10⁹ that differ by a few units.
 *
 *   kstreams describe examples/time-series-stats.ts
 */
import {
  BufferConfig,
  KeyValue,
  Serdes,
  StreamsBuilder,
  Suppressed,
  TimeWindows,
  type Topology,
  type Window,
} from '../src/index.js';

export interface Measurement {
  /** Event time, epoch milliseconds. */
  readonly timestamp: number;
  readonly value: number;
}

/** Welford's running state: `m2` is the sum of squared deviations from the running mean. */
export interface RunningStats {
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly m2: number;
}

/** What is written per series and window. */
export interface WindowStats {
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** Population standard deviation. */
  readonly stddev: number;
}

export const MEASUREMENTS_TOPIC = 'measurements';
export const STATS_TOPIC = 'measurement-stats-1m';
/** The window store of the running statistics, queryable by this name. */
export const STATS_STORE = 'measurement-stats-1m';

export const WINDOW_SIZE_MS = 60_000;
export const GRACE_MS = 10_000;

/** No measurement yet. Min and max are 0 rather than ±Infinity, which JSON cannot carry; the first value replaces them. */
const EMPTY: RunningStats = { count: 0, sum: 0, min: 0, max: 0, mean: 0, m2: 0 };

/** Welford's update: the new mean moves by delta / n, and m2 grows by the product of the old and new deviations. */
export function addMeasurement(stats: RunningStats, value: number): RunningStats {
  const count = stats.count + 1;
  const delta = value - stats.mean;
  const mean = stats.mean + delta / count;
  return {
    count,
    sum: stats.sum + value,
    min: stats.count === 0 ? value : Math.min(stats.min, value),
    max: stats.count === 0 ? value : Math.max(stats.max, value),
    mean,
    m2: stats.m2 + delta * (value - mean),
  };
}

export function windowStatsOf(window: Window, stats: RunningStats): WindowStats {
  const { count, sum, min, max, mean } = stats;
  return { windowStart: window.start, windowEnd: window.end, count, sum, min, max, mean, stddev: Math.sqrt(stats.m2 / count) };
}

export function buildTimeSeriesStatsTopology(): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream(MEASUREMENTS_TOPIC, {
      keySerde: Serdes.String(),
      valueSerde: Serdes.Json<Measurement>(),
      // A measurement without a timestamp gets an invalid one, and the runtime's invalidTimestampPolicy decides.
      timestampExtractor: (record) => record.value?.timestamp ?? -1,
      name: 'measurements-source',
    })
    // A value that is missing or not a finite number would turn every statistic of its window into NaN (written as
    // null): such measurements are left out, as are records with no measurement at all.
    .filter((_series, measurement) => Number.isFinite(measurement?.value), { name: 'finite-values' })
    .groupByKey({ keySerde: Serdes.String(), valueSerde: Serdes.Json<Measurement>() })
    .windowedBy(TimeWindows.ofSizeAndGrace(WINDOW_SIZE_MS, GRACE_MS))
    .aggregate(() => EMPTY, (_series, measurement, stats) => addMeasurement(stats, measurement.value), {
      name: 'accumulate-stats',
      storeName: STATS_STORE,
      valueSerde: Serdes.Json<RunningStats>(),
    })
    .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()).withName('final-stats'))
    .toStream({ name: 'closed-windows' })
    // Keyed by plain series name, the window in the value: consumers need no windowed-key deserializer.
    .map((windowed, stats) => KeyValue.pair(windowed.key, windowStatsOf(windowed.window, stats)), { name: 'to-window-stats' })
    .to(STATS_TOPIC, { keySerde: Serdes.String(), valueSerde: Serdes.Json<WindowStats>(), name: 'stats-sink' });
  return builder.build();
}

export const topology = buildTimeSeriesStatsTopology();
