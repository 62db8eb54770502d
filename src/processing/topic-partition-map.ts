import type { TopicPartition } from './raw-record.js';

/**
 * A map keyed by topic partition that builds no string key per lookup: the hot paths (every fetched batch, every
 * processed record) look partitions up far more often than they add them, and a `topic:partition` string per
 * lookup is garbage the collector then has to sweep.
 */
export class TopicPartitionMap<V> {
  private readonly byTopic = new Map<string, Map<number, V>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(partition: TopicPartition): V | undefined {
    return this.byTopic.get(partition.topic)?.get(partition.partition);
  }

  has(partition: TopicPartition): boolean {
    return this.byTopic.get(partition.topic)?.has(partition.partition) ?? false;
  }

  set(partition: TopicPartition, value: V): void {
    let partitions = this.byTopic.get(partition.topic);
    if (partitions === undefined) {
      partitions = new Map();
      this.byTopic.set(partition.topic, partitions);
    }
    const before = partitions.size;
    partitions.set(partition.partition, value);
    this.count += partitions.size - before;
  }

  delete(partition: TopicPartition): boolean {
    const partitions = this.byTopic.get(partition.topic);
    if (partitions === undefined || !partitions.delete(partition.partition)) return false;
    this.count--;
    if (partitions.size === 0) this.byTopic.delete(partition.topic);
    return true;
  }

  /** Every entry, in the order topics were first added and, within a topic, partitions were. */
  *entries(): IterableIterator<[TopicPartition, V]> {
    for (const [topic, partitions] of this.byTopic) for (const [partition, value] of partitions) yield [{ topic, partition }, value];
  }
}
