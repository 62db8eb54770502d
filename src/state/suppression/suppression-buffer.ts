import type { Change } from '../../core/change.js';
import { describeError, SerdeError, StateError, type ErrorCoordinates } from '../../core/errors.js';
import type { Headers } from '../../core/headers.js';
import type { Record } from '../../core/record.js';
import type { Serde } from '../../core/serde.js';
import { ALL_KEYS } from '../bytes-range.js';
import { changelogTopicName, type ChangelogRecord } from '../changelog.js';
import type { KeyValueBytesStore } from '../key-value-bytes-store.js';
import { byteString } from '../sorted-key-index.js';
import type { StateStore, StateStoreContext } from '../state-store.js';
import { decodeEntry, encodeEntry, readBufferTime } from './buffered-entry.js';
import { TimeOrderedKeyIndex } from './time-ordered-key-index.js';

/** A buffered update leaving the buffer: the key, its change since it was buffered, and its latest record's time and headers. */
export interface Eviction<K, V> {
  readonly key: K;
  readonly change: Change<V>;
  readonly timestamp: number;
  readonly headers: Headers;
}

/** What one `put` replaced, so that an update the buffer cannot hold can be taken back (`undo`). */
export interface BufferedWrite {
  readonly keyBytes: Buffer;
  /** The key's stored entry before the put; `null` when the key was not buffered. */
  readonly previous: Buffer | null;
}

/**
 * The store behind `KTable.suppress`: at most one entry per key, evicted oldest buffer time first (then by key
 * bytes), as Kafka Streams' `InMemoryTimeOrderedKeyValueChangeBuffer`.
 *
 * Entries live in a key-value bytes store keyed by the serialized key (in memory or in the task's SQLite database,
 * change-logged unless disabled), so eviction is a delete and the changelog compacts to the buffered keys. The time
 * order and the size totals are an in-memory index over that store, rebuilt from it in `init` (a persistent
 * store reopened after a restart) and kept in step with `restoreBatch` (changelog replay after a crash or a
 * migration): the buffer comes back with everything it held at the last commit.
 */
export class SuppressionBuffer<K, V> implements StateStore {
  private index = new TimeOrderedKeyIndex();
  private context: StateStoreContext | null = null;
  private topic = '';

  constructor(
    private readonly inner: KeyValueBytesStore,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
  ) {}

  get name(): string {
    return this.inner.name;
  }

  get persistent(): boolean {
    return this.inner.persistent;
  }

  /** Keys buffered. */
  get numRecords(): number {
    return this.index.count;
  }

  /** Bytes buffered, as `BufferConfig.maxBytes` counts them. */
  get bufferSize(): number {
    return this.index.totalBytes;
  }

  /** The smallest buffer time held, `Infinity` when empty. */
  get minTimestamp(): number {
    return this.index.oldest()?.bufferTime ?? Infinity;
  }

  init(context: StateStoreContext): void {
    this.topic = changelogTopicName(context.applicationId, this.name);
    this.inner.init(context);
    this.context = context;
    this.index = new TimeOrderedKeyIndex();
    for (const { key, value } of this.inner.iterate(ALL_KEYS, false)) this.indexEntry(Buffer.from(key), value);
  }

  /**
   * Buffers `record`'s change. A key already buffered keeps its place (buffer time) and its prior value; its new
   * value, timestamp and headers become the record's. A new key enters at `bufferTime`, with the change's old value
   * as its prior value.
   */
  put(bufferTime: number, record: Record<K, Change<V>>): BufferedWrite {
    const keyBytes = this.keyBytes(record.key);
    const previous = this.index.get(byteString(keyBytes)) === undefined ? null : this.inner.get(keyBytes);
    const earlier = previous === null ? null : decodeEntry(previous, this.name);
    const entry = encodeEntry({
      bufferTime: earlier?.bufferTime ?? bufferTime,
      timestamp: record.timestamp,
      headers: record.headers,
      priorValue: earlier === null ? this.valueBytes(record.value.oldValue) : earlier.priorValue,
      newValue: this.valueBytes(record.value.newValue),
    });
    this.write(keyBytes, entry);
    return { keyBytes, previous };
  }

