/**
 * Clicks per user, queryable from any instance: a total per user and a count per user and minute, both stores
 * named so that the query server answers `GET /stores/clicks-total/keys/<user>` and
 * `GET /stores/clicks-per-minute/keys/<user>/windows?from=&to=` (docs/runtime.md, "Interactive queries").
 *
 *   kstreams describe examples/queryable-clicks.ts
 */
import { Serdes, StreamsBuilder, TimeWindows, type Topology } from '../src/index.js';

export const CLICKS_TOPIC = 'user-clicks';
export const TOTAL_STORE = 'clicks-total';
export const PER_MINUTE_STORE = 'clicks-per-minute';
export const MINUTE_MS = 60_000;

export function buildQueryableClicksTopology(input = CLICKS_TOPIC): Topology {
  const builder = new StreamsBuilder();
  const clicks = builder.stream(input, { keySerde: Serdes.String(), valueSerde: Serdes.String() }).groupByKey();
  clicks.count({ storeName: TOTAL_STORE, caching: false });
  clicks.windowedBy(TimeWindows.ofSizeWithNoGrace(MINUTE_MS)).count({ storeName: PER_MINUTE_STORE, caching: false, retentionMs: 24 * 3_600_000 });
  return builder.build();
}

export const topology = buildQueryableClicksTopology();
