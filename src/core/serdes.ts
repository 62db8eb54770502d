import { SerdeError } from './errors.js';
import { isInt64, readInt64BE, writeInt64BE } from './int64.js';
import type { Serde } from './serde.js';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Builds a serde whose `null` handling is shared: `null` maps to `null` both ways, as Kafka's serdes do. */
function nullSafeSerde<T>(toBytes: (data: T) => Buffer, fromBytes: (data: Buffer) => T): Serde<T> {
  return {
    serialize: (_topic, data) => (data === null || data === undefined ? null : toBytes(data)),
    deserialize: (_topic, data) => (data === null || data === undefined ? null : fromBytes(data)),
  };
}

function requireLength(serdeName: string, data: Buffer, expected: number): void {
  if (data.length !== expected) {
    throw new SerdeError(`${serdeName} deserializer expects ${expected} bytes, got ${data.length}`);
  }
}

/**
 * Up to this length an ASCII string is encoded by a plain loop: for short strings the native UTF-8 encoder costs
 * more in call overhead than the loop does in all (past about 30 characters the native one wins).
 */
const SHORT_STRING_LENGTH = 24;

/** `Buffer.from(text, 'utf8')`, faster for the short ASCII strings keys and small values usually are. */
function utf8Bytes(text: string): Buffer {
  const length = text.length;
  if (length > SHORT_STRING_LENGTH) return Buffer.from(text, 'utf8');
  const bytes = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return Buffer.from(text, 'utf8');
    bytes[i] = code;
  }
  return bytes;
}

/** Texts up to this many bytes are decoded by `latin1Text`'s one-call cases (and `utf8Text`'s, when ASCII). */
const SHORT_TEXT_BYTES = 12;

/**
 * `bytes.toString('latin1')`: one character per byte, each byte its character code. Short texts are built by one
 * `String.fromCharCode` call with each byte an argument, which V8 does about twice as fast as a call into the
 * native decoder; keys and small values are usually this short.
 */
export function latin1Text(bytes: Buffer): string {
  const b = bytes; // a short name: the cases below spell out every byte
  switch (b.length) {
    case 0:
      return '';
    case 1:
      return String.fromCharCode(b[0]!);
    case 2:
      return String.fromCharCode(b[0]!, b[1]!);
    case 3:
      return String.fromCharCode(b[0]!, b[1]!, b[2]!);
    case 4:
      return String.fromCharCode(b[0]!, b[1]!, b[2]!, b[3]!);
    case 5:
      return String.fromCharCode(b[0]!, b[1]!, b[2]!, b[3]!, b[4]!);
    case 6:
      return String.fromCharCode(b[0]!, b[1]!, b[2]!, b[3]!, b[4]!, b[5]!);
    case 7:
      return String.fromCharCode(b[0]!, b[1]!, b[2]!, b[3]!, b[4]!, b[5]!, b[6]!);
    case 8:
      return String.fromCharCode(b[0]!, b[1]!, b[2]!, b[3]!, b[4]!, b[5]!, b[6]!, b[7]!);
    case 9:
      return String.fromCharCode(b[0]!, b[1]!, b[2]!, b[3]!, b[4]!, b[5]!, b[6]!, b[7]!, b[8]!);
    case 10:
      return String.fromCharCode(b[0]!, b[1]!, b[2]!, b[3]!, b[4]!, b[5]!, b[6]!, b[7]!, b[8]!, b[9]!);
    case 11:
      return String.fromCharCode(b[0]!, b[1]!, b[2]!, b[3]!, b[4]!, b[5]!, b[6]!, b[7]!, b[8]!, b[9]!, b[10]!);
    case 12:
      return String.fromCharCode(b[0]!, b[1]!, b[2]!, b[3]!, b[4]!, b[5]!, b[6]!, b[7]!, b[8]!, b[9]!, b[10]!, b[11]!);
    default:
      return b.toString('latin1');
  }
}

/** `bytes.toString('utf8')`, faster for the short ASCII strings keys and small values usually are. */
function utf8Text(bytes: Buffer): string {
  const length = bytes.length;
  if (length > SHORT_TEXT_BYTES) return bytes.toString('utf8');
  for (let i = 0; i < length; i++) if (bytes[i]! > 0x7f) return bytes.toString('utf8');
  return latin1Text(bytes);
}

const stringSerde = nullSafeSerde<string>(
  (data) => {
    if (typeof data !== 'string') throw new SerdeError(`String serializer expects a string, got ${typeof data}`);
    return utf8Bytes(data);
  },
  utf8Text,
);

/**
 * How a fixed-width built-in serde writes and reads its value in place, inside a larger buffer: stores use it to
 * put a value next to other bytes (a timestamp) without first serializing it into a buffer of its own.
 */
export interface FixedWidthCodec<T> {
  readonly width: number;
  /** Validates `value` as the serde's `serialize` does, then writes it at `offset`. */
  write(target: Buffer, offset: number, value: T): void;
  read(source: Buffer, offset: number): T;
}

