import { SerdeError, StateError } from '../core/errors.js';
import type { Serde } from '../core/serde.js';
import type { Windowed } from '../core/windowed.js';
import { changelogTopicName, type ChangelogRecord } from './changelog.js';
import type { KeyValueIterator } from './key-value-iterator.js';
import { OpenIterators } from './open-iterators.js';
import type { StateStoreContext } from './state-store.js';
import { valueAndTimestampSerde } from './value-and-timestamp.js';
import type { ValueAndTimestamp } from './value-and-timestamp.js';
import type { WindowBytesStore } from './window-bytes-store.js';
import type { WindowStore } from './window-store.js';

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
export class TypedWindowStore<K, V> implements WindowStore<K, V> {
  /** Whether `V` is `ValueAndTimestamp` (built by `Stores.timestampedWindowStoreBuilder`). */
  readonly timestampedValues: boolean;
  private readonly openIterators: OpenIterators;
  private topic = '';

  constructor(
    private readonly inner: WindowBytesStore,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
  ) {
    this.openIterators = new OpenIterators(inner.name);
    this.timestampedValues = timestampedValueSerdes.has(valueSerde);
  }

  get name(): string {
    return this.inner.name;
  }

  get persistent(): boolean {
    return this.inner.persistent;
  }

  get retentionMs(): number {
    return this.inner.retentionMs;
  }

  get windowSizeMs(): number {
    return this.inner.windowSizeMs;
  }

  init(context: StateStoreContext): void {
    this.topic = changelogTopicName(context.applicationId, this.name);
    this.inner.init(context);
  }

  put(key: K, value: V | null, windowStart: number): void {
    const valueBytes = value === null ? null : this.serde(() => this.valueSerde.serialize(this.topic, value));
    this.inner.put(this.keyBytes(key), valueBytes, windowStart);
  }

  fetch(key: K, windowStart: number): V | null;
  fetch(key: K, timeFrom: number, timeTo: number): KeyValueIterator<number, V>;
  fetch(key: K, timeFrom: number, timeTo?: number): V | null | KeyValueIterator<number, V> {
    if (timeTo === undefined) {
      const value = this.inner.fetch(this.keyBytes(key), timeFrom);
      return value === null ? null : this.valueFrom(value);
    }
    return this.typedValues(this.inner.fetchRange(this.keyBytes(key), timeFrom, timeTo, false));
  }

  backwardFetch(key: K, timeFrom: number, timeTo: number): KeyValueIterator<number, V> {
    return this.typedValues(this.inner.fetchRange(this.keyBytes(key), timeFrom, timeTo, true));
  }

  fetchAll(timeFrom: number, timeTo: number): KeyValueIterator<Windowed<K>, V> {
    return this.typedWindows(this.inner.fetchAll(timeFrom, timeTo));
  }

  all(): KeyValueIterator<Windowed<K>, V> {
    return this.typedWindows(this.inner.all());
  }

  restoreBatch(records: ReadonlyArray<ChangelogRecord>): void {
    this.inner.restoreBatch(records);
  }

  flush(): void {
    this.inner.flush();
  }

  close(): void {
    this.openIterators.closeAll();
    this.inner.close();
  }

  isOpen(): boolean {
    return this.inner.isOpen();
  }

  private typedValues(inner: KeyValueIterator<number, Buffer>): KeyValueIterator<number, V> {
    return this.openIterators.open(() => {
      const entry = inner.next();
      return entry.done === true ? undefined : { key: entry.value.key, value: this.valueFrom(entry.value.value) };
    }, () => inner.close());
  }

  private typedWindows(
    inner: KeyValueIterator<{ keyBytes: Buffer; windowStart: number }, Buffer>,
  ): KeyValueIterator<Windowed<K>, V> {
    const size = this.inner.windowSizeMs;
    return this.openIterators.open(() => {
      const entry = inner.next();
      if (entry.done === true) return undefined;
      const { keyBytes, windowStart } = entry.value.key;
      const key = this.serde(() => this.keySerde.deserialize(this.topic, keyBytes));
      if (key === null) throw new StateError('a window store key deserialized to null', { coordinates: { store: this.name } });
      const windowed = { key, window: { start: windowStart, end: windowStart + size } };
      return { key: windowed, value: this.valueFrom(entry.value.value) };
    }, () => inner.close());
  }

  private keyBytes(key: K): Buffer {
    const bytes = this.serde(() => this.keySerde.serialize(this.topic, key));
    if (bytes === null) throw new StateError('window store keys must not be null', { coordinates: { store: this.name } });
    return bytes;
  }

  private valueFrom(bytes: Buffer): V {
    return this.serde(() => this.valueSerde.deserialize(this.topic, bytes)) as V;
  }

  private serde<T>(convert: () => T): T {
    try {
      return convert();
    } catch (cause) {
      if (cause instanceof SerdeError) throw cause;
      throw new SerdeError('window store serde failed', { cause, coordinates: { store: this.name } });
    }
  }
}
