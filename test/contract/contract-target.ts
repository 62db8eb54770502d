import type { KafkaClient } from '../../src/runtime/client/kafka-client.js';

/**
 * What the client contract runs against: the in-memory cluster (unit tests) or a real broker through the kafkajs
 * adapter (integration tests). The same tests run on both, so the two cannot drift apart.
 */
export interface ContractTarget {
  client(): KafkaClient;
  /** Unique per run: tests never see each other's topics, groups or transactional ids. */
  uniqueName(prefix: string): string;
  /** The committed values of a topic's partition 0, read by something other than the client under test. */
  committedValues(topic: string): Promise<Array<string | undefined>>;
  /** Topic settings that let the broker compact soon (small segments, no dirty-ratio wait). */
  readonly compactedTopicConfig: Readonly<{ [key: string]: string }>;
  /**
   * Lets the broker compact `topic`, then waits until `compacted()` holds. The real broker's cleaner runs on its
   * own schedule (and never cleans the active segment), so it may take seconds there.
   */
  compact(topic: string, compacted: () => Promise<boolean>): Promise<void>;
  /** Group timeouts: the real broker's smallest session timeout is 6 s; heartbeats often, so rebalances are quick. */
  readonly group: { readonly sessionTimeoutMs: number; readonly heartbeatIntervalMs: number };
}
