import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compatibilityPartitioner, defaultPartitioner } from '@platformatic/kafka';
import kafkajs from 'kafkajs';
import { JavaCompatiblePartitioner } from '../../../../src/runtime/platformatic/platformatic-partitioner.js';
import { SeededRandom } from '../../../../src/testing/seeded-random.js';

const kafkajsPartitioner = kafkajs.Partitioners.DefaultPartitioner();
const message = { topic: 'orders', value: Buffer.alloc(0) };

/** Where kafkajs, whose default partitioner is Java's, puts a keyed record in a topic of `partitions` partitions. */
function kafkajsPartition(key: Buffer, partitions: number): number {
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0 }));
  return kafkajsPartitioner({ topic: 'orders', partitionMetadata, message: { key, value: null } });
}

/** Keys of every length from 0 to 40 bytes (every murmur2 tail), random bytes, plus the usual ASCII ids. */
function keys(): Buffer[] {
  const random = new SeededRandom(447);
  const bytes = Array.from({ length: 400 }, (_, i) => Buffer.from(Array.from({ length: i % 41 }, () => random.int(0, 255))));
  return [...bytes, ...Array.from({ length: 200 }, (_, i) => Buffer.from(`customer-${i}`))];
}

for (const partitions of [3, 6]) {
  test(`keyed records land where Kafka's Java default partitioner puts them, with ${partitions} partitions`, () => {
    const partitioner = new JavaCompatiblePartitioner();
    for (const key of keys()) {
      // The library takes the partitioner's answer modulo the partition count.
      assert.equal(partitioner.partition(message, key) % partitions, kafkajsPartition(key, partitions), key.toString('hex'));
    }
  });
}

test("the library's default partitioner disagrees with Java's for 3 partitions (why the adapter has its own), and its compatibility one agrees", () => {
  const all = keys();
  assert.ok(all.some((key) => defaultPartitioner(message, key) % 3 !== kafkajsPartition(key, 3)));
  const partitioner = new JavaCompatiblePartitioner();
  for (const key of all) assert.equal(partitioner.partition(message, key), compatibilityPartitioner(message, key));
});

test('records without a key go round robin per topic, where the compatibility partitioner sends them all to partition 0', () => {
  const partitioner = new JavaCompatiblePartitioner();
  const picks = ['a', 'a', 'b', 'a', 'b'].map((topic) => partitioner.partition({ topic }, undefined));
  assert.deepEqual(picks, [0, 1, 0, 2, 1]);
  assert.equal(compatibilityPartitioner(message, undefined), 0);
});
