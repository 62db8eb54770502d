import { StateError } from '../../core/errors.js';
import { Headers, type Header } from '../../core/headers.js';
import { readInt64BE, writeInt64BE } from '../../core/int64.js';

/** What the suppression buffer keeps per key, values serialized. */
export interface BufferedEntry {
  /** Where the key sits in the buffer's time order: set by its first buffered update, never moved by later ones. */
  readonly bufferTime: number;
  /** Timestamp of the latest update, which the emitted record carries. */
  readonly timestamp: number;
  /** Headers of the latest update, which the emitted record carries. */
  readonly headers: Headers;
  /** The key's value before its first buffered update: the old value of the emitted change. */
  readonly priorValue: Buffer | null;
  readonly newValue: Buffer | null;
}

const FORMAT_VERSION = 1;
const NULL_LENGTH = -1;
const BUFFER_TIME_OFFSET = 1;
const TIMESTAMP_OFFSET = 9;
const VALUES_OFFSET = 17;

/**
 * Bytes of an entry without its values and headers: version (1), buffer time (8), timestamp (8) and the length
 * prefixes of the prior value, the new value and the header count (4 each). Counted towards `maxBytes`.
 */
const ENTRY_FIXED_OVERHEAD = VALUES_OFFSET + 3 * 4;

/**
 * The stored (and changelogged) form of an entry, our own layout (Kafka Streams' suppression changelog also
 * replays topic, partition and offset, which a forwarded record here cannot carry):
 * version, buffer time, timestamp, length-prefixed prior and new values (-1 = none), then the headers as a count
 * followed by length-prefixed UTF-8 keys and values.
 */
export function encodeEntry(entry: BufferedEntry): Buffer {
  const headers = entry.headers.toArray().map(({ key, value }) => ({ key: Buffer.from(key, 'utf8'), value }));
  let size = ENTRY_FIXED_OVERHEAD + (entry.priorValue?.length ?? 0) + (entry.newValue?.length ?? 0);
  for (const { key, value } of headers) size += 8 + key.length + (value?.length ?? 0);
  const bytes = Buffer.allocUnsafe(size);
  bytes.writeUInt8(FORMAT_VERSION, 0);
  writeInt64BE(bytes, entry.bufferTime, BUFFER_TIME_OFFSET);
  writeInt64BE(bytes, entry.timestamp, TIMESTAMP_OFFSET);
  let offset = writeNullable(bytes, VALUES_OFFSET, entry.priorValue);
  offset = writeNullable(bytes, offset, entry.newValue);
  offset = bytes.writeInt32BE(headers.length, offset);
  for (const { key, value } of headers) offset = writeNullable(bytes, writeNullable(bytes, offset, key), value);
  return bytes;
}

export function decodeEntry(bytes: Buffer, storeName: string): BufferedEntry {
  const bufferTime = readBufferTime(bytes, storeName);
  try {
    const timestamp = readInt64BE(bytes, TIMESTAMP_OFFSET);
    const prior = readNullable(bytes, VALUES_OFFSET);
    const next = readNullable(bytes, prior.end);
    const headerCount = bytes.readInt32BE(next.end);
    const headers: Header[] = [];
    let offset = next.end + 4;
    for (let i = 0; i < headerCount; i++) {
      const key = readNullable(bytes, offset);
      const value = readNullable(bytes, key.end);
      headers.push({ key: (key.value ?? Buffer.alloc(0)).toString('utf8'), value: value.value });
      offset = value.end;
    }
    return { bufferTime, timestamp, headers: Headers.of(headers), priorValue: prior.value, newValue: next.value };
  } catch (cause) {
    throw new StateError('STATE_STORAGE_FAILED', 'a suppression buffer entry is truncated', { cause, coordinates: { store: storeName } });
  }
}

/** Only the buffer time, which is all that rebuilding the time order needs. */
export function readBufferTime(bytes: Buffer, storeName: string): number {
  if (bytes.length < ENTRY_FIXED_OVERHEAD || bytes[0] !== FORMAT_VERSION) {
    throw new StateError('STATE_STORAGE_FAILED', `not a suppression buffer entry of format ${FORMAT_VERSION} (${bytes.length} bytes)`, {
      coordinates: { store: storeName },
    });
  }
  return readInt64BE(bytes, BUFFER_TIME_OFFSET);
}

function writeNullable(target: Buffer, offset: number, value: Buffer | null): number {
  if (value === null) return target.writeInt32BE(NULL_LENGTH, offset);
  const next = target.writeInt32BE(value.length, offset);
  return next + value.copy(target, next);
}

function readNullable(source: Buffer, offset: number): { value: Buffer | null; end: number } {
  const length = source.readInt32BE(offset);
  if (length === NULL_LENGTH) return { value: null, end: offset + 4 };
  const start = offset + 4;
  if (length < 0 || start + length > source.length) throw new RangeError(`length ${length} at ${offset} runs past the entry`);
  return { value: source.subarray(start, start + length), end: start + length };
}
