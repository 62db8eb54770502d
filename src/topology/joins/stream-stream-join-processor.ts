import type { Processor, ProcessorContext, ProcessorSupplier } from '../../core/processor.js';
import type { Record } from '../../core/record.js';
import type { Serde } from '../../core/serde.js';
import type { ListValueStore } from '../../state/list-value-store.js';
import type { WindowStore } from '../../state/window-store.js';
import { NO_MIN_TIME, type JoinTimeTracker, type JoinTimeTrackers } from './join-time-tracker.js';
import { OuterJoinStore, type UnjoinedRecord } from './outer-join-store.js';

/**
 * Kafka Streams' default of `__emit.interval.ms.kstreams.outer.join.spurious.results.fix__`, for contexts that do
 * not say (the runtime always does, from `TaskEngineConfig.outerJoinEmitIntervalMs`).
 */
const DEFAULT_OUTER_JOIN_EMIT_INTERVAL_MS = 1000;

/** What one side's join processor of a stream-stream join knows. */
export interface JoinSideSettings {
  /** `true` for the left (this) side, whose records the joiner takes first. */
  readonly isLeftSide: boolean;
  /** Whether this side emits its records that found no partner (left side of left/outer, right side of outer). */
  readonly outer: boolean;
  readonly otherStoreName: string;
  /** The shared store of left and outer joins; `undefined` for inner joins. */
  readonly sharedStoreName: string | undefined;
  /** The window as this side sees it: the right side swaps before and after. */
  readonly lookBackMs: number;
  readonly lookAheadMs: number;
  /** The join's own bounds, which say when a waiting record's window closed. */
  readonly beforeMs: number;
  readonly afterMs: number;
  readonly graceMs: number;
  /** The user's joiner: `(leftValue, rightValue, key)`. */
  readonly joiner: (leftValue: unknown, rightValue: unknown, key: unknown) => unknown;
  readonly trackers: JoinTimeTrackers;
  /** Serdes of the shared store. */
  readonly keySerde: Serde<unknown> | undefined;
  readonly leftValueSerde: Serde<unknown> | undefined;
  readonly rightValueSerde: Serde<unknown> | undefined;
}

/** Kafka Streams' `KStreamKStreamJoinLeftSide` / `KStreamKStreamJoinRightSide`. */
export function streamStreamJoinSupplier(settings: JoinSideSettings): ProcessorSupplier<unknown, unknown, unknown, unknown> {
  return () => new StreamStreamJoinProcessor(settings);
}

/**
 * One side of a stream-stream join (Kafka Streams' `KStreamKStreamJoin.KStreamKStreamJoinProcessor`). For each
 * record at `ts`:
 * 1. the time shared by both sides advances to `ts`, even if the record is then skipped;
 * 2. on an outer side, a record without a key (but with a value) is emitted at once, without a partner; other
 *    records without a key or a value are dropped and counted;
 * 3. if the record is not out of order, records waiting in the shared store whose window closed are emitted;
 * 4. the other side's records of the key in `[ts − lookBack, ts + lookAhead]` (clamped at 0) are joined, in the
 *    store's order, each result timestamped with the later of both records; each partner leaves the shared store;
 * 5. on an outer side, a record with no partner is emitted at once if its window already passed (or there is no
 *    shared store), else it waits in the shared store.
 */
class StreamStreamJoinProcessor implements Processor<unknown, unknown, unknown, unknown> {
  private context!: ProcessorContext<unknown, unknown>;
  private otherStore!: WindowStore<unknown, unknown>;
  private sharedStore: OuterJoinStore | undefined;
  private tracker!: JoinTimeTracker;

  constructor(private readonly settings: JoinSideSettings) {}

  init(context: ProcessorContext<unknown, unknown>): void {
    const { settings } = this;
    this.context = context;
    this.otherStore = context.getStateStore(settings.otherStoreName);
    if (settings.sharedStoreName !== undefined) {
      const store = context.getStateStore<ListValueStore>(settings.sharedStoreName);
      this.sharedStore = new OuterJoinStore(store, context.applicationId, settings.keySerde!, settings.leftValueSerde!, settings.rightValueSerde!);
    }
    this.tracker = settings.trackers.get(context.taskId, context.outerJoinEmitIntervalMs ?? DEFAULT_OUTER_JOIN_EMIT_INTERVAL_MS);
  }

