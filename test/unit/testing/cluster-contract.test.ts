import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { InMemoryKafkaCluster } from '../../../src/testing/index.js';
import { clientContract } from '../../contract/client-contract.js';

/** The client contract on the in-memory cluster; test/integration/runtime/client-contract.test.ts runs it on Kafka. */
const cluster = new InMemoryKafkaCluster();

clientContract({
  client: () => cluster.client(),
  uniqueName: (prefix) => `${prefix}-${randomUUID().slice(0, 8)}`,
  committedValues: async (topic) => cluster.records(topic).filter((r) => r.partition === 0).map((r) => r.value?.toString()),
  compactedTopicConfig: { 'cleanup.policy': 'compact' },
  compact: async (topic, compacted) => {
    cluster.compact(topic);
    assert.ok(await compacted(), 'compaction removed the superseded record');
  },
  group: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 100 },
});
