import type { Serde } from '../core/serde.js';
import type { Windowed } from '../core/windowed.js';
import type { KeyValueIterator } from './key-value-iterator.js';
import { TypedWindowedStore } from './typed-windowed-store.js';
import { valueAndTimestampSerde } from './value-and-timestamp.js';
import type { ValueAndTimestamp } from './value-and-timestamp.js';
import type { WindowBytesStore, WindowedBytes } from './window-bytes-store.js';
import type { WindowFlushListener, WindowStore } from './window-store.js';

/** A window store whose values carry the timestamp of the record that wrote them (windowed aggregations). */
export type TimestampedWindowStore<K, V> = WindowStore<K, ValueAndTimestamp<V>>;

/** The value serdes made by `timestampedWindowValueSerde`: how a typed window store knows it is timestamped. */
const timestampedValueSerdes = new WeakSet<object>();

/**
 * `valueAndTimestampSerde(valueSerde)`, marked so that the window store using it knows its values are timestamped
 * and read-only views (test driver, interactive queries) show the plain values, as for timestamped key-value stores.
 */
export function timestampedWindowValueSerde<V>(valueSerde: Serde<V>): Serde<ValueAndTimestamp<V>> {
  const serde = valueAndTimestampSerde(valueSerde);
  timestampedValueSerdes.add(serde);
  return serde;
}

/** The outermost layer of a window store: serializes keys and values for the bytes layers below. */
export class TypedWindowStore<K, V> extends TypedWindowedStore<K, V, WindowBytesStore> implements WindowStore<K, V> {
  /** Whether `V` is `ValueAndTimestamp` (built by `Stores.timestampedWindowStoreBuilder`). */
  readonly timestampedValues: boolean;
  protected readonly storeKind = 'window';

  constructor(inner: WindowBytesStore, keySerde: Serde<K>, valueSerde: Serde<V>) {
    super(inner, keySerde, valueSerde);
    this.timestampedValues = timestampedValueSerdes.has(valueSerde);
  }

  get windowSizeMs(): number {
    return this.inner.windowSizeMs;
  }

  setFlushListener(listener: WindowFlushListener<K, V>, sendOldValues: boolean): boolean {
    return (
      this.inner.setFlushListener?.((keyBytes, windowStart, newValue, oldValue, timestampMs) => {
        listener(this.keyFrom(keyBytes), windowStart, this.valueOrNull(newValue), this.valueOrNull(oldValue), timestampMs);
      }, sendOldValues) ?? false
    );
  }

  put(key: K, value: V | null, windowStart: number): void {
    const valueBytes = this.valueBytes(value);
    this.inner.put(this.keyBytes(key), valueBytes, windowStart);
  }

  fetch(key: K, windowStart: number): V | null;
  fetch(key: K, timeFrom: number, timeTo: number): KeyValueIterator<number, V>;
  fetch(key: K, timeFrom: number, timeTo?: number): V | null | KeyValueIterator<number, V> {
    if (timeTo === undefined) {
      const value = this.inner.fetch(this.keyBytes(key), timeFrom);
      return value === null ? null : this.valueFrom(value);
    }
    return this.typedEntries(this.inner.fetchRange(this.keyBytes(key), timeFrom, timeTo, false), (start) => start);
  }

  backwardFetch(key: K, timeFrom: number, timeTo: number): KeyValueIterator<number, V> {
    return this.typedEntries(this.inner.fetchRange(this.keyBytes(key), timeFrom, timeTo, true), (start) => start);
  }

  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V> {
    return this.typedWindows(this.inner.fetchAll(timeFrom, timeTo));
  }

  all(): KeyValueIterator<Windowed<K>, V> {
    return this.typedWindows(this.inner.all());
  }

  private typedWindows(inner: KeyValueIterator<WindowedBytes, Buffer>): KeyValueIterator<Windowed<K>, V> {
    const size = this.inner.windowSizeMs;
    return this.typedEntries(inner, ({ keyBytes, windowStart }) => ({
      key: this.keyFrom(keyBytes),
      window: { start: windowStart, end: windowStart + size },
    }));
  }
}
