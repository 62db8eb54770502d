/** Kafka's murmur2 (`org.apache.kafka.common.utils.Utils.murmur2`) in 32-bit integer arithmetic. */
export function murmur2(data: Buffer): number {
  const m = 0x5bd1e995;
  const length = data.length;
  let h = 0x9747b28c ^ length;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = data[i4]! | (data[i4 + 1]! << 8) | (data[i4 + 2]! << 16) | (data[i4 + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const tail = length & ~3;
  const rest = length % 4;
  if (rest === 3) h ^= data[tail + 2]! << 16;
  if (rest >= 2) h ^= data[tail + 1]! << 8;
  if (rest >= 1) h = Math.imul(h ^ data[tail]!, m);
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/**
 * The partition the Kafka producers (Java's and kafkajs' default) pick for a keyed record without a partition:
 * the positive murmur2 of the key bytes modulo the partition count. Records without a key go round robin.
 */
export class DefaultPartitioner {
  private readonly counters = new Map<string, number>();

  partition(topic: string, key: Buffer | null, partitions: number): number {
    if (key !== null) return (murmur2(key) & 0x7fffffff) % partitions;
    const next = this.counters.get(topic) ?? 0;
    this.counters.set(topic, next + 1);
    return next % partitions;
  }
}
