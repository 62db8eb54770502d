import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TopicPartitionMap } from '../../../src/processing/topic-partition-map.js';

test('a topic-partition map tells partitions of one topic and equal partition numbers of two topics apart', () => {
  const map = new TopicPartitionMap<string>();
  map.set({ topic: 'orders', partition: 0 }, 'orders-0');
  map.set({ topic: 'orders', partition: 1 }, 'orders-1');
  map.set({ topic: 'payments', partition: 0 }, 'payments-0');
  assert.equal(map.get({ topic: 'orders', partition: 1 }), 'orders-1');
  assert.equal(map.get({ topic: 'payments', partition: 0 }), 'payments-0');
  assert.equal(map.get({ topic: 'payments', partition: 1 }), undefined);
  assert.equal(map.has({ topic: 'orders', partition: 0 }), true);
  assert.equal(map.has({ topic: 'refunds', partition: 0 }), false);
  assert.equal(map.size, 3);
});

test('a topic-partition map counts a replaced entry once and forgets deleted ones', () => {
  const map = new TopicPartitionMap<number>();
  const orders0 = { topic: 'orders', partition: 0 };
  map.set(orders0, 1);
  map.set({ ...orders0 }, 2);
  assert.equal(map.size, 1);
  assert.equal(map.get(orders0), 2);
  assert.equal(map.delete({ topic: 'orders', partition: 1 }), false);
  assert.equal(map.delete(orders0), true);
  assert.equal(map.delete(orders0), false);
  assert.equal(map.size, 0);
  assert.deepEqual([...map.entries()], []);
});

test('a topic-partition map lists its entries in insertion order, grouped by topic, and may be changed while listed', () => {
  const map = new TopicPartitionMap<string>();
  map.set({ topic: 'b', partition: 2 }, 'b2');
  map.set({ topic: 'a', partition: 0 }, 'a0');
  map.set({ topic: 'b', partition: 1 }, 'b1');
  const seen: string[] = [];
  for (const [partition, value] of map.entries()) {
    seen.push(`${partition.topic}-${partition.partition}=${value}`);
    map.delete(partition);
  }
  assert.deepEqual(seen, ['b-2=b2', 'b-1=b1', 'a-0=a0']);
  assert.equal(map.size, 0);
});
