import type { KeyValue } from './key-value.js';
import type { KeyValueIterator } from './key-value-iterator.js';

/**
 * Pulls the entries of a cache (a snapshot, sorted) merged with a scan of the store below (sorted the same way):
 * a cached entry hides the stored one with the same key, and a cached `null` (a deletion) hides it without
 * taking its place.
 */
export function mergedScan<K>(
  cached: ReadonlyArray<KeyValue<K, Buffer | null>>,
  stored: KeyValueIterator<K, Buffer>,
  compare: (a: K, b: K) => number,
): () => KeyValue<K, Buffer> | undefined {
  let nextCached = 0;
  return () => {
    for (;;) {
      const storedKey = stored.peekNextKey();
      const fromCache = cached[nextCached];
      if (fromCache === undefined) return storedKey === undefined ? undefined : stored.next().value;
      const order = storedKey === undefined ? -1 : compare(fromCache.key, storedKey);
      if (order > 0) return stored.next().value;
      nextCached++;
      if (order === 0) stored.next();
      if (fromCache.value !== null) return { key: fromCache.key, value: fromCache.value };
    }
  };
}

/** Orders byte strings (one latin1 character per byte) as their bytes: JavaScript compares them by char code. */
export function compareByteStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
