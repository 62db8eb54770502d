import { readToEnd } from '../../../scripts/committed-reader/committed-reader.js';
import type { ContractTarget } from '../../contract/contract-target.js';
import { brokers, uniqueName } from './broker.js';
import { adapterClient, type ClientKind } from './test-client.js';

/** The client contract's target on the real broker through the adapter `kind`; what is committed is read by Kafka's own Java consumer. */
export function brokerContractTarget(kind: ClientKind): ContractTarget {
  return {
    client: () => adapterClient(kind, { bootstrapServers: brokers(), clientId: uniqueName(`contract-${kind}`) }),
    uniqueName,
    committedValues: async (topic) => (await readToEnd(brokers().join(','), [topic])).filter((r) => r.partition === 0).map((r) => r.value?.toString()),
    // Segments roll after 100 ms and any dirt is worth cleaning, so the cleaner takes the topic on its next pass.
    compactedTopicConfig: { 'cleanup.policy': 'compact', 'segment.ms': '100', 'min.cleanable.dirty.ratio': '0.001', 'delete.retention.ms': '0', 'min.compaction.lag.ms': '0' },
    compact: async (_topic, compacted) => {
      // The broker's cleaner wakes every 15 s (log.cleaner.backoff.ms) at most.
      const deadline = Date.now() + 45_000;
      while (!(await compacted())) {
        if (Date.now() > deadline) throw new Error('the broker did not compact the topic within 45 s');
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    },
    group: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 100 },
  };
}
