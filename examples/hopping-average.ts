/**
 * A 5-minute moving average, advancing every minute: sensor readings (keyed by sensor, a number per record) are
 * averaged over hopping windows [0:00, 5:00), [1:00, 6:00), … so every reading counts in five windows. Each window's
 * average is written once, when the window closes (`emitStrategy('onWindowClose')`): one value per sensor and minute.
 * Readings may arrive up to 30 seconds out of order; later ones are dropped from the windows that have closed.
 *
 *   kstreams describe examples/hopping-average.ts
 */
import { Serdes, StreamsBuilder, TimeWindows, WindowedSerdes, type Serde, type Topology, type Windowed } from '../src/index.js';

/** The running total of a window; the average is derived from it, as an average of averages would be wrong. */
export interface SumAndCount {
  readonly sum: number;
  readonly count: number;
}

export const READINGS_TOPIC = 'sensor-readings';
export const AVERAGES_TOPIC = 'sensor-averages-5m';
/** The window store of the running sums, queryable by this name. */
export const SUMS_STORE = 'sensor-sums-5m';

export const WINDOW_SIZE_MS = 5 * 60_000;
export const ADVANCE_MS = 60_000;
export const GRACE_MS = 30_000;

/** Output keys: sensor id and window start, in Kafka Streams' time-windowed layout (the end is start + 5 minutes). */
export const windowedSensorSerde: Serde<Windowed<string>> = WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), WINDOW_SIZE_MS);

export function buildHoppingAverageTopology(): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream(READINGS_TOPIC, { keySerde: Serdes.String(), valueSerde: Serdes.Double(), name: 'readings-source' })
    .groupByKey({ keySerde: Serdes.String(), valueSerde: Serdes.Double() })
    .windowedBy(TimeWindows.ofSizeAndGrace(WINDOW_SIZE_MS, GRACE_MS).advanceBy(ADVANCE_MS))
    .emitStrategy('onWindowClose')
    .aggregate(
      (): SumAndCount => ({ sum: 0, count: 0 }),
      (_sensor, reading, total) => ({ sum: total.sum + reading, count: total.count + 1 }),
      { name: 'sum-readings', storeName: SUMS_STORE, valueSerde: Serdes.Json<SumAndCount>() },
    )
    // A window exists only once a reading fell into it, so its count is never 0.
    .mapValues((total) => total.sum / total.count, { name: 'to-average' })
    .toStream({ name: 'averages' })
    .to(AVERAGES_TOPIC, { keySerde: windowedSensorSerde, valueSerde: Serdes.Double(), name: 'averages-sink' });
  return builder.build();
}

export const topology = buildHoppingAverageTopology();
