import { sessionWindowedKeyBytes } from '../core/windowed.js';
import type { Window } from '../core/windowed.js';
import type { KeyValueIterator } from './key-value-iterator.js';
import type { SessionBytes, SessionBytesStore, SessionWrite } from './session-bytes-store.js';
import type { StateStoreContext } from './state-store.js';
import { WrappingStore } from './wrapping-store.js';

/**
 * Mirrors every session write to the task's changelog, keyed by the session-windowed key bytes (key + 8-byte end
 * + 8-byte start) and stamped with the current record's timestamp; a removed session is logged as a tombstone.
 * Expiry is not logged: the changelog topic deletes old records by its own retention
 * (`cleanup.policy=compact,delete`, set by the store builder).
 */
export class ChangeLoggingSessionBytesStore extends WrappingStore<SessionBytesStore> implements SessionBytesStore {
  private context: StateStoreContext | null = null;

  get retentionMs(): number {
    return this.inner.retentionMs;
  }

  override init(context: StateStoreContext): void {
    super.init(context);
    this.context = context;
  }

  put(keyBytes: Buffer, session: Window, value: Buffer | null): void {
    this.inner.put(keyBytes, session, value);
    const changelog = this.context?.changelog;
    if (changelog === null || changelog === undefined || this.context === null) return;
    changelog.send(this.name, sessionWindowedKeyBytes(keyBytes, session), value, this.context.currentTimestampMs());
  }

  /**
   * Hands the batch down, then logs each write with its own timestamp, in the batch's order; a write the batch
   * expired is not logged (see `ChangeLoggingWindowBytesStore.putBatch`).
   */
  putBatch(writes: ReadonlyArray<SessionWrite>): void {
    this.inner.putBatch(writes);
    const changelog = this.context?.changelog;
    if (changelog === null || changelog === undefined) return;
    const minLiveEnd = this.inner.observedStreamTime() - this.inner.retentionMs + 1;
    for (const { keyBytes, session, value, timestampMs } of writes) {
      if (session.end >= minLiveEnd) changelog.send(this.name, sessionWindowedKeyBytes(keyBytes, session), value, timestampMs);
    }
  }

  observedStreamTime(): number {
    return this.inner.observedStreamTime();
  }

  fetchSession(keyBytes: Buffer, sessionStart: number, sessionEnd: number): Buffer | null {
    return this.inner.fetchSession(keyBytes, sessionStart, sessionEnd);
  }

  findSessions(
    keyBytes: Buffer,
    earliestSessionEndTime: number,
    latestSessionStartTime: number,
    reverse: boolean,
  ): KeyValueIterator<Window, Buffer> {
    return this.inner.findSessions(keyBytes, earliestSessionEndTime, latestSessionStartTime, reverse);
  }

  all(): KeyValueIterator<SessionBytes, Buffer> {
    return this.inner.all();
  }
}
