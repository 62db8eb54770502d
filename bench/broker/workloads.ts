import { Serdes } from '../../src/core/serdes.js';
import { KeyValue } from '../../src/state/key-value.js';
import { StreamsBuilder } from '../../src/topology/dsl/streams-builder.js';
import { BufferConfig, Suppressed } from '../../src/topology/dsl/suppress/suppressed.js';
import type { Topology } from '../../src/topology/topology.js';
import { TimeWindows } from '../../src/windows/time-windows.js';

/** Input keys repeat over this many users, so every key occurs about `records / DISTINCT_KEYS` times. */
export const DISTINCT_KEYS = 10_000;
/** Values start with one of this many pages: the group-by key. */
export const DISTINCT_PAGES = 1_000;
/** The count store of the group-by and restoration workloads. */
export const COUNT_STORE = 'page-counts';

/** Tumbling windows of the windowed count. */
export const WINDOW_SIZE_MS = 60_000;
/** Grace of the windowed count: covers any reordering of the pre-produced input, so no record is late. */
export const WINDOW_GRACE_MS = 10_000;

export type TopologyKind = 'filter+map' | 'groupBy+count' | 'windowed count' | 'count by key';

const strings = { keySerde: Serdes.String(), valueSerde: Serdes.String() };

/** The user key of input record `i`. */
export function inputKey(i: number): string {
  return `user-${i % DISTINCT_KEYS}`;
}

/** The page (group-by key) of input record `i`. */
export function inputPage(i: number): number {
  return (i * 7919) % DISTINCT_PAGES;
}

/** A value of exactly `bytes` ASCII bytes: the page, a separator, then padding. */
export function pageValue(page: number, bytes: number): Buffer {
  const prefix = `/page/${page};`;
  return Buffer.from(prefix + 'x'.repeat(Math.max(0, bytes - prefix.length)));
}

const pageOf = (value: string): string => value.slice(0, value.indexOf(';'));

/** Stateless: drops the users whose id ends in 0 (10 %), re-keys the rest by page and keeps the value. */
export function filterMapTopology(input: string, output: string): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream(input, strings)
    .filter((user) => !user.endsWith('0'))
    .map((_user, value) => KeyValue.pair(pageOf(value), value))
    .to(output, strings);
  return builder.build();
}

/** How many records of `records` inputs pass the filter of `filterMapTopology`. */
export function filterMapOutputCount(records: number): number {
  return records - Math.ceil(records / 10);
}

/** Views per page: the grouping changes the key, so records cross a repartition topic to a SQLite count store. */
export function groupByCountTopology(input: string, output: string): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream(input, strings)
    .groupBy((_user, value) => pageOf(value), strings)
    .count({ storeName: COUNT_STORE, storeType: 'persistent' })
    .toStream()
    .to(output, { keySerde: Serdes.String(), valueSerde: Serdes.Long() });
  return builder.build();
}

/** Counts per key without repartitioning: its changelog is what the restoration workload replays. */
export function countByKeyTopology(input: string): Topology {
  const builder = new StreamsBuilder();
  builder.stream(input, strings).groupByKey().count({ storeName: COUNT_STORE, storeType: 'persistent' });
  return builder.build();
}

/**
 * Views per user and 1-minute window, one final count per window once it closes (`suppress(untilWindowCloses)`),
 * keyed `user@windowStart` so that the output reads like any other count.
 */
export function windowedCountTopology(input: string, output: string): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream(input, strings)
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeAndGrace(WINDOW_SIZE_MS, WINDOW_GRACE_MS))
    .count()
    .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))
    .toStream()
    .map((windowed, count) => KeyValue.pair(`${windowed.key}@${windowed.window.start}`, count))
    .to(output, { keySerde: Serdes.String(), valueSerde: Serdes.Long() });
  return builder.build();
}

/** The topology of `kind`; `count by key` writes no output (its changelog is what it is run for). */
export function topologyOf(kind: TopologyKind, input: string, output: string): Topology {
  switch (kind) {
    case 'filter+map':
      return filterMapTopology(input, output);
    case 'groupBy+count':
      return groupByCountTopology(input, output);
    case 'windowed count':
      return windowedCountTopology(input, output);
    case 'count by key':
      return countByKeyTopology(input);
  }
}
