import { murmur2 } from '../../runtime/client/murmur2.js';

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
