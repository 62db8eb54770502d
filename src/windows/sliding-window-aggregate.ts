import type { Change } from '../core/change.js';
import { ProcessingError } from '../core/errors.js';
import type { ProcessorSupplier } from '../core/processor.js';
import type { Record } from '../core/record.js';
import type { Window, Windowed } from '../core/windowed.js';
import type { ValueAndTimestamp } from '../state/value-and-timestamp.js';
import type { WindowStore } from '../state/window-store.js';
import type { SlidingWindows } from './sliding-windows.js';
import { type CacheForward, WindowedAggregateProcessor } from './windowed-aggregate-processor.js';
import type { WindowedAggregateSettings } from './windowed-aggregate-settings.js';
import { type ClosedWindows, type EmitRange, windowsStartingIn } from './windowed-result-forwarder.js';
import { aggregationCoordinates, hasKeyAndValue } from './windowed-input.js';

/** A window's aggregate before a record is folded in; the value may be the initializer's `null` (reduce). */
interface StartingAggregate<VA> {
  readonly value: VA;
  readonly timestamp: number;
}

/** What the key's stored windows around a record tell about the windows the record needs. */
interface Neighbourhood<VA> {
  readonly starts: Set<number>;
  /** The latest window ending before the record: its aggregate seeds the record's left window. */
  leftAggregate: ValueAndTimestamp<VA> | null;
  /** The latest-starting window containing the record: its aggregate seeds the record's right window. */
  rightAggregate: ValueAndTimestamp<VA> | null;
  leftWindowExists: boolean;
  rightWindowExists: boolean;
  /** The latest record before this one within reach, whose right window may be missing. */
  previousTimestamp: number | null;
}

/**
 * Kafka Streams' `KStreamSlidingWindowAggregate`. Windows `[start, start + timeDifference]` exist only where the
 * set of records they hold changes: each record has a left window ending at it and, when later records fall within
 * the time difference, a right window starting just after it. A record updates the key's windows containing it
 * (latest start first, as Kafka Streams' reverse iteration does), then creates the windows it is missing. A window
 * is closed once its end plus grace is before stream time; a record whose own windows would all be closed is
 * dropped, and one that misses at least one window is counted once as late. Records earlier than the time
 * difference share the window `[0, timeDifference]`, since windows cannot start before 0.
 */
export function slidingWindowAggregateSupplier<K, V, VA>(
  windows: SlidingWindows,
  initializer: () => VA,
  aggregator: (key: K, value: V, aggregate: VA) => VA,
  settings: WindowedAggregateSettings,
): ProcessorSupplier<K, V, Windowed<K>, Change<VA>> {
  return () => new SlidingWindowAggregateProcessor(windows, initializer, aggregator, settings);
}

class SlidingWindowAggregateProcessor<K, V, VA> extends WindowedAggregateProcessor<K, V, VA, WindowStore<K, ValueAndTimestamp<VA>>> {
  private readonly differenceMs: number;
  /** Whether the record being processed found one of its windows closed. */
  private missedClosedWindow = false;
  private readonly closedWindows: ClosedWindows<K, VA> = {
    rangeToEmit: (closeTimeMs, lastEmitted) => this.rangeToEmit(closeTimeMs, lastEmitted),
    read: (range) => windowsStartingIn(this.store, range, this.differenceMs),
  };

  constructor(
    private readonly windows: SlidingWindows,
    private readonly initializer: () => VA,
    private readonly aggregator: (key: K, value: V, aggregate: VA) => VA,
    settings: WindowedAggregateSettings,
  ) {
    super(settings);
    this.differenceMs = windows.timeDifferenceMs;
  }

  /** A window's update carries the latest timestamp of its records, stored with the aggregate. */
  protected subscribeToCache(forward: CacheForward<K, VA>): boolean {
    const differenceMs = this.differenceMs;
    return this.store.setFlushListener((key, start, newValue, oldValue, timestampMs) => {
      forward({ key, window: { start, end: start + differenceMs } }, newValue?.value ?? null, oldValue?.value ?? null, newValue?.timestamp ?? timestampMs);
    }, this.settings.sendOldValues);
  }

  process(record: Record<K, V>): void {
    if (!hasKeyAndValue(record, this.context)) return;
    if (record.timestamp < 0) {
      throw new ProcessingError(`sliding windows need a timestamp of 0 or later, got ${record.timestamp}`, {
        coordinates: aggregationCoordinates(this.context, this.settings),
      });
    }
    const closeTimeMs = this.streamTime.advance(record) - this.windows.graceMs;
    this.output.emitClosed(record, closeTimeMs, this.closedWindows);
    if (record.timestamp + this.differenceMs < closeTimeMs) {
      this.context.recordDropped?.('lateRecord');
      return;
    }
    this.missedClosedWindow = false;
    if (record.timestamp < this.differenceMs) this.processEarly(record, closeTimeMs);
    else this.processInTime(record, closeTimeMs);
    if (this.missedClosedWindow) this.context.recordDropped?.('lateRecord');
  }

