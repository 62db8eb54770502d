/**
 * Clicks per user over 5-minute tumbling windows, final results only: each user's count for a window is written
 * once, when the window has closed, instead of once per click. Clicks may arrive up to a minute out of order (the
 * grace period) and still count; later ones are dropped and counted in the task's `droppedRecords.lateRecords`.
 *
 *   kstreams describe examples/click-counts-tumbling.ts
 */
import {
  BufferConfig,
  Serdes,
  StreamsBuilder,
  Suppressed,
  TimeWindows,
  WindowedSerdes,
  type Serde,
  type Topology,
  type Windowed,
} from '../src/index.js';

/** A click, keyed by the user who made it; its event time is the record's timestamp. */
export interface Click {
  readonly page: string;
}

export const CLICKS_TOPIC = 'user-clicks';
export const CLICK_COUNTS_TOPIC = 'user-click-counts-5m';
/** The window store of the running counts, queryable by this name. */
export const CLICK_COUNTS_STORE = 'user-click-counts-5m';

export const WINDOW_SIZE_MS = 5 * 60_000;
export const GRACE_MS = 60_000;

/**
 * Keys of the output topic: the user id and the window start, in Kafka Streams' time-windowed layout, so Java
 * consumers read them with `TimeWindowedDeserializer`. The end is not written; readers derive it from the size.
 */
export const windowedUserSerde: Serde<Windowed<string>> = WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), WINDOW_SIZE_MS);

export function buildClickCountsTumblingTopology(): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream(CLICKS_TOPIC, { keySerde: Serdes.String(), valueSerde: Serdes.Json<Click>(), name: 'clicks-source' })
    // Clicks are keyed by user already: grouping by key needs no repartition topic.
    .groupByKey({ keySerde: Serdes.String(), valueSerde: Serdes.Json<Click>() })
    .windowedBy(TimeWindows.ofSizeAndGrace(WINDOW_SIZE_MS, GRACE_MS))
    .count({ name: 'count-clicks', storeName: CLICK_COUNTS_STORE })
    // A window's count changes with every click until stream time passes its end plus the grace period; only
    // then is it final. The unbounded buffer holds one pending count per user and open window.
    .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()).withName('until-window-closes'))
    .toStream({ name: 'final-counts' })
    .to(CLICK_COUNTS_TOPIC, { keySerde: windowedUserSerde, valueSerde: Serdes.Long(), name: 'click-counts-sink' });
  return builder.build();
}

export const topology = buildClickCountsTumblingTopology();
