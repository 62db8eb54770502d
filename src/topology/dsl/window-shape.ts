import type { Serde } from '../../core/serde.js';
import type { Windowed } from '../../core/windowed.js';
import { SessionWindows } from '../../windows/session-windows.js';
import { SlidingWindows } from '../../windows/sliding-windows.js';
import type { TimeWindows } from '../../windows/time-windows.js';
import { WindowedSerdes } from '../../windows/windowed-serdes.js';

/** What a kind of windows decides about the store of an aggregation over them and about its results' keys. */
export interface WindowShape<K> {
  /** The window store's window size, or `undefined` for a session store. */
  readonly windowSizeMs: number | undefined;
  /** See `StoreWindowing.closeDelayMs`. */
  readonly closeDelayMs: number;
  /**
   * Sliding windows and sessions close once stream time is strictly past their end + grace (+ gap): one ms after
   * a store at the minimum retention drops them (time windows close as they expire, and are emitted first).
   */
  readonly closesAfterExpiry: boolean;
  /** The least retention that keeps every window until it closes, and how Kafka Streams words it. */
  readonly minimumRetentionMs: number;
  readonly minimumRetentionRule: string;
  /** The serde of the resulting table's `Windowed` keys, from the inner key serde. */
  readonly windowedKeySerde: (keySerde: Serde<K>) => Serde<Windowed<K>>;
}

/** The shape of tumbling or hopping `TimeWindows`, `SlidingWindows` or `SessionWindows`. */
export function windowShapeOf<K>(windows: TimeWindows | SlidingWindows | SessionWindows): WindowShape<K> {
  if (windows instanceof SessionWindows) {
    return {
      windowSizeMs: undefined,
      closeDelayMs: windows.inactivityGapMs + windows.graceMs,
      closesAfterExpiry: true,
      minimumRetentionMs: windows.inactivityGapMs + windows.graceMs,
      minimumRetentionRule: 'the session inactivity gap plus the grace period',
      windowedKeySerde: (keySerde) => WindowedSerdes.sessionWindowedSerdeFrom(keySerde),
    };
  }
  const sliding = windows instanceof SlidingWindows;
  const windowSizeMs = sliding ? windows.timeDifferenceMs : windows.sizeMs;
  return {
    windowSizeMs,
    closeDelayMs: windows.graceMs,
    closesAfterExpiry: sliding,
    // Sliding windows reach back up to two time differences to create the window to the right of a record.
    minimumRetentionMs: sliding ? 2 * windows.timeDifferenceMs + windows.graceMs : windows.sizeMs + windows.graceMs,
    minimumRetentionRule: sliding ? '2 * time difference plus the grace period' : 'its window size plus the grace period',
    windowedKeySerde: (keySerde) => WindowedSerdes.timeWindowedSerdeFrom(keySerde, windowSizeMs),
  };
}
