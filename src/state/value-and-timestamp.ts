import { SerdeError } from '../core/errors.js';
import type { Headers } from '../core/headers.js';
import { readInt64BE, writeInt64BE } from '../core/int64.js';
import type { Serde } from '../core/serde.js';
import { fixedWidthCodecOf, type FixedWidthCodec } from '../core/serdes.js';
import { PullKeyValueIterator } from './key-value-iterator.js';
import type { KeyValueIterator } from './key-value-iterator.js';

/** Timestamped store values start with the timestamp, as 8 bytes big-endian. */
export const TIMESTAMP_BYTES = 8;

/** A value with the timestamp of the record that wrote it: what DSL stores (KTables, aggregations) keep. */
export interface ValueAndTimestamp<V> {
  readonly value: V;
  readonly timestamp: number;
}

export const ValueAndTimestamp = {
  make<V>(value: V, timestamp: number): ValueAndTimestamp<V> {
    return { value, timestamp };
  },
  /** The value, or `null` for a missing entry; handy on the result of `get`. */
  getValueOrNull<V>(valueAndTimestamp: ValueAndTimestamp<V> | null): V | null {
    return valueAndTimestamp === null ? null : valueAndTimestamp.value;
  },
} as const;

/**
 * `iterator` showing plain values instead of `ValueAndTimestamp`s, as the read-only views of timestamped stores
 * hand them out. Not tracked by the view: the store tracks `iterator`, and this one fails with it once the store
 * closes it.
 */
export function withPlainValues<K, V>(storeName: string, iterator: KeyValueIterator<K, { readonly value: V }>): KeyValueIterator<K, V> {
  return new PullKeyValueIterator(
    storeName,
    () => {
      const next = iterator.next();
      return next.done ? undefined : { key: next.value.key, value: next.value.value.value };
    },
    () => iterator.close(),
  );
}

/**
 * Serializes a `ValueAndTimestamp` as Kafka Streams' timestamped stores do: the timestamp as 8 bytes big-endian,
 * then the value's own bytes. A `null` value (a tombstone) serializes to `null`, without a timestamp.
 */
export function valueAndTimestampSerde<V>(valueSerde: Serde<V>): Serde<ValueAndTimestamp<V>> {
  const codec = fixedWidthCodecOf(valueSerde);
  return {
    serialize(topic: string, data: ValueAndTimestamp<V> | null, headers?: Headers): Buffer | null {
      if (data === null) return null;
      requireIntegerTimestamp(data.timestamp);
      if (codec !== undefined && data.value !== null && data.value !== undefined) return writeInPlace(codec, data);
      const valueBytes = valueSerde.serialize(topic, data.value, headers);
      return valueBytes === null ? null : timestampedBytes(valueBytes, data.timestamp);
    },
    deserialize(topic: string, data: Buffer | null, headers?: Headers): ValueAndTimestamp<V> | null {
      if (data === null) return null;
      if (codec !== undefined && data.length === TIMESTAMP_BYTES + codec.width) {
        return { value: codec.read(data, TIMESTAMP_BYTES), timestamp: readInt64BE(data) };
      }
      if (data.length < TIMESTAMP_BYTES) {
        throw new SerdeError(`timestamped value needs at least ${TIMESTAMP_BYTES} bytes, got ${data.length}`);
      }
      const value = valueSerde.deserialize(topic, data.subarray(TIMESTAMP_BYTES), headers);
      return value === null ? null : { value, timestamp: readInt64BE(data) };
    },
  };
}

function requireIntegerTimestamp(timestamp: number): void {
  if (!Number.isSafeInteger(timestamp)) throw new SerdeError(`timestamped value needs an integer timestamp, got ${timestamp}`);
}

/** A fixed-width value goes straight behind the timestamp, saving the value's own buffer and a copy. */
function writeInPlace<V>(codec: FixedWidthCodec<V>, data: ValueAndTimestamp<V>): Buffer {
  const bytes = Buffer.allocUnsafe(TIMESTAMP_BYTES + codec.width);
  codec.write(bytes, TIMESTAMP_BYTES, data.value);
  writeInt64BE(bytes, data.timestamp);
  return bytes;
}

/** The stored form of a timestamped value: the timestamp as 8 bytes big-endian, then the value's bytes. */
export function timestampedBytes(valueBytes: Buffer, timestampMs: number): Buffer {
  const bytes = Buffer.allocUnsafe(TIMESTAMP_BYTES + valueBytes.length);
  writeInt64BE(bytes, timestampMs);
  valueBytes.copy(bytes, TIMESTAMP_BYTES);
  return bytes;
}