  /** Restores what `write`'s put replaced, if its key is still buffered (an evicted key has been forwarded). */
  undo(write: BufferedWrite): void {
    if (this.index.get(byteString(write.keyBytes)) === undefined) return;
    if (write.previous === null) this.remove(write.keyBytes);
    else this.write(write.keyBytes, write.previous);
  }

  /**
   * Hands the oldest entry to `emit`, then removes it, for as long as the buffer holds entries and `predicate`
   * holds. An entry whose `emit` throws stays buffered.
   */
  evictWhile(predicate: () => boolean, emit: (eviction: Eviction<K, V>) => void): void {
    for (let oldest = this.index.oldest(); oldest !== undefined && predicate(); oldest = this.index.oldest()) {
      const stored = this.inner.get(oldest.keyBytes);
      if (stored === null) throw new StateError('STATE_STORAGE_FAILED', 'a buffered key is missing from its store', { coordinates: this.coordinates() });
      const entry = decodeEntry(stored, this.name);
      const change = { newValue: this.valueFrom(entry.newValue), oldValue: this.valueFrom(entry.priorValue) };
      emit({ key: this.keyFrom(oldest.keyBytes), change, timestamp: entry.timestamp, headers: entry.headers });
      this.remove(oldest.keyBytes);
    }
  }

  /** Replays changelog records into the store below, and into the index. */
  restoreBatch(records: ReadonlyArray<ChangelogRecord>): void {
    this.inner.restoreBatch(records);
    for (const { key, value } of records) {
      if (value === null) this.index.remove(byteString(key));
      else this.indexEntry(Buffer.from(key), value);
    }
  }

  flush(): void {
    this.inner.flush();
  }

  close(): void {
    this.inner.close();
    this.index = new TimeOrderedKeyIndex();
    this.context = null;
  }

  isOpen(): boolean {
    return this.context !== null && this.inner.isOpen();
  }

  private write(keyBytes: Buffer, entry: Buffer): void {
    this.inner.put(keyBytes, entry);
    this.indexEntry(keyBytes, entry);
  }

  private remove(keyBytes: Buffer): void {
    this.inner.delete(keyBytes);
    this.index.remove(byteString(keyBytes));
  }

  private indexEntry(keyBytes: Buffer, entry: Buffer): void {
    const bufferTime = readBufferTime(entry, this.name);
    this.index.set({ keyId: byteString(keyBytes), keyBytes, bufferTime, size: keyBytes.length + entry.length });
  }

  private keyBytes(key: K): Buffer {
    const bytes = this.serdeCall('cannot serialize the key', () => this.keySerde.serialize(this.topic, key));
    if (bytes === null) throw new StateError('STATE_MISUSE', 'suppression buffer keys must not be null', { coordinates: this.coordinates() });
    return bytes;
  }

  private valueBytes(value: V | null): Buffer | null {
    return value === null ? null : this.serdeCall('cannot serialize a value', () => this.valueSerde.serialize(this.topic, value));
  }

  private keyFrom(bytes: Buffer): K {
    return this.serdeCall('cannot deserialize a buffered key', () => this.keySerde.deserialize(this.topic, bytes) as K);
  }

  private valueFrom(bytes: Buffer | null): V | null {
    return bytes === null ? null : this.serdeCall('cannot deserialize a buffered value', () => this.valueSerde.deserialize(this.topic, bytes));
  }

  private serdeCall<T>(message: string, call: () => T): T {
    try {
      return call();
    } catch (cause) {
      throw new SerdeError(`${message}: ${describeError(cause)}`, { cause, coordinates: this.coordinates() });
    }
  }

  private coordinates(): ErrorCoordinates {
    return this.context === null ? { store: this.name } : { store: this.name, taskId: this.context.taskId };
  }
}
