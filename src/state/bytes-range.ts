/** One end of a key range; `null` leaves that end open. */
export type KeyBound = { readonly key: Buffer; readonly inclusive: boolean } | null;

/**
 * A range of serialized keys in unsigned lexicographic byte order (`Buffer.compare`, and SQLite's BLOB order),
 * which is the order every store iterates in, as in Kafka Streams.
 */
export interface BytesRange {
  readonly lower: KeyBound;
  readonly upper: KeyBound;
}

export const ALL_KEYS: BytesRange = { lower: null, upper: null };

/** The keys from `from` to `to`, both inclusive; a missing end is open. */
export function inclusiveRange(from: Buffer | null, to: Buffer | null): BytesRange {
  return {
    lower: from === null ? null : { key: from, inclusive: true },
    upper: to === null ? null : { key: to, inclusive: true },
  };
}

/** The keys that start with `prefix`: from the prefix itself up to (excluding) the next prefix in byte order. */
export function prefixRange(prefix: Buffer): BytesRange {
  const successor = prefixSuccessor(prefix);
  return {
    lower: { key: prefix, inclusive: true },
    upper: successor === null ? null : { key: successor, inclusive: false },
  };
}

/** The smallest key greater than every key starting with `prefix`, or `null` when there is none (all 0xff). */
function prefixSuccessor(prefix: Buffer): Buffer | null {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const byte = prefix[i]!;
    if (byte !== 0xff) {
      const successor = Buffer.from(prefix.subarray(0, i + 1));
      successor[i] = byte + 1;
      return successor;
    }
  }
  return null;
}

/** True when no key can lie in the range, e.g. `range(from, to)` with from > to. */
export function isEmptyRange(range: BytesRange): boolean {
  if (range.lower === null || range.upper === null) return false;
  const order = Buffer.compare(range.lower.key, range.upper.key);
  return order > 0 || (order === 0 && !(range.lower.inclusive && range.upper.inclusive));
}

export function isInRange(key: Buffer, range: BytesRange): boolean {
  return isAboveLower(key, range.lower) && isBelowUpper(key, range.upper);
}

function isAboveLower(key: Buffer, lower: KeyBound): boolean {
  if (lower === null) return true;
  const order = Buffer.compare(key, lower.key);
  return order > 0 || (order === 0 && lower.inclusive);
}

function isBelowUpper(key: Buffer, upper: KeyBound): boolean {
  if (upper === null) return true;
  const order = Buffer.compare(key, upper.key);
  return order < 0 || (order === 0 && upper.inclusive);
}
