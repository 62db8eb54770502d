const TWO_POW_32 = 2 ** 32;
const TWO_POW_63 = 2 ** 63;

/**
 * Writes `value` as an 8-byte big-endian two's-complement integer, as Java writes a `long`.
 * Split into two 32-bit halves instead of going through `bigint`, which keeps the hot path (timestamps in every
 * timestamped store value) allocation-free. Exact for every safe integer; larger magnitudes keep only the
 * precision a JavaScript number has.
 */
export function writeInt64BE(target: Buffer, value: number, offset = 0): void {
  const high = Math.floor(value / TWO_POW_32);
  target.writeInt32BE(high, offset);
  target.writeUInt32BE(value - high * TWO_POW_32, offset + 4);
}

/** Reads an 8-byte big-endian two's-complement integer; exact while the value is within ±2^53. */
export function readInt64BE(source: Buffer, offset = 0): number {
  return source.readInt32BE(offset) * TWO_POW_32 + source.readUInt32BE(offset + 4);
}

/** Whether `value` is an integer a Java `long` can hold. */
export function isInt64(value: number): boolean {
  return Number.isInteger(value) && value >= -TWO_POW_63 && value < TWO_POW_63;
}
