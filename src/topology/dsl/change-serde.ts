import { SerdeError } from '../../core/errors.js';
import type { Headers } from '../../core/headers.js';
import type { Serde } from '../../core/serde.js';
import type { Change } from '../../core/change.js';

/** The last byte of a serialized change says which values it holds (Kafka Streams' `ChangedSerializer` flags). */
const OLD_ONLY = 0;
const NEW_ONLY = 1;
const NEW_AND_OLD = 2;
const OLD_ONLY_WITH_LATEST_FLAG = 3;
const NEW_ONLY_WITH_LATEST_FLAG = 4;
const NEW_AND_OLD_WITH_LATEST_FLAG = 5;

/**
 * Serializes the `Change` records a grouped KTable sends through its repartition topic, in Kafka Streams' format
 * (3.4+), so either side of the topic may be a Java application:
 * `{old}{0}`, `{new}{1}`, or `{varint new length}{new}{old}{2}`. Reading also accepts the versioned-table forms
 * (flags 3 to 5) that carry an extra "is latest" byte before the flag.
 */
export function changeSerde<V>(inner: Serde<V>): Serde<Change<V>> {
  return {
    serialize: (topic, change, headers) => (change === null ? null : serializeChange(inner, topic, change, headers)),
    deserialize: (topic, data, headers) => (data === null ? null : deserializeChange(inner, topic, data, headers)),
  };
}

function serializeChange<V>(inner: Serde<V>, topic: string, change: Change<V>, headers: Headers | undefined): Buffer {
  const newBytes = change.newValue === null ? null : requireBytes(inner.serialize(topic, change.newValue, headers), 'new');
  const oldBytes = change.oldValue === null ? null : requireBytes(inner.serialize(topic, change.oldValue, headers), 'old');
  if (newBytes !== null && oldBytes !== null) {
    return Buffer.concat([encodeVarint(newBytes.length), newBytes, oldBytes, Buffer.of(NEW_AND_OLD)]);
  }
  if (newBytes !== null) return Buffer.concat([newBytes, Buffer.of(NEW_ONLY)]);
  if (oldBytes !== null) return Buffer.concat([oldBytes, Buffer.of(OLD_ONLY)]);
  throw new SerdeError('a change with neither a new nor an old value cannot be serialized');
}

function deserializeChange<V>(inner: Serde<V>, topic: string, data: Buffer, headers: Headers | undefined): Change<V> {
  if (data.length === 0) throw new SerdeError('a serialized change needs at least its flag byte');
  const flag = data[data.length - 1]!;
  const read = (bytes: Buffer | null): V | null => (bytes === null ? null : inner.deserialize(topic, bytes, headers));
  const body = data.subarray(0, data.length - (flag >= OLD_ONLY_WITH_LATEST_FLAG ? 2 : 1));
  switch (flag) {
    case OLD_ONLY:
    case OLD_ONLY_WITH_LATEST_FLAG:
      return { newValue: null, oldValue: read(body) };
    case NEW_ONLY:
    case NEW_ONLY_WITH_LATEST_FLAG:
      return { newValue: read(body), oldValue: null };
    case NEW_AND_OLD:
    case NEW_AND_OLD_WITH_LATEST_FLAG: {
      const { value: newLength, bytesRead } = decodeVarint(body);
      const newEnd = bytesRead + newLength;
      if (newEnd > body.length) throw new SerdeError('a serialized change is shorter than its new value length');
      return { newValue: read(body.subarray(bytesRead, newEnd)), oldValue: read(body.subarray(newEnd)) };
    }
    default:
      throw new SerdeError(`unknown change encoding flag ${flag}`);
  }
}

function requireBytes(bytes: Buffer | null, side: 'new' | 'old'): Buffer {
  if (bytes === null) throw new SerdeError(`the ${side} value of a change serialized to null`);
  return bytes;
}

/** Kafka's `ByteUtils.writeVarint`: zig-zag, then 7 bits per byte, low groups first. */
function encodeVarint(value: number): Buffer {
  let zigZag = ((value << 1) ^ (value >> 31)) >>> 0;
  const bytes: number[] = [];
  while (zigZag >= 0x80) {
    bytes.push((zigZag & 0x7f) | 0x80);
    zigZag >>>= 7;
  }
  bytes.push(zigZag);
  return Buffer.from(bytes);
}

function decodeVarint(bytes: Buffer): { value: number; bytesRead: number } {
  let raw = 0;
  for (let i = 0; i < 5 && i < bytes.length; i++) {
    const byte = bytes[i]!;
    raw |= (byte & 0x7f) << (7 * i);
    if ((byte & 0x80) === 0) return { value: (raw >>> 1) ^ -(raw & 1), bytesRead: i + 1 };
  }
  throw new SerdeError('a serialized change has a malformed varint length');
}