const fixedWidthCodecs = new WeakMap<object, FixedWidthCodec<never>>();

/** The in-place codec of a built-in fixed-width serde (`Integer`, `Long`, `BigLong`, `Double`), if `serde` is one. */
export function fixedWidthCodecOf<T>(serde: Serde<T>): FixedWidthCodec<T> | undefined {
  return fixedWidthCodecs.get(serde) as FixedWidthCodec<T> | undefined;
}

function fixedWidthSerde<T>(serdeName: string, codec: FixedWidthCodec<T>): Serde<T> {
  const serde = nullSafeSerde<T>(
    (data) => {
      const bytes = Buffer.allocUnsafe(codec.width);
      codec.write(bytes, 0, data);
      return bytes;
    },
    (data) => {
      requireLength(serdeName, data, codec.width);
      return codec.read(data, 0);
    },
  );
  fixedWidthCodecs.set(serde, codec as FixedWidthCodec<never>);
  return serde;
}

const integerSerde = fixedWidthSerde<number>('Integer', {
  width: 4,
  write: (target, offset, value) => {
    if (!Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) {
      throw new SerdeError(`Integer serializer expects a 32-bit signed integer, got ${String(value)}`);
    }
    target.writeInt32BE(value, offset);
  },
  read: (source, offset) => source.readInt32BE(offset),
});

const longSerde = fixedWidthSerde<number>('Long', {
  width: 8,
  write: (target, offset, value) => {
    if (typeof value !== 'number' || !isInt64(value)) {
      throw new SerdeError(`Long serializer expects an integer within the 64-bit signed range, got ${String(value)}`);
    }
    writeInt64BE(target, value, offset);
  },
  read: (source, offset) => readInt64BE(source, offset),
});

const bigLongSerde = fixedWidthSerde<bigint>('BigLong', {
  width: 8,
  write: (target, offset, value) => {
    if (typeof value !== 'bigint' || value < INT64_MIN || value > INT64_MAX) {
      throw new SerdeError(`BigLong serializer expects a bigint within the 64-bit signed range, got ${String(value)}`);
    }
    target.writeBigInt64BE(value, offset);
  },
  read: (source, offset) => source.readBigInt64BE(offset),
});

const doubleSerde = fixedWidthSerde<number>('Double', {
  width: 8,
  write: (target, offset, value) => {
    if (typeof value !== 'number') throw new SerdeError(`Double serializer expects a number, got ${typeof value}`);
    target.writeDoubleBE(value, offset);
  },
  read: (source, offset) => source.readDoubleBE(offset),
});

const byteArraySerde = nullSafeSerde<Buffer>(
  (data) => {
    if (!Buffer.isBuffer(data)) throw new SerdeError('ByteArray serializer expects a Buffer');
    return data;
  },
  (data) => data,
);

function jsonSerde<T>(): Serde<T> {
  return nullSafeSerde<T>(
    (data) => {
      const text = JSON.stringify(data);
      if (text === undefined) throw new SerdeError(`Json serializer cannot represent a value of type ${typeof data}`);
      return Buffer.from(text, 'utf8');
    },
    (data) => {
      try {
        return JSON.parse(data.toString('utf8')) as T;
      } catch (cause) {
        throw new SerdeError(`Json deserializer got ${data.length} bytes that are not valid JSON`, { cause });
      }
    },
  );
}

/**
 * The built-in serdes, byte-compatible with Kafka's Java serdes of the same name, so a kstreams application can
 * share topics with Java ones. Every serde maps `null` to `null` in both directions (a tombstone), and throws a
 * `SerdeError` on bytes it cannot read; callers add the record's topic, partition and offset.
 */
export const Serdes = {
  /** UTF-8 text, as Java's `StringSerde` with its default encoding. */
  String: (): Serde<string> => stringSerde,
  /** A 32-bit signed integer, 4 bytes big-endian (Java `int`). */
  Integer: (): Serde<number> => integerSerde,
  /**
   * A 64-bit signed integer, 8 bytes big-endian (Java `long`), as a JavaScript `number`: exact within ±2^53
   * (`Number.MAX_SAFE_INTEGER`); beyond that the value keeps only the precision a `number` has, both when writing
   * and reading. Use `BigLong()` when the full range matters.
   */
  Long: (): Serde<number> => longSerde,
  /** The same bytes as `Long()`, as a `bigint`: exact over the whole 64-bit range. */
  BigLong: (): Serde<bigint> => bigLongSerde,
  /** An IEEE-754 double, 8 bytes big-endian (Java `double`). */
  Double: (): Serde<number> => doubleSerde,
  /** Raw bytes, passed through unchanged. */
  ByteArray: (): Serde<Buffer> => byteArraySerde,
  /** A value as UTF-8 JSON text. Parsing does not validate the shape: `T` is what the caller promises. */
  Json: <T>(): Serde<T> => jsonSerde<T>(),
} as const;
