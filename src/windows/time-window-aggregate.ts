import type { Change } from '../core/change.js';
import type { ProcessorSupplier } from '../core/processor.js';
import type { Record } from '../core/record.js';
import type { Windowed } from '../core/windowed.js';
import type { ValueAndTimestamp } from '../state/value-and-timestamp.js';
import type { WindowStore } from '../state/window-store.js';
import type { TimeWindows } from './time-windows.js';
import { type CacheForward, WindowedAggregateProcessor } from './windowed-aggregate-processor.js';
import type { WindowedAggregateSettings } from './windowed-aggregate-settings.js';
import { type ClosedWindows, type EmitRange, windowsStartingIn } from './windowed-result-forwarder.js';
import { hasKey } from './windowed-input.js';

/**
 * Kafka Streams' `KStreamWindowAggregate` over tumbling and hopping windows: each record is folded into every
 * window containing it (by start, ascending) that is still open, i.e. whose `end + grace` is after stream time.
 * A record that finds at least one of its windows closed is reported once as a late record (`lateRecord`), even
 * when newer hopping windows still take it. Each update is forwarded with the latest timestamp of the records in
 * the window; with `sendOldValues`, a window's first update carries the initializer's value as old value, as in
 * Kafka Streams.
 */
export function timeWindowAggregateSupplier<K, V, VA>(
  windows: TimeWindows,
  initializer: () => VA,
  aggregator: (key: K, value: V, aggregate: VA) => VA,
  settings: WindowedAggregateSettings,
): ProcessorSupplier<K, V, Windowed<K>, Change<VA>> {
  return () => new TimeWindowAggregateProcessor(windows, initializer, aggregator, settings);
}

class TimeWindowAggregateProcessor<K, V, VA> extends WindowedAggregateProcessor<K, V, VA, WindowStore<K, ValueAndTimestamp<VA>>> {
  private readonly closedWindows: ClosedWindows<K, VA> = {
    rangeToEmit: (closeTimeMs, lastEmitted) => this.rangeToEmit(closeTimeMs, lastEmitted),
    read: (range) => windowsStartingIn(this.store, range, this.windows.sizeMs),
  };

  constructor(
    private readonly windows: TimeWindows,
    private readonly initializer: () => VA,
    private readonly aggregator: (key: K, value: V, aggregate: VA) => VA,
    settings: WindowedAggregateSettings,
  ) {
    super(settings);
  }

  /** A window's update carries the latest timestamp of its records, stored with the aggregate. */
  protected subscribeToCache(forward: CacheForward<K, VA>): boolean {
    const sizeMs = this.windows.sizeMs;
    return this.store.setFlushListener((key, start, newValue, oldValue, timestampMs) => {
      forward({ key, window: { start, end: start + sizeMs } }, newValue?.value ?? null, oldValue?.value ?? null, newValue?.timestamp ?? timestampMs);
    }, this.settings.sendOldValues);
  }

  process(record: Record<K, V>): void {
    if (!hasKey(record, this.context)) return;
    const closeTimeMs = this.streamTime.advance(record) - this.windows.graceMs;
    this.output.emitClosed(record, closeTimeMs, this.closedWindows);
    let late = false;
    const { sizeMs, advanceMs } = this.windows;
    // By start rather than through `windowsFor`: no array and no window objects per record (a hopping record has six).
    for (let start = this.windows.firstStartFor(record.timestamp); start <= record.timestamp; start += advanceMs) {
      if (start + sizeMs <= closeTimeMs) late = true;
      else this.aggregateInto(record, start);
    }
    if (late) this.context.recordDropped?.('lateRecord');
  }

  private aggregateInto(record: Record<K, V>, start: number): void {
    const current = this.store.fetch(record.key, start);
    const oldAggregate = current === null ? this.initializer() : current.value;
    const timestamp = current === null ? record.timestamp : Math.max(record.timestamp, current.timestamp);
    const newAggregate = this.aggregator(record.key, record.value, oldAggregate);
    this.store.put(record.key, newAggregate === null ? null : { value: newAggregate, timestamp }, start);
    if (this.output.forwardsUpdates) this.output.forwardUpdate(record, { start, end: start + this.windows.sizeMs }, newAggregate, oldAggregate, timestamp);
  }

  /**
   * Windows starting in `[from, to]` closed since the last emission: `to` is the last start whose window ends by
   * the close time, `from` the first start after those emitted last time. Nothing to read when no window starts
   * in that range (starts are multiples of the advance).
   */
  private rangeToEmit(closeTimeMs: number, lastEmitted: number | null): EmitRange | null {
    const to = closeTimeMs - this.windows.sizeMs;
    if (to < 0) return null;
    if (lastEmitted === null) return { from: 0, to };
    const from = Math.max(0, lastEmitted - this.windows.sizeMs) + 1;
    const advance = this.windows.advanceMs;
    const firstStart = Math.ceil(from / advance) * advance;
    return firstStart <= to ? { from, to } : null;
  }
}
