import { describeError, SerdeError, StateError } from '../core/errors.js';
import { Headers, type Header } from '../core/headers.js';
import { readInt64BE, writeInt64BE } from '../core/int64.js';
import { Record } from '../core/record.js';
import type { Serde } from '../core/serde.js';
import { AbstractStoreBuilder, type StoreBuilderOptions } from './abstract-store-builder.js';
import type { ChangelogRecord } from './changelog.js';
import { changelogTopicName } from './changelog.js';
import { ChangeLoggingKeyValueBytesStore } from './change-logging-key-value-bytes-store.js';
import type { KeyValueBytesStore, KeyValueBytesStoreSupplier } from './key-value-bytes-store.js';
import type { StateStoreContext } from './state-store.js';
import { WrappingStore } from './wrapping-store.js';

/** The entry holding the buffer's observed stream time and sequence number; the empty key sorts before every record. */
const META_KEY = Buffer.alloc(0);
const TIME_BYTES = 8;
const SEQ_BYTES = 4;
const SIGN_FLIP = 2n ** 63n;

/**
 * The stream-table join's grace buffer (Kafka Streams' `RocksDBTimeOrderedKeyValueBuffer`, KIP-923): stream records
 * held until stream time passes their timestamp plus the grace period, then handed back oldest first.
 *
 * Entries are keyed `[timestamp][key bytes][sequence]`, so the bytes store's order is Kafka's eviction order
 * (timestamp, then key bytes, then arrival); the timestamp is stored with its sign bit flipped so that byte order is
 * numeric order. The value holds the record's timestamp, headers and value bytes. The buffer's stream time is the
 * largest timestamp it accepted, as in Kafka Streams, where records joined at once or dropped do not move it; it is
 * kept, with the sequence, in an entry of its own, so it commits, logs and restores with the records.
 */
export class TimeOrderedBuffer<K, V> extends WrappingStore<KeyValueBytesStore> {
  private topic = '';
  private meta: { observedStreamTime: number; seq: number } | null = null;

  constructor(
    inner: KeyValueBytesStore,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
    readonly gracePeriodMs: number,
  ) {
    super(inner);
  }

  override init(context: StateStoreContext): void {
    this.topic = changelogTopicName(context.applicationId, this.name);
    super.init(context);
    this.meta = null;
  }

  override restoreBatch(records: ReadonlyArray<ChangelogRecord>): void {
    super.restoreBatch(records);
    this.meta = null;
  }

  /** The largest timestamp buffered so far, or `-Infinity`. */
  observedStreamTime(): number {
    return this.loadMeta().observedStreamTime;
  }

  /**
   * Buffers `record`, unless it is older than the buffer's stream time minus the grace period: then it returns
   * `false` and the caller joins it at once.
   */
  put(record: Record<K, V>): boolean {
    const meta = this.loadMeta();
    if (record.timestamp < meta.observedStreamTime - this.gracePeriodMs) return false;
    const seq = (meta.seq + 1) & 0x7fffffff;
    this.meta = { observedStreamTime: Math.max(meta.observedStreamTime, record.timestamp), seq };
    this.inner.put(entryKey(record.timestamp, this.serializeKey(record.key), seq), this.encodeValue(record));
    this.inner.put(META_KEY, encodeMeta(this.meta));
    return true;
  }

  /** Removes and hands over every record at or before stream time minus the grace period, in buffer order. */
  evictExpired(onEvicted: (record: Record<K, V>) => void): void {
    const bound = this.loadMeta().observedStreamTime - this.gracePeriodMs;
    if (!Number.isFinite(bound)) return;
    const upper = timeBytes(bound + 1);
    const evicted: Array<{ key: Buffer; value: Buffer }> = [];
    const iterator = this.inner.iterate({ lower: { key: META_KEY, inclusive: false }, upper: { key: upper, inclusive: false } }, false);
    try {
      for (let next = iterator.next(); !next.done; next = iterator.next()) evicted.push(next.value);
    } finally {
      iterator.close();
    }
    for (const { key, value } of evicted) {
      this.inner.delete(key);
      onEvicted(this.decode(key, value));
    }
  }

  private loadMeta(): { observedStreamTime: number; seq: number } {
    if (this.meta === null) {
      const stored = this.inner.get(META_KEY);
      this.meta = stored === null ? { observedStreamTime: Number.NEGATIVE_INFINITY, seq: 0 } : decodeMeta(stored);
    }
    return this.meta;
  }

  private serializeKey(key: K): Buffer {
    let bytes: Buffer | null;
    try {
      bytes = this.keySerde.serialize(this.topic, key);
    } catch (cause) {
      throw this.serdeError('cannot serialize the key', cause);
    }
    if (bytes === null) throw new StateError('STATE_MISUSE', 'buffered records need a key', { coordinates: { store: this.name } });
    return bytes;
  }