  /** Walks the key's windows from the record's right window back to the one before its left window. */
  private processInTime(record: Record<K, V>, closeTimeMs: number): void {
    const timestamp = record.timestamp;
    const around = emptyNeighbourhood<VA>();
    const from = Math.max(0, timestamp - 2 * this.differenceMs);
    for (const { key: start, value } of this.store.backwardFetch(record.key, from, timestamp + 1)) {
      around.starts.add(start);
      const end = start + this.differenceMs;
      if (start === timestamp + 1) {
        around.rightWindowExists = true;
      } else if (end > timestamp) {
        around.rightAggregate ??= value;
        this.updateWindow(record, { start, end }, value, closeTimeMs);
      } else if (end === timestamp) {
        around.leftWindowExists = true;
        this.updateWindow(record, { start, end }, value, closeTimeMs);
        // A record at this very timestamp came before: every window this one needs exists already.
        if (value.timestamp >= timestamp) return;
        around.previousTimestamp = value.timestamp;
      } else {
        around.leftAggregate = value;
        around.previousTimestamp = value.timestamp;
        break;
      }
    }
    this.createMissingWindows(record, closeTimeMs, around);
  }

  private createMissingWindows(record: Record<K, V>, closeTimeMs: number, around: Neighbourhood<VA>): void {
    const timestamp = record.timestamp;
    const { previousTimestamp, leftAggregate } = around;
    if (previousTimestamp !== null) {
      const previousRightStart = previousTimestamp + 1;
      if (!around.starts.has(previousRightStart) && previousRightStart + this.differenceMs >= timestamp) {
        this.createPreviousRecordRightWindow(record, previousRightStart, closeTimeMs);
      }
    }
    if (!around.leftWindowExists) {
      const leftHoldsPrevious = previousTimestamp !== null && timestamp - this.differenceMs <= previousTimestamp;
      const value = leftHoldsPrevious && leftAggregate !== null ? leftAggregate.value : this.initializer();
      this.updateWindow(record, { start: timestamp - this.differenceMs, end: timestamp }, { value, timestamp }, closeTimeMs);
    }
    if (!around.rightWindowExists) this.maybeCreateRightWindow(record, around.rightAggregate);
  }

  /**
   * A record before the time difference: its left window would start before 0, so it goes into `[0, difference]`
   * with every other early record, and gets a right window as later records arrive.
   */
  private processEarly(record: Record<K, V>, closeTimeMs: number): void {
    const timestamp = record.timestamp;
    const around = emptyNeighbourhood<VA>();
    let combined: ValueAndTimestamp<VA> | null = null;
    for (const { key: start, value } of this.store.fetch(record.key, 0, timestamp + 1)) {
      around.starts.add(start);
      if (start === 0) {
        combined = value;
        if (value.timestamp < timestamp) around.previousTimestamp = value.timestamp;
      } else if (start <= timestamp) {
        around.rightAggregate = value;
        this.updateWindow(record, { start, end: start + this.differenceMs }, value, closeTimeMs);
      } else {
        around.rightWindowExists = true; // the fetch ends at timestamp + 1: this is the record's right window
      }
    }
    // Without a window between, the combined window holds only records after this one when its latest is later.
    if (around.rightAggregate === null && combined !== null && combined.timestamp > timestamp) around.rightAggregate = combined;
    if (!around.rightWindowExists) this.maybeCreateRightWindow(record, around.rightAggregate);
    const { previousTimestamp } = around;
    if (previousTimestamp !== null && !around.starts.has(previousTimestamp + 1)) {
      this.createPreviousRecordRightWindow(record, previousTimestamp + 1, closeTimeMs);
    }
    const combinedWindow = { start: 0, end: this.differenceMs };
    this.updateWindow(record, combinedWindow, combined ?? { value: this.initializer(), timestamp }, closeTimeMs);
  }

  /** The record's right window holds the later records of `rightAggregate`, and not the record itself. */
  private maybeCreateRightWindow(record: Record<K, V>, rightAggregate: ValueAndTimestamp<VA> | null): void {
    if (rightAggregate === null || rightAggregate.timestamp <= record.timestamp) return;
    const start = record.timestamp + 1;
    this.store.put(record.key, rightAggregate, start);
    this.output.forwardUpdate(record, { start, end: start + this.differenceMs }, rightAggregate.value, null, rightAggregate.timestamp);
  }

  /** The previous record's right window did not exist yet, and this record is the first to fall into it. */
  private createPreviousRecordRightWindow(record: Record<K, V>, start: number, closeTimeMs: number): void {
    const window = { start, end: start + this.differenceMs };
    this.updateWindow(record, window, { value: this.initializer(), timestamp: record.timestamp }, closeTimeMs);
  }

  /** Folds the record into `window`, starting from `current`, unless the window has closed. */
  private updateWindow(record: Record<K, V>, window: Window, current: StartingAggregate<VA>, closeTimeMs: number): void {
    if (window.end < closeTimeMs) {
      this.missedClosedWindow = true;
      return;
    }
    const newAggregate = this.aggregator(record.key, record.value, current.value);
    const timestamp = Math.max(record.timestamp, current.timestamp);
    this.store.put(record.key, newAggregate === null ? null : { value: newAggregate, timestamp }, window.start);
    this.output.forwardUpdate(record, window, newAggregate, current.value, timestamp);
  }

  /**
   * Windows starting in `[from, to]`: `to` is the last start whose window (both ends inclusive) ends before the
   * close time, `from` the first start after those emitted last time.
   */
  private rangeToEmit(closeTimeMs: number, lastEmitted: number | null): EmitRange | null {
    const to = closeTimeMs - this.differenceMs - 1;
    if (to < 0) return null;
    return { from: lastEmitted === null ? 0 : Math.max(0, lastEmitted - this.differenceMs), to };
  }
}

function emptyNeighbourhood<VA>(): Neighbourhood<VA> {
  return {
    starts: new Set(),
    leftAggregate: null,
    rightAggregate: null,
    leftWindowExists: false,
    rightWindowExists: false,
    previousTimestamp: null,
  };
}
