import type { ClusterClock } from './cluster-clock.js';
import type { ClusterOperation } from './cluster-faults.js';
import type { ClusterTopics } from './cluster-topics.js';
import type { ConsumerGroup } from './consumer-group.js';
import type { TransactionCoordinator } from './transaction-coordinator.js';

/** What the port classes (admin, consumers, producers, readers) see of the in-memory cluster. */
export interface ClusterBackend {
  readonly clock: ClusterClock;
  readonly topics: ClusterTopics;
  readonly transactions: TransactionCoordinator;
  group(groupId: string): ConsumerGroup;
  deleteTopic(name: string): void;
  /** Whether the coordinator knows the group (a member joined it, or offsets were committed for it). */
  hasGroup(groupId: string): boolean;
  /** Runs one client operation through the fault hooks. */
  operate<T>(operation: ClusterOperation, apply: () => T): Promise<T>;
  newMemberId(client: string): string;
  /** Subscribes to every change of any log (appends, markers, compaction, new topics); returns the unsubscribe. */
  onChange(listener: () => void): () => void;
  /** Tells readers waiting for data that logs changed. */
  changed(): void;
}
