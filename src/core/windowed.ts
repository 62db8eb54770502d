import { readInt64BE, writeInt64BE } from './int64.js';

/** A window's bounds in epoch milliseconds. Time windows are `[start, end)`; session and sliding windows `[start, end]`. */
export interface Window {
  readonly start: number;
  readonly end: number;
}

/** A key of a windowed aggregation together with its window, as in Kafka Streams. */
export interface Windowed<K> {
  readonly key: K;
  readonly window: Window;
}

const TIMESTAMP_SIZE = 8;

/**
 * Kafka Streams' time-windowed key layout: the key's bytes followed by the window start as an 8-byte big-endian
 * long. The end is not stored; readers derive it from the window size. Window stores use it as their changelog key.
 */
export function timeWindowedKeyBytes(keyBytes: Buffer, windowStart: number): Buffer {
  const bytes = Buffer.allocUnsafe(keyBytes.length + TIMESTAMP_SIZE);
  keyBytes.copy(bytes, 0);
  writeInt64BE(bytes, windowStart, keyBytes.length);
  return bytes;
}

/** Splits `timeWindowedKeyBytes` output back into the key's bytes and the window start. */
export function splitTimeWindowedKeyBytes(bytes: Buffer): { keyBytes: Buffer; windowStart: number } {
  if (bytes.length < TIMESTAMP_SIZE) throw new RangeError(`a time-windowed key needs at least 8 bytes, got ${bytes.length}`);
  const keyLength = bytes.length - TIMESTAMP_SIZE;
  return { keyBytes: bytes.subarray(0, keyLength), windowStart: readInt64BE(bytes, keyLength) };
}

/** Kafka Streams' session-windowed key layout: the key's bytes, then the window end, then its start (8-byte longs). */
export function sessionWindowedKeyBytes(keyBytes: Buffer, window: Window): Buffer {
  const bytes = Buffer.allocUnsafe(keyBytes.length + 2 * TIMESTAMP_SIZE);
  keyBytes.copy(bytes, 0);
  writeInt64BE(bytes, window.end, keyBytes.length);
  writeInt64BE(bytes, window.start, keyBytes.length + TIMESTAMP_SIZE);
  return bytes;
}

/** Splits `sessionWindowedKeyBytes` output back into the key's bytes and the window. */
export function splitSessionWindowedKeyBytes(bytes: Buffer): { keyBytes: Buffer; window: Window } {
  if (bytes.length < 2 * TIMESTAMP_SIZE) {
    throw new RangeError(`a session-windowed key needs at least 16 bytes, got ${bytes.length}`);
  }
  const keyLength = bytes.length - 2 * TIMESTAMP_SIZE;
  const end = readInt64BE(bytes, keyLength);
  const start = readInt64BE(bytes, keyLength + TIMESTAMP_SIZE);
  return { keyBytes: bytes.subarray(0, keyLength), window: { start, end } };
}
