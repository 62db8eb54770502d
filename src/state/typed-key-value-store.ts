import { describeError, SerdeError, StateError } from '../core/errors.js';
import type { Serde } from '../core/serde.js';
import { ALL_KEYS, inclusiveRange, prefixRange } from './bytes-range.js';
import type { BytesRange } from './bytes-range.js';
import { changelogTopicName } from './changelog.js';
import type { KeyValue } from './key-value.js';
import type { KeyValueBytesStore } from './key-value-bytes-store.js';
import type { KeyValueIterator } from './key-value-iterator.js';
import type { FlushListener, KeyValueStore } from './key-value-store.js';
import { OpenIterators } from './open-iterators.js';
import type { StateStoreContext } from './state-store.js';
import { WrappingStore } from './wrapping-store.js';

/** Stands for "no key remembered": a value no caller can pass as a key. */
const NO_KEY = Symbol('no key');

/**
 * The outermost layer of a key-value store: turns keys and values into bytes with the store's serdes and hands
 * them to the bytes layers below (caching, change-logging, then the in-memory or SQLite store).
 */
export class TypedKeyValueStore<K, V> extends WrappingStore<KeyValueBytesStore> implements KeyValueStore<K, V> {
  private readonly openIterators: OpenIterators;
  private context: StateStoreContext | null = null;
  private topic = '';
  private lastKey: unknown = NO_KEY;
  private lastKeyBytes: Buffer | null = null;

  constructor(
    inner: KeyValueBytesStore,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
  ) {
    super(inner);
    this.openIterators = new OpenIterators(inner.name);
  }

  override init(context: StateStoreContext): void {
    this.topic = changelogTopicName(context.applicationId, this.name);
    super.init(context);
    this.context = context;
  }

  get(key: K): V | null {
    const value = this.inner.get(this.keyBytes(key));
    return value === null ? null : this.valueFrom(value);
  }

  put(key: K, value: V | null): void {
    this.inner.put(this.keyBytes(key), this.valueBytes(value));
  }

  putIfAbsent(key: K, value: V | null): V | null {
    const previous = this.inner.putIfAbsent(this.keyBytes(key), this.valueBytes(value));
    return previous === null ? null : this.valueFrom(previous);
  }

  putAll(entries: ReadonlyArray<KeyValue<K, V | null>>): void {
    this.inner.putAll(entries.map(({ key, value }) => ({ key: this.keyBytes(key), value: this.valueBytes(value) })));
  }

  delete(key: K): V | null {
    const previous = this.inner.delete(this.keyBytes(key));
    return previous === null ? null : this.valueFrom(previous);
  }

  range(from?: K | null, to?: K | null): KeyValueIterator<K, V> {
    return this.iterate(this.boundsRange(from, to), false);
  }

  reverseRange(from?: K | null, to?: K | null): KeyValueIterator<K, V> {
    return this.iterate(this.boundsRange(from, to), true);
  }

  all(): KeyValueIterator<K, V> {
    return this.iterate(ALL_KEYS, false);
  }

  reverseAll(): KeyValueIterator<K, V> {
    return this.iterate(ALL_KEYS, true);
  }

  prefixScan<P>(prefix: P, prefixKeySerde: Serde<P>): KeyValueIterator<K, V> {
    let prefixBytes: Buffer | null;
    try {
      prefixBytes = prefixKeySerde.serialize(this.topic, prefix);
    } catch (cause) {
      throw this.serdeError('cannot serialize the prefix', cause);
    }
    if (prefixBytes === null) throw new StateError('STATE_MISUSE', 'prefixScan needs a non-null prefix', { coordinates: this.coordinates() });
    return this.iterate(prefixRange(prefixBytes), false);
  }

  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }

  setFlushListener(listener: FlushListener<K, V>): boolean {
    if (this.inner.setFlushListener === undefined) return false;
    return this.inner.setFlushListener((key, newValue, oldValue, timestampMs) =>
      listener(
        this.keyFrom(key),
        newValue === null ? null : this.valueFrom(newValue),
        oldValue === null ? null : this.valueFrom(oldValue),
        timestampMs,
      ),
    );
  }

  override close(): void {
    this.openIterators.closeAll();
    super.close();
    this.context = null;
  }

  override isOpen(): boolean {
    return this.context !== null && super.isOpen();
  }

  private iterate(range: BytesRange, reverse: boolean): KeyValueIterator<K, V> {
    const bytesIterator = this.inner.iterate(range, reverse);
    const pull = (): KeyValue<K, V> | undefined => {
      const next = bytesIterator.next();
      return next.done ? undefined : { key: this.keyFrom(next.value.key), value: this.valueFrom(next.value.value) };
    };
    return this.openIterators.open(pull, () => bytesIterator.close());
  }

  private boundsRange(from: K | null | undefined, to: K | null | undefined): BytesRange {
    const fromBytes = from === null || from === undefined ? null : this.keyBytes(from);
    const toBytes = to === null || to === undefined ? null : this.keyBytes(to);
    return inclusiveRange(fromBytes, toBytes);
  }

  /**
   * A processor usually writes the key it has just read (`get`, then `put`), so the last key's bytes are kept and
   * reused when the same primitive key comes again (`Object.is`, so `0` and `-0` stay apart). Object keys are always serialized: they may have changed.
   */
  private keyBytes(key: K): Buffer {
    if (this.lastKeyBytes !== null && Object.is(key, this.lastKey)) return this.lastKeyBytes;
    let bytes: Buffer | null;
    try {
      bytes = this.keySerde.serialize(this.topic, key);
    } catch (cause) {
      throw this.serdeError('cannot serialize the key', cause);
    }
    if (bytes === null) throw new StateError('STATE_MISUSE', 'store keys must not be null', { coordinates: this.coordinates() });
    const primitive = typeof key !== 'object' && typeof key !== 'function';
    this.lastKey = primitive ? key : NO_KEY;
    this.lastKeyBytes = primitive ? bytes : null;
    return bytes;
  }

  private valueBytes(value: V | null): Buffer | null {
    if (value === null) return null;
    try {
      return this.valueSerde.serialize(this.topic, value);
    } catch (cause) {
      throw this.serdeError('cannot serialize the value', cause);
    }
  }

  private keyFrom(bytes: Buffer): K {
    try {
      return this.keySerde.deserialize(this.topic, bytes) as K;
    } catch (cause) {
      throw this.serdeError('cannot deserialize a stored key', cause);
    }
  }

  /** Stored values are never tombstones, so a serde that follows the null-for-null rule never returns `null` here. */
  private valueFrom(bytes: Buffer): V {
    try {
      return this.valueSerde.deserialize(this.topic, bytes) as V;
    } catch (cause) {
      throw this.serdeError('cannot deserialize a stored value', cause);
    }
  }

  private serdeError(message: string, cause: unknown): SerdeError {
    return new SerdeError(`${message}: ${describeError(cause)}`, { cause, coordinates: this.coordinates() });
  }

  private coordinates(): { store: string; taskId?: string } {
    return this.context === null ? { store: this.name } : { store: this.name, taskId: this.context.taskId };
  }
}
