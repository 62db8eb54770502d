/**
 * Kafka Streams prints topic and store sets in `java.util.HashSet` iteration order. To print the same text, we
 * reproduce that order: entries sorted by bucket index in the final table, entries sharing a bucket in insertion
 * order (Java keeps that order when a table grows). Buckets turning into trees need eight colliding names, which
 * real topologies do not have, so that case is not modelled.
 */
export function javaHashSetOrder(itemsInInsertionOrder: readonly string[]): string[] {
  const unique = [...new Set(itemsInInsertionOrder)];
  const mask = javaHashTableCapacity(unique.length) - 1;
  return unique
    .map((item, position) => ({ item, position, bucket: spreadHash(javaStringHash(item)) & mask }))
    .sort((a, b) => a.bucket - b.bucket || a.position - b.position)
    .map(({ item }) => item);
}

/** `String.hashCode()`: 31-based polynomial over UTF-16 code units, in 32-bit integer arithmetic. */
export function javaStringHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

/** `HashMap.hash()`: folds the high bits into the low ones, which select the bucket. */
function spreadHash(hash: number): number {
  return hash ^ (hash >>> 16);
}

/** Table size after adding `size` entries: starts at 16 and doubles while the load factor 0.75 is exceeded. */
function javaHashTableCapacity(size: number): number {
  let capacity = 16;
  while (size > capacity * 0.75) capacity *= 2;
  return capacity;
}
