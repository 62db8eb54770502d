import { splitTimeWindowedKeyBytes } from '../core/windowed.js';
import type { ChangelogRecord } from './changelog.js';
import type { KeyValueIterator } from './key-value-iterator.js';
import type { StateStore } from './state-store.js';

/** A serialized key with the start of its window, as the untyped window-store layers return it. */
export interface WindowedBytes {
  readonly keyBytes: Buffer;
  readonly windowStart: number;
}

/**
 * One write of a batch (`WindowBytesStore.putBatch`): a key's value in one window, with the timestamp of the record
 * that wrote it, which its changelog record carries.
 */
export interface WindowWrite {
  readonly keyBytes: Buffer;
  readonly windowStart: number;
  readonly value: Buffer | null;
  readonly timestampMs: number;
}

/**
 * Receives a cached window entry as the cache writes it down: the new value, the value the store below held
 * before (only when the listener asked for old values or the entry deletes; `null` otherwise) and the timestamp of
 * the record that last wrote it.
 */
export type BytesWindowFlushListener = (keyBytes: Buffer, windowStart: number, newValue: Buffer | null, oldValue: Buffer | null, timestampMs: number) => void;

/**
 * The untyped layers of a window store (caching, change-logging and the stores that hold bytes). Each entry is a key's
 * value in one window, identified by the window's start. The store tracks stream time as the largest window start
 * written and treats windows starting at or before `streamTime - retentionMs` as expired: writes to them are
 * ignored, reads skip them, and the store deletes them as it goes, as Kafka Streams' window stores do.
 */
export interface WindowBytesStore extends StateStore {
  readonly retentionMs: number;
  readonly windowSizeMs: number;
  /**
   * Kafka Streams' `retainDuplicates` (the stores of stream-stream joins): every `put` adds an entry, kept after
   * the key's earlier ones of the same window start and returned after them; a `null` value is ignored.
   */
  readonly retainDuplicates?: boolean;
  /** A `null` value deletes the entry (is ignored when the store retains duplicates). */
  put(keyBytes: Buffer, value: Buffer | null, windowStart: number): void;
  /**
   * Writes of distinct windows (at most one per key and start), as many `put`s would make them, except that
   * retention applies once, after the batch: a write to a window that the batch's latest start expires is
   * skipped (it would be expired on arrival). The caching layer writes down its dirty entries this way, in one go.
   */
  putBatch(writes: ReadonlyArray<WindowWrite>): void;
  /** The largest window start written so far (stream time as the store sees it); `-Infinity` before any write. */
  observedStreamTime(): number;
  fetch(keyBytes: Buffer, windowStart: number): Buffer | null;
  /** The key's windows starting in `[timeFrom, timeTo]`, by start ascending (or descending when `reverse`). */
  fetchRange(keyBytes: Buffer, timeFrom: number, timeTo: number, reverse: boolean): KeyValueIterator<number, Buffer>;
  /** Every key's windows starting in `[timeFrom, timeTo]`, by start, then key bytes. */
  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<WindowedBytes, Buffer>;
  all(): KeyValueIterator<WindowedBytes, Buffer>;
  /** Replays changelog records whose keys are `timeWindowedKeyBytes(key, windowStart)`. */
  restoreBatch(records: ReadonlyArray<ChangelogRecord>): void;
  /**
   * Implemented by the caching layer (returns `true`): `listener` then receives every entry the cache writes down,
   * with old values when `sendOldValues`. Other layers lack it.
   */
  setFlushListener?(listener: BytesWindowFlushListener, sendOldValues: boolean): boolean;
}

/** Makes a fresh window bytes store per task: `Stores.persistentWindowStore(...)` or `Stores.inMemoryWindowStore(...)`. */
export interface WindowBytesStoreSupplier {
  readonly name: string;
  readonly retentionMs: number;
  readonly windowSizeMs: number;
  readonly retainDuplicates?: boolean;
  get(): WindowBytesStore;
}

/**
 * Stream time and the retention boundary of one window store. Stream time starts unknown, so nothing is expired
 * until the first write.
 */
export class WindowRetention {
  private streamTime = Number.NEGATIVE_INFINITY;

  constructor(readonly retentionMs: number) {}

  get observedStreamTime(): number {
    return this.streamTime;
  }

  /** The earliest window start still live: `streamTime - retention + 1`. */
  get minLiveStart(): number {
    return Math.max(Number.MIN_SAFE_INTEGER, this.streamTime - this.retentionMs + 1);
  }

  /** Advances stream time to `windowStart` if later; returns whether a write to that window is still live. */
  observe(windowStart: number): boolean {
    if (windowStart > this.streamTime) this.streamTime = windowStart;
    return windowStart >= this.minLiveStart;
  }
}

/** Replays changelog records (keys = time-windowed key bytes) into a window bytes store through its own `put`. */
export function restoreWindowRecords(store: WindowBytesStore, records: ReadonlyArray<ChangelogRecord>): void {
  for (const { key, value } of records) {
    const { keyBytes, windowStart } = splitTimeWindowedKeyBytes(key);
    store.put(keyBytes, value, windowStart);
  }
}

/** Bytes of the sequence number a duplicate-keeping store's changelog key ends with, after the window start. */
export const DUPLICATE_SEQUENCE_BYTES = 4;

/**
 * Replays the changelog of a store that retains duplicates: each key is `timeWindowedKeyBytes(key, windowStart)`
 * plus a sequence number, dropped here; the store numbers the entries again, in the changelog's order.
 */
export function restoreDuplicateWindowRecords(store: WindowBytesStore, records: ReadonlyArray<ChangelogRecord>): void {
  for (const { key, value } of records) {
    const { keyBytes, windowStart } = splitTimeWindowedKeyBytes(key.subarray(0, key.length - DUPLICATE_SEQUENCE_BYTES));
    store.put(keyBytes, value, windowStart);
  }
}
