import type { Change } from '../core/change.js';
import type { ProcessorContext } from '../core/processor.js';
import { Record } from '../core/record.js';
import type { Window, Windowed } from '../core/windowed.js';
import type { KeyValueStore } from '../state/key-value-store.js';
import type { ValueAndTimestamp } from '../state/value-and-timestamp.js';
import type { WindowStore } from '../state/window-store.js';
import { EmitWatermark, emitWatermarkStoreName } from './emit-watermark-store.js';
import type { WindowedAggregateSettings } from './windowed-aggregate-settings.js';

/** A closed window's final aggregate, and the timestamp its record carries downstream. */
export interface FinalResult<K, VA> {
  readonly key: Windowed<K>;
  readonly value: VA;
  readonly timestamp: number;
}

/** Whose key and headers an update carries: usually the input record's. */
export type UpdateSource<K> = Pick<Record<K, unknown>, 'key' | 'headers'>;

/** Inclusive bounds of the store range (window starts, or session ends) holding newly closed windows. */
export interface EmitRange {
  readonly from: number;
  readonly to: number;
}

/** How one kind of windowed aggregation finds the windows that closed since its last emission. */
export interface ClosedWindows<K, VA> {
  /**
   * The range to read when windows close up to `closeTimeMs`, given the close time emitted up to last time
   * (`null` before the first emission); `null` when no new window can have closed.
   */
  rangeToEmit(closeTimeMs: number, lastEmittedCloseTimeMs: number | null): EmitRange | null;
  /** The windows in `range`, in the order Kafka Streams emits them. */
  read(range: EmitRange): Array<FinalResult<K, VA>>;
}

/**
 * The output side shared by the windowed aggregation processors. With `onWindowUpdate` it forwards each change as
 * it happens; with `onWindowClose` it forwards nothing on update and, once stream time has closed windows, each of
 * them once with its final value (old value `null`), keeping its progress in the watermark store.
 */
export class WindowedResultForwarder<K, VA> {
  /** Set when the store's cache forwards the updates (`emitThroughCache`). */
  private cachingEnabled = false;

  /** `watermark`: what `onWindowClose` emitted so far (`openEmitWatermark`); `null` under `onWindowUpdate`. */
  constructor(
    private readonly context: ProcessorContext<Windowed<K>, Change<VA>>,
    private readonly settings: WindowedAggregateSettings,
    private readonly watermark: EmitWatermark | null,
  ) {}

  /**
   * Kafka Streams' `TimestampedTupleForwarder` over a cached store: with `onWindowUpdate`, hands `subscribe` the
   * function that forwards an update, for the store's flush listener. When the store has a cache (`subscribe`
   * returns `true`), updates reach downstream from it, one per window per commit with its latest value and the
   * store's previous one as old value, and `forwardUpdate` stays quiet. They carry no headers: the cache keeps
   * values, not the records that wrote them.
   */
  emitThroughCache(subscribe: (forward: (key: Windowed<K>, newValue: VA | null, oldValue: VA | null, timestamp: number) => void) => boolean): void {
    if (this.watermark !== null) return;
    this.cachingEnabled = subscribe((key, newValue, oldValue, timestamp) => {
      this.context.forward(new Record(key, { newValue, oldValue: this.settings.sendOldValues ? oldValue : null }, timestamp));
    });
  }

  /** Whether `forwardUpdate` forwards anything (`onWindowUpdate` without a cache), so a caller can skip making its arguments. */
  get forwardsUpdates(): boolean {
    return this.watermark === null && !this.cachingEnabled;
  }

  /**
   * Forwards a window's update (with `onWindowUpdate`, and no cache) under the key and headers of `source`;
   * `oldValue` reaches downstream only with `sendOldValues`.
   */
  forwardUpdate(source: UpdateSource<K>, window: Window, newValue: VA | null, oldValue: VA | null, timestamp: number): void {
    if (!this.forwardsUpdates) return;
    const change: Change<VA> = { newValue, oldValue: this.settings.sendOldValues ? oldValue : null };
    this.context.forward(new Record({ key: source.key, window }, change, timestamp, source.headers));
  }

  /**
   * With `onWindowClose`, forwards the windows closed since the last emission, carrying the headers of `record`
   * (the input that moved stream time), as Kafka Streams does. Emission happens only when the close time advances.
   *
   * Processors call it before folding `record` in, where Kafka Streams emits after: the records forwarded are the
   * same (a record only changes windows that are still open, and updates are not forwarded in this mode), but the
   * closed windows are read before the record's writes move the store's retention, which could otherwise expire
   * a window in the same step that closes it (with retention = size + grace, a tumbling window expires exactly
   * when the next window's first record arrives).
   */
  emitClosed(record: Record<K, unknown>, closeTimeMs: number, closed: ClosedWindows<K, VA>): void {
    const watermark = this.watermark;
    if (watermark === null) return;
    const lastEmitted = watermark.lastEmittedCloseTimeMs;
    if (lastEmitted !== null && lastEmitted >= closeTimeMs) return;
    const range = closed.rangeToEmit(closeTimeMs, lastEmitted);
    if (range === null) return;
    for (const { key, value, timestamp } of closed.read(range)) {
      this.context.forward(new Record(key, { newValue: value, oldValue: null }, timestamp, record.headers));
    }
    watermark.advanceTo(closeTimeMs);
  }
}

/** The watermark store of an `onWindowClose` aggregation, opened; `null` under `onWindowUpdate`. */
export function openEmitWatermark(context: ProcessorContext<unknown, unknown>, settings: WindowedAggregateSettings): EmitWatermark | null {
  if (settings.emitStrategy !== 'onWindowClose') return null;
  return new EmitWatermark(context.getStateStore<KeyValueStore<string, number>>(emitWatermarkStoreName(settings.storeName)));
}

/**
 * The windows of a time or sliding window aggregation starting in `range`, by start, then by serialized key: the
 * order of Kafka Streams' time-ordered window store. Each ends `windowSizeMs` after its start.
 */
export function windowsStartingIn<K, VA>(
  store: WindowStore<K, ValueAndTimestamp<VA>>,
  range: EmitRange,
  windowSizeMs: number,
): Array<FinalResult<K, VA>> {
  const results: Array<FinalResult<K, VA>> = [];
  for (const { key: stored, value } of store.fetchAll(range.from, range.to)) {
    const { start } = stored.window;
    const key = { key: stored.key, window: { start, end: start + windowSizeMs } };
    results.push({ key, value: value.value, timestamp: value.timestamp });
  }
  return results;
}