  private encodeValue(record: Record<K, V>): Buffer {
    let value: Buffer | null;
    try {
      value = this.valueSerde.serialize(this.topic, record.value, record.headers);
    } catch (cause) {
      throw this.serdeError('cannot serialize the value', cause);
    }
    if (value === null) throw new StateError('STATE_MISUSE', 'buffered records need a value', { coordinates: { store: this.name } });
    const headers = record.headers.toArray().map(({ key, value: headerValue }) => ({ key: Buffer.from(key, 'utf8'), value: headerValue }));
    const parts: Buffer[] = [Buffer.allocUnsafe(TIME_BYTES + 4)];
    writeInt64BE(parts[0]!, record.timestamp);
    parts[0]!.writeInt32BE(headers.length, TIME_BYTES);
    for (const header of headers) parts.push(lengthPrefixed(header.key), lengthPrefixed(header.value));
    parts.push(value);
    return Buffer.concat(parts);
  }

  private decode(key: Buffer, bytes: Buffer): Record<K, V> {
    const keyBytes = key.subarray(TIME_BYTES, key.length - SEQ_BYTES);
    const timestamp = readInt64BE(bytes, 0);
    const headerCount = bytes.readInt32BE(TIME_BYTES);
    const headers: Header[] = [];
    let offset = TIME_BYTES + 4;
    for (let i = 0; i < headerCount; i++) {
      const headerKey = readLengthPrefixed(bytes, offset);
      const headerValue = readLengthPrefixed(bytes, headerKey.end);
      headers.push({ key: (headerKey.value ?? Buffer.alloc(0)).toString('utf8'), value: headerValue.value });
      offset = headerValue.end;
    }
    const headerSet = Headers.of(headers);
    try {
      const recordKey = this.keySerde.deserialize(this.topic, keyBytes) as K;
      const value = this.valueSerde.deserialize(this.topic, bytes.subarray(offset), headerSet) as V;
      return new Record(recordKey, value, timestamp, headerSet);
    } catch (cause) {
      throw this.serdeError('cannot deserialize a buffered record', cause);
    }
  }

  private serdeError(what: string, cause: unknown): SerdeError {
    return new SerdeError(`${what}: ${describeError(cause)}`, { coordinates: { store: this.name }, cause });
  }
}

/** `[timestamp, sign bit flipped][key bytes][sequence]`: byte order is (timestamp, key bytes, sequence) order. */
function entryKey(timestamp: number, keyBytes: Buffer, seq: number): Buffer {
  const key = Buffer.allocUnsafe(TIME_BYTES + keyBytes.length + SEQ_BYTES);
  timeBytes(timestamp).copy(key, 0);
  keyBytes.copy(key, TIME_BYTES);
  key.writeUInt32BE(seq, TIME_BYTES + keyBytes.length);
  return key;
}

function timeBytes(timestamp: number): Buffer {
  const bytes = Buffer.allocUnsafe(TIME_BYTES);
  bytes.writeBigUInt64BE(BigInt(timestamp) + SIGN_FLIP);
  return bytes;
}

function encodeMeta(meta: { observedStreamTime: number; seq: number }): Buffer {
  const bytes = Buffer.allocUnsafe(TIME_BYTES + SEQ_BYTES);
  writeInt64BE(bytes, meta.observedStreamTime);
  bytes.writeUInt32BE(meta.seq, TIME_BYTES);
  return bytes;
}

function decodeMeta(bytes: Buffer): { observedStreamTime: number; seq: number } {
  return { observedStreamTime: readInt64BE(bytes, 0), seq: bytes.readUInt32BE(TIME_BYTES) };
}

function lengthPrefixed(value: Buffer | null): Buffer {
  if (value === null) {
    const bytes = Buffer.allocUnsafe(4);
    bytes.writeInt32BE(-1);
    return bytes;
  }
  const bytes = Buffer.allocUnsafe(4 + value.length);
  bytes.writeInt32BE(value.length);
  value.copy(bytes, 4);
  return bytes;
}

function readLengthPrefixed(bytes: Buffer, offset: number): { value: Buffer | null; end: number } {
  const length = bytes.readInt32BE(offset);
  if (length < 0) return { value: null, end: offset + 4 };
  return { value: bytes.subarray(offset + 4, offset + 4 + length), end: offset + 4 + length };
}

/**
 * Builds a `TimeOrderedBuffer` per task over a key-value bytes store (SQLite for the join's `<name>-Buffer`),
 * change-logged unless turned off. There is no cache: the buffer already holds records back.
 */
export class TimeOrderedBufferStoreBuilder<K, V> extends AbstractStoreBuilder<TimeOrderedBuffer<K, V>, KeyValueBytesStoreSupplier> {
  constructor(
    supplier: KeyValueBytesStoreSupplier,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
    private readonly gracePeriodMs: number,
    options: StoreBuilderOptions = { cachingEnabled: false, loggingEnabled: true, logConfig: {} },
  ) {
    super(supplier, options);
  }

  build(): TimeOrderedBuffer<K, V> {
    let store: KeyValueBytesStore = this.supplier.get();
    if (this.options.loggingEnabled) store = new ChangeLoggingKeyValueBytesStore(store);
    return new TimeOrderedBuffer(store, this.keySerde, this.valueSerde, this.gracePeriodMs);
  }

  protected withOptions(options: StoreBuilderOptions): this {
    return new TimeOrderedBufferStoreBuilder(this.supplier, this.keySerde, this.valueSerde, this.gracePeriodMs, { ...options, cachingEnabled: false }) as this;
  }
}
