import avsc from 'avsc';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/** A bigint, or a number that is a safe integer, as a bigint within int64's range; `undefined` otherwise. */
function int64Of(value: unknown): bigint | undefined {
  const n = typeof value === 'bigint' ? value : Number.isSafeInteger(value) ? BigInt(value as number) : undefined;
  return n !== undefined && n >= INT64_MIN && n <= INT64_MAX ? n : undefined;
}

/**
 * Avro's `long` as a `bigint`, so that 64-bit values (ids, Debezium's `ts_us`/`ts_ns`) keep every digit; avsc's
 * own long type refuses values past 2^53. Written from a bigint or a safe-integer number, always read as a bigint.
 */
export const bigintLong = avsc.types.LongType.__with({
  fromBuffer: (bytes: Buffer) => bytes.readBigInt64LE(),
  toBuffer: (n: bigint | number) => {
    const bytes = Buffer.alloc(8);
    bytes.writeBigInt64LE(BigInt(n));
    return bytes;
  },
  fromJSON: (n: unknown) => BigInt(n as number),
  toJSON: (n: bigint) => Number(n),
  isValid: (n: unknown) => int64Of(n) !== undefined,
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

/** A number of a timestamp's underlying long (avsc's own, a number: timestamps stay below 2^53 until the year 2255). */
function safeLongOf(value: unknown): number | undefined {
  const n = typeof value === 'bigint' ? Number(value) : value;
  return Number.isSafeInteger(n) ? (n as number) : undefined;
}

/** `timestamp-millis` (a long) as a `Date`; written from a `Date` or the milliseconds as a number or bigint. */
export class TimestampMillisType extends avsc.types.LogicalType {
  protected override _fromValue(millis: number): Date {
    return new Date(millis);
  }

  protected override _toValue(value: unknown): number | undefined {
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
    return safeLongOf(value);
  }

  protected override _resolve(writer: avsc.Type): ((value: never) => Date) | undefined {
    if (avsc.Type.isType(writer, 'logical:timestamp-millis')) return (value: Date) => value;
    if (avsc.Type.isType(writer, 'logical:timestamp-micros')) return (micros: bigint) => new Date(Number(micros / 1000n));
    if (avsc.Type.isType(writer, 'long', 'abstract:long', 'int')) return (millis: bigint | number) => new Date(Number(millis));
    return undefined;
  }
}

/**
 * `timestamp-micros` (a long) as the microseconds since the epoch in a `bigint`: a `Date` holds milliseconds only.
 * Written from a bigint, a safe-integer number or a `Date`.
 */
export class TimestampMicrosType extends avsc.types.LogicalType {
  protected override _fromValue(micros: number): bigint {
    return BigInt(micros);
  }

  protected override _toValue(value: unknown): number | undefined {
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime() * 1000;
    return safeLongOf(value);
  }

  protected override _resolve(writer: avsc.Type): ((value: never) => bigint) | undefined {
    if (avsc.Type.isType(writer, 'logical:timestamp-micros')) return (micros: bigint) => micros;
    if (avsc.Type.isType(writer, 'logical:timestamp-millis')) return (date: Date) => BigInt(date.getTime()) * 1000n;
    if (avsc.Type.isType(writer, 'long', 'abstract:long', 'int')) return (micros: bigint | number) => BigInt(micros);
    return undefined;
  }
}

/** `uuid` (a string) as a string, which must be a UUID in its 8-4-4-4-12 hex form to be written. */
export class UuidType extends avsc.types.LogicalType {
  protected override _fromValue(text: string): string {
    return text;
  }

  protected override _toValue(value: unknown): string | undefined {
    return typeof value === 'string' && UUID.test(value) ? value : undefined;
  }

  protected override _resolve(writer: avsc.Type): ((value: string) => string) | undefined {
    return avsc.Type.isType(writer, 'string', 'logical:uuid') ? (text) => text : undefined;
  }
}

/**
 * `decimal` (bytes or fixed: the unscaled value in big-endian two's complement) as its exact decimal text, e.g.
 * `"-12.30"` for scale 2: JavaScript has no decimal number, and a float would lose digits. Written from such a
 * text (or a bigint) with at most `scale` fraction digits and `precision` digits in all.
 */
export class DecimalType extends avsc.types.LogicalType {
  private readonly precision: number;
  private readonly scale: number;
  private readonly fixedSize: number | undefined;

  constructor(schema: avsc.Schema, options?: unknown) {
    super(schema, options);
    const { precision, scale = 0, size } = schema as { precision?: unknown; scale?: unknown; size?: unknown };
    if (!Number.isInteger(precision) || (precision as number) < 1) throw new Error(`decimal precision must be a positive integer, not ${String(precision)}`);
    if (!Number.isInteger(scale) || (scale as number) < 0 || (scale as number) > (precision as number)) throw new Error(`decimal scale must be in 0..precision, not ${String(scale)}`);
    this.precision = precision as number;
    this.scale = scale as number;
    this.fixedSize = typeof size === 'number' ? size : undefined;
  }

  protected override _fromValue(bytes: Buffer): string {
    // Up to 6 bytes the unscaled value is a safe integer: read as a number, which costs a fraction of a bigint.
    const unscaled = bytes.length === 0 ? 0 : bytes.length <= 6 ? bytes.readIntBE(0, bytes.length) : BigInt.asIntN(bytes.length * 8, BigInt(`0x${bytes.toString('hex')}`));
    const negative = unscaled < 0;
    const digits = (negative ? -unscaled : unscaled).toString().padStart(this.scale + 1, '0');
    const integer = digits.slice(0, digits.length - this.scale);
    const text = this.scale === 0 ? integer : `${integer}.${digits.slice(digits.length - this.scale)}`;
    return negative ? `-${text}` : text;
  }

  protected override _toValue(value: unknown): Buffer | undefined {
    const text = typeof value === 'bigint' ? value.toString() : value;
    if (typeof text !== 'string') return undefined;
    if (this.fixedSize === undefined) {
      const unscaled = smallUnscaled(text, this.scale, this.precision);
      if (unscaled !== undefined) return unscaled === null ? undefined : safeTwosComplement(unscaled);
    }
    const match = DECIMAL.exec(text);
    if (match === null) return undefined;
    const [, sign, integer, fraction = ''] = match as unknown as [string, string, string, string | undefined];
    if (fraction.length > this.scale) return undefined;
    const digits = `${integer}${fraction.padEnd(this.scale, '0')}`.replace(/^0+(?=\d)/, '');
    if (digits.length > this.precision) return undefined;
    const unscaled = sign === '-' ? -BigInt(digits) : BigInt(digits);
    return twosComplement(unscaled, this.fixedSize);
  }

  protected override _resolve(writer: avsc.Type): ((value: string) => string) | undefined {
    if (!(writer instanceof DecimalType) || writer.scale !== this.scale || writer.precision > this.precision) return undefined;
    return (text) => text;
  }

  protected override _export(schema: avsc.Schema): void {
    Object.assign(schema, { precision: this.precision, scale: this.scale });
  }
}

/**
 * The unscaled value of a decimal text with at most 15 digits, parsed by hand (the common case, and the hot one:
 * a regular expression and string joins cost more than the encoding); `null` for a text that is not a decimal of
 * this scale and precision, `undefined` for one too long for a safe integer, which the bigint path then parses.
 */
function smallUnscaled(text: string, scale: number, precision: number): number | null | undefined {
  const first = text.charCodeAt(0);
  const negative = first === 45; // '-'
  let unscaled = 0;
  let significant = 0; // digits from the first one that is not 0
  let fraction = -1; // digits after the point; -1 before it
  let digitSeen = false; // in the current part (before or after the point)
  for (let i = negative || first === 43 ? 1 : 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 46) {
      if (fraction >= 0 || !digitSeen) return null;
      fraction = 0;
      digitSeen = false;
      continue;
    }
    if (code < 48 || code > 57) return null;
    digitSeen = true;
    if (significant > 0 || code !== 48) significant++;
    unscaled = unscaled * 10 + (code - 48);
    if (fraction >= 0) fraction++;
  }
  if (!digitSeen) return null;
  const fractionDigits = Math.max(fraction, 0);
  if (fractionDigits > scale) return null;
  const total = significant === 0 ? 0 : significant + scale - fractionDigits;
  if (total > 15) return undefined;
  if (total > precision) return null;
  const scaled = unscaled * 10 ** (scale - fractionDigits);
  return negative ? -scaled : scaled;
}

/** A safe integer `n` in big-endian two's complement, in the fewest bytes that hold it (at most 7). */
function safeTwosComplement(n: number): Buffer {
  let length = 1;
  while (length < 6 && (n < -(2 ** (length * 8 - 1)) || n >= 2 ** (length * 8 - 1))) length++;
  if (length === 6 && (n < -(2 ** 47) || n >= 2 ** 47)) return twosComplement(BigInt(n), undefined)!;
  const bytes = Buffer.allocUnsafe(length);
  bytes.writeIntBE(n, 0, length);
  return bytes;
}

/** `n` in big-endian two's complement: in the fewest bytes that hold it, or sign-extended to `size` bytes. */
function twosComplement(n: bigint, size: number | undefined): Buffer | undefined {
  let length = 1;
  while (n < -(1n << BigInt(length * 8 - 1)) || n >= 1n << BigInt(length * 8 - 1)) length++;
  if (size !== undefined && length > size) return undefined;
  const bytes = Buffer.alloc(size ?? length, n < 0n ? 0xff : 0);
  let rest = BigInt.asUintN(length * 8, n);
  for (let i = bytes.length - 1; i >= bytes.length - length; i--) {
    bytes[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return bytes;
}

export const LOGICAL_TYPES = {
  'timestamp-millis': TimestampMillisType,
  'timestamp-micros': TimestampMicrosType,
  uuid: UuidType,
  decimal: DecimalType,
};
