import { splitSessionWindowedKeyBytes } from '../core/windowed.js';
import type { Window } from '../core/windowed.js';
import type { ChangelogRecord } from './changelog.js';
import type { KeyValueIterator } from './key-value-iterator.js';
import type { StateStore } from './state-store.js';
import { WindowRetention } from './window-bytes-store.js';

/** A serialized key with one of its sessions, as the untyped session-store layers return it. */
export interface SessionBytes {
  readonly keyBytes: Buffer;
  readonly window: Window;
}

/** One write of a batch (`SessionBytesStore.putBatch`), with the timestamp its changelog record carries. */
export interface SessionWrite {
  readonly keyBytes: Buffer;
  readonly session: Window;
  readonly value: Buffer | null;
  readonly timestampMs: number;
}

/** Receives a cached session as the cache writes it down; see `BytesWindowFlushListener`. */
export type BytesSessionFlushListener = (keyBytes: Buffer, session: Window, newValue: Buffer | null, oldValue: Buffer | null, timestampMs: number) => void;

/**
 * The untyped layers of a session store (caching, change-logging and the stores that hold bytes). Each entry is a key's
 * aggregate over one session `[start, end]`. As Kafka Streams' session stores (segmented by session end), the store
 * tracks stream time as the largest session end written and treats sessions ending at or before
 * `streamTime - retentionMs` as expired: writes to them are ignored, reads skip them, and the store deletes them
 * as it goes. Iterators return sessions by key bytes, then end, then start.
 */
export interface SessionBytesStore extends StateStore {
  readonly retentionMs: number;
  /** A `null` value removes the session. */
  put(keyBytes: Buffer, session: Window, value: Buffer | null): void;
  /** Writes of distinct sessions, with retention applied once after the batch (see `WindowBytesStore.putBatch`). */
  putBatch(writes: ReadonlyArray<SessionWrite>): void;
  /** The largest session end written so far; `-Infinity` before any write. */
  observedStreamTime(): number;
  fetchSession(keyBytes: Buffer, sessionStart: number, sessionEnd: number): Buffer | null;
  /**
   * The key's sessions ending at or after `earliestSessionEndTime` and starting at or before
   * `latestSessionStartTime`, by end then start (both descending when `reverse`).
   */
  findSessions(
    keyBytes: Buffer,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
    reverse: boolean,
  ): KeyValueIterator<Window, Buffer>;
  all(): KeyValueIterator<SessionBytes, Buffer>;
  /** Replays changelog records whose keys are `sessionWindowedKeyBytes(key, session)`. */
  restoreBatch(records: ReadonlyArray<ChangelogRecord>): void;
  /** Implemented by the caching layer; see `WindowBytesStore.setFlushListener`. */
  setFlushListener?(listener: BytesSessionFlushListener, sendOldValues: boolean): boolean;
}

/** Makes a fresh session bytes store per task: `Stores.persistentSessionStore(...)` or `Stores.inMemorySessionStore(...)`. */
export interface SessionBytesStoreSupplier {
  readonly name: string;
  readonly retentionMs: number;
  get(): SessionBytesStore;
}

/**
 * Stream time and the retention boundary of one session store. It is the window stores' bookkeeping applied to
 * session ends: a session is live while its end is at or after `minLiveEnd`.
 */
export class SessionRetention {
  private readonly byEnd: WindowRetention;

  constructor(retentionMs: number) {
    this.byEnd = new WindowRetention(retentionMs);
  }

  /** The largest session end observed; `-Infinity` before the first. */
  get observedStreamTime(): number {
    return this.byEnd.observedStreamTime;
  }

  /** The earliest session end still live: `streamTime - retention + 1`. */
  get minLiveEnd(): number {
    return this.byEnd.minLiveStart;
  }

  /** Advances stream time to `sessionEnd` if later; returns whether a write to that session is still live. */
  observe(sessionEnd: number): boolean {
    return this.byEnd.observe(sessionEnd);
  }
}

/** Replays changelog records (keys = session-windowed key bytes) into a session bytes store through its own `put`. */
export function restoreSessionRecords(store: SessionBytesStore, records: ReadonlyArray<ChangelogRecord>): void {
  for (const { key, value } of records) {
    const { keyBytes, window } = splitSessionWindowedKeyBytes(key);
    store.put(keyBytes, window, value);
  }
}
