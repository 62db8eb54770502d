import type { Windowed } from '../core/windowed.js';
import type { KeyValueIterator } from './key-value-iterator.js';
import type { StateStore } from './state-store.js';

/**
 * The reading half of a window store: what interactive queries and the test driver hand out. Windows are
 * identified by their start; `Windowed` keys carry `end = start + windowSize`. Expired windows are never returned.
 * Close the iterators you open.
 */
export interface ReadOnlyWindowStore<K, V> {
  /** The key's value in the window starting at `windowStart`. */
  fetch(key: K, windowStart: number): V | null;
  /** The key's windows starting in `[timeFrom, timeTo]`, ascending by start; the iterator's keys are the starts. */
  fetch(key: K, timeFrom: number, timeTo: number): KeyValueIterator<number, V>;
  /** The same windows as `fetch(key, timeFrom, timeTo)`, descending. */
  backwardFetch(key: K, timeFrom: number, timeTo: number): KeyValueIterator<number, V>;
  /** Every key's windows starting in `[timeFrom, timeTo]`, by start, then by serialized key. */
  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V>;
  all(): KeyValueIterator<Windowed<K>, V>;
}

/**
 * Receives a cached window as the cache writes it down: its key and start, the new value (`null` = deleted), the
 * value the store held before (when old values were asked for, or the entry deletes) and the timestamp of the
 * record that last wrote it.
 */
export type WindowFlushListener<K, V> = (key: K, windowStart: number, newValue: V | null, oldValue: V | null, timestampMs: number) => void;

/** A typed window store, as processors get it from `context.getStateStore(name)`. A `null` value deletes. */
export interface WindowStore<K, V> extends StateStore, ReadOnlyWindowStore<K, V> {
  readonly retentionMs: number;
  readonly windowSizeMs: number;
  put(key: K, value: V | null, windowStart: number): void;
  /**
   * For windowed aggregations: with caching enabled, registers `listener` to receive every window as the cache
   * flushes (at commit) or evicts it, in the order of the windows' last writes, and returns `true` — the processor
   * then must not forward updates itself. Without caching it returns `false`.
   */
  setFlushListener(listener: WindowFlushListener<K, V>, sendOldValues: boolean): boolean;
}
