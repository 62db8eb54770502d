import assert from 'node:assert/strict';
import { test } from 'node:test';
import kafkajs from 'kafkajs';
import { uniqueName, withTopics } from '../support/broker.js';

// kafkajs is CommonJS; Node cannot see this enum as a named export.
const { ConfigResourceTypes } = kafkajs;

test('creates a normal and a compacted topic with the requested partitions and cleanup policy', async () => {
  const plain = uniqueName('smoke-plain');
  const compacted = uniqueName('smoke-compacted');
  await withTopics(
    [
      { topic: plain, numPartitions: 3 },
      { topic: compacted, numPartitions: 2, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
    ],
    async (admin) => {
      const metadata = await admin.fetchTopicMetadata({ topics: [plain, compacted] });
      const partitions = Object.fromEntries(metadata.topics.map((t) => [t.name, t.partitions.length]));
      assert.deepEqual(partitions, { [plain]: 3, [compacted]: 2 });

      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [plain, compacted].map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['cleanup.policy'] })),
      });
      const policy = Object.fromEntries(
        configs.resources.map((r) => [r.resourceName, r.configEntries.find((e) => e.configName === 'cleanup.policy')?.configValue]),
      );
      assert.deepEqual(policy, { [plain]: 'delete', [compacted]: 'compact' });
    },
  );
});