  process(record: Record<unknown, unknown>): void {
    const { settings, tracker } = this;
    const timestamp = record.timestamp;
    tracker.advanceStreamTime(timestamp);
    const hasKey = record.key !== null && record.key !== undefined;
    const hasValue = record.value !== null && record.value !== undefined;
    if (settings.outer && !hasKey && hasValue) {
      this.context.forward(record.withValue(this.join(record.key, record.value, null)));
      return;
    }
    if (!hasKey || !hasValue) {
      this.context.recordDropped?.(hasKey ? 'nullValue' : 'nullKey');
      return;
    }
    if (timestamp === tracker.streamTime && this.sharedStore !== undefined) this.emitClosedUnjoined(this.sharedStore, record);

    const timeFrom = Math.max(0, timestamp - settings.lookBackMs);
    const timeTo = Math.max(0, timestamp + settings.lookAheadMs);
    let joined = false;
    for (const { key: otherTimestamp, value: otherValue } of this.otherStore.fetch(record.key, timeFrom, timeTo)) {
      joined = true;
      this.sharedStore?.deleteIfPresent(otherTimestamp, !settings.isLeftSide, record.key);
      const result = this.join(record.key, record.value, otherValue);
      this.context.forward(record.withValue(result).withTimestamp(Math.max(timestamp, otherTimestamp)));
    }
    if (joined || !settings.outer) return;
    if (this.sharedStore === undefined || timeTo < tracker.streamTime) {
      this.context.forward(record.withValue(this.join(record.key, record.value, null)));
    } else {
      tracker.updateMinTime(timestamp);
      this.sharedStore.add(timestamp, settings.isLeftSide, record.key, record.value);
    }
  }

  close(): void {
    this.settings.trackers.remove(this.context.taskId);
  }

  /** The joiner with this side's value in its place. */
  private join(key: unknown, thisValue: unknown, otherValue: unknown): unknown {
    return this.settings.isLeftSide ? this.settings.joiner(thisValue, otherValue, key) : this.settings.joiner(otherValue, thisValue, key);
  }

  /**
   * Kafka Streams' `emitNonJoinedOuterRecords`: scans the shared store in its order and emits each waiting record
   * whose window closed, with its own timestamp and the current record's headers. The scan stops once both sides
   * met a record still open. Each entry is deleted only once the scan moved past it (the last one after the scan),
   * so a crash mid-scan emits again rather than loses. At most once per emit interval of wall-clock time.
   */
  private emitClosedUnjoined(store: OuterJoinStore, record: Record<unknown, unknown>): void {
    const { settings, tracker } = this;
    // Kafka Streams uses this side's look-ahead here (the right side's is the join's `before`).
    if (possiblyWaiting(tracker.minTime, settings.lookAheadMs + settings.graceMs) >= tracker.streamTime) return;
    const now = this.context.currentSystemTimeMs();
    if (now < tracker.nextTimeToEmit) return;
    tracker.nextTimeToEmit = now + tracker.emitIntervalMs;
    tracker.minTime = NO_MIN_TIME;

    let previous: UnjoinedRecord | undefined;
    let leftOpen = false;
    let rightOpen = false;
    for (const waiting of store.all()) {
      tracker.minTime = waiting.timestamp;
      if (leftOpen && rightOpen) break;
      const lookBackMs = waiting.isLeftSide ? settings.afterMs : settings.beforeMs;
      if (tracker.minTime + lookBackMs + settings.graceMs >= tracker.streamTime) {
        if (waiting.isLeftSide) leftOpen = true;
        else rightOpen = true;
        continue;
      }
      const result = settings.joiner(waiting.leftValue, waiting.rightValue, waiting.key);
      this.context.forward(record.withKey(waiting.key).withValue(result).withTimestamp(waiting.timestamp));
      if (previous !== undefined && !previous.storeKey.equals(waiting.storeKey)) store.deleteAll(previous.storeKey);
      previous = waiting;
    }
    if (previous !== undefined) store.deleteAll(previous.storeKey);
  }
}

/**
 * `minTime + lookAhead + grace` as Kafka Streams computes it in a Java `long`: with no record waiting, `minTime` is
 * `Long.MAX_VALUE` and a positive sum overflows to a negative number, so the scan (and its throttle) still runs.
 */
function possiblyWaiting(minTime: number, lookAheadPlusGraceMs: number): number {
  if (minTime !== NO_MIN_TIME) return minTime + lookAheadPlusGraceMs;
  return lookAheadPlusGraceMs > 0 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
}
