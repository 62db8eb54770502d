import type { Change } from '../core/change.js';
import { Headers } from '../core/headers.js';
import type { ProcessorSupplier } from '../core/processor.js';
import type { Record } from '../core/record.js';
import type { Window, Windowed } from '../core/windowed.js';
import type { KeyValue } from '../state/key-value.js';
import type { SessionStore } from '../state/session-store.js';
import type { SessionWindows } from './session-windows.js';
import { type CacheForward, WindowedAggregateProcessor } from './windowed-aggregate-processor.js';
import type { WindowedAggregateSettings } from './windowed-aggregate-settings.js';
import type { ClosedWindows, EmitRange, FinalResult } from './windowed-result-forwarder.js';
import { hasKey } from './windowed-input.js';

/**
 * Kafka Streams' `KStreamSessionWindowAggregate`. A record opens the session `[t, t]`, merged with every session of
 * its key that ends at or after `t - gap` and starts at or before `t + gap`: their aggregates are merged (in the
 * store's order, by end then start) into the initializer's value, then the record is aggregated in. Each replaced
 * session is removed and retracted downstream with a tombstone (`newValue` null) before the merged session is
 * forwarded; every record carries its session's end as timestamp. A session is closed once its end + gap + grace is
 * before stream time; a record whose merged session would be closed is dropped and counted as late.
 */
export function sessionWindowAggregateSupplier<K, V, VA>(
  windows: SessionWindows,
  initializer: () => VA,
  aggregator: (key: K, value: V, aggregate: VA) => VA,
  merger: (key: K, aggregate1: VA, aggregate2: VA) => VA,
  settings: WindowedAggregateSettings,
): ProcessorSupplier<K, V, Windowed<K>, Change<VA>> {
  return () => new SessionWindowAggregateProcessor(windows, initializer, aggregator, merger, settings);
}

class SessionWindowAggregateProcessor<K, V, VA> extends WindowedAggregateProcessor<K, V, VA, SessionStore<K, VA>> {
  private readonly closedSessions: ClosedWindows<K, VA> = {
    rangeToEmit: (closeTimeMs, lastEmitted) => rangeToEmit(closeTimeMs, lastEmitted),
    read: (range) => this.readClosed(range),
  };

  constructor(
    private readonly windows: SessionWindows,
    private readonly initializer: () => VA,
    private readonly aggregator: (key: K, value: V, aggregate: VA) => VA,
    private readonly merger: (key: K, aggregate1: VA, aggregate2: VA) => VA,
    settings: WindowedAggregateSettings,
  ) {
    super(settings);
  }

  /** A session's update, a removal's tombstone too, carries the session's end as timestamp. */
  protected subscribeToCache(forward: CacheForward<K, VA>): boolean {
    return this.store.setFlushListener((session, newValue, oldValue) => forward(session, newValue, oldValue, session.window.end), this.settings.sendOldValues);
  }

  process(record: Record<K, V>): void {
    if (!hasKey(record, this.context)) return;
    const { key, timestamp } = record;
    const { inactivityGapMs, graceMs } = this.windows;
    const closeTimeMs = this.streamTime.advance(record) - graceMs - inactivityGapMs;
    this.output.emitClosed(record, closeTimeMs, this.closedSessions);
    const overlapping = [...this.store.findSessions(key, timestamp - inactivityGapMs, timestamp + inactivityGapMs)];
    let aggregate = this.initializer();
    let merged: Window = { start: timestamp, end: timestamp };
    for (const session of overlapping) {
      aggregate = this.merger(key, aggregate, session.value);
      merged = { start: Math.min(merged.start, session.key.window.start), end: Math.max(merged.end, session.key.window.end) };
    }
    if (merged.end < closeTimeMs) {
      this.context.recordDropped?.('lateRecord');
      return;
    }
    if (merged.start !== timestamp || merged.end !== timestamp) this.retract(overlapping);
    aggregate = this.aggregator(key, record.value, aggregate);
    this.store.put({ key, window: merged }, aggregate);
    this.forwardSession(key, merged, aggregate, null);
  }

  /** Removes the sessions a record merged, each retracted downstream by a tombstone. */
  private retract(sessions: ReadonlyArray<KeyValue<Windowed<K>, VA>>): void {
    for (const { key: session, value } of sessions) {
      this.store.remove(session);
      this.forwardSession(session.key, session.window, null, value);
    }
  }

  /**
   * Session updates carry the session's end as timestamp and no headers: Kafka Streams builds them as new records
   * rather than from the input record.
   */
  private forwardSession(key: K, session: Window, newValue: VA | null, oldValue: VA | null): void {
    this.output.forwardUpdate({ key, headers: Headers.EMPTY }, session, newValue, oldValue, session.end);
  }

  /**
   * Sessions ending in the range, by end, then serialized key, then start: the order of Kafka Streams' time-ordered
   * session store. The session store has no index by end across keys, so this reads all sessions and keeps those
   * in range (`all()` returns them by key, end, start; a stable sort by end gives the order wanted).
   */
  private readClosed(range: EmitRange): Array<FinalResult<K, VA>> {
    const results: Array<FinalResult<K, VA>> = [];
    for (const { key, value } of this.store.all()) {
      const { end } = key.window;
      if (end >= range.from && end <= range.to) results.push({ key, value, timestamp: end });
    }
    return results.sort((a, b) => a.timestamp - b.timestamp);
  }
}

/**
 * Sessions ending in `[from, to]`: `to` is the last end before the close time (both ends of a session are
 * inclusive), `from` the close time emitted up to last time. A single-point session makes `from === to` worth a read.
 */
function rangeToEmit(closeTimeMs: number, lastEmitted: number | null): EmitRange | null {
  const to = closeTimeMs - 1;
  const from = Math.max(0, lastEmitted ?? 0);
  return to >= 0 && to >= from ? { from, to } : null;
}
