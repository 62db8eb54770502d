import type { TopicPartition } from '../../processing/raw-record.js';

/** What a client asks of the cluster; one value per request a real client would send. */
export type OperationKind =
  | 'connect'
  | 'disconnect'
  | 'metadata'
  | 'createTopics'
  | 'deleteTopics'
  | 'listOffsets'
  | 'fetchOffsets'
  | 'describeGroup'
  | 'produce'
  | 'fetch'
  | 'joinGroup'
  | 'syncGroup'
  | 'heartbeat'
  | 'leaveGroup'
  | 'commitOffsets'
  | 'initProducerId'
  | 'sendOffsets'
  | 'endTransaction';

/** One call of a client into the cluster, as a fault rule sees it. */
export interface ClusterOperation {
  readonly kind: OperationKind;
  /** The name of the client making the call (`cluster.client({ name })`). */
  readonly client: string;
  readonly groupId?: string;
  readonly memberId?: string;
  readonly transactionalId?: string;
  /** The partitions a fetch reads. */
  readonly partitions?: readonly TopicPartition[];
  /** The topics a produce writes to. */
  readonly topics?: readonly string[];
  /** `endTransaction`: commit (true) or abort (false). */
  readonly commit?: boolean;
}

/**
 * Sees every operation before and after it takes effect. `before` may wait (a delay), throw (the operation fails
 * and changes nothing; throw a `KafkaError` to answer as the broker would) or never settle (the client hangs).
 * `after` runs once the cluster applied the operation: throwing there loses the answer, so the client fails
 * while the effect stays (a timeout after the broker wrote the batch or committed the transaction).
 */
export interface ClusterInterceptor {
  before?(operation: ClusterOperation): void | Promise<void>;
  after?(operation: ClusterOperation): void | Promise<void>;
}

const NEVER = new Promise<never>(() => undefined);

/**
 * The one place every client operation passes through, so that fault rules (delays, broker errors, unknown
 * outcomes, crashed clients) apply to all of them alike. Interceptors run in the order they were added.
 */
export class ClusterFaults {
  private readonly interceptors: ClusterInterceptor[] = [];
  private readonly crashed = new Set<string>();

  /** Adds an interceptor; the returned function removes it. */
  add(interceptor: ClusterInterceptor): () => void {
    this.interceptors.push(interceptor);
    return () => {
      const index = this.interceptors.indexOf(interceptor);
      if (index >= 0) this.interceptors.splice(index, 1);
    };
  }

  /**
   * The client stops as a killed process does: none of its operations, in flight or later, ever completes or
   * reaches the cluster. Its group members stop heartbeating (the session timeout removes them) and its open
   * transactions stay open until fenced or timed out.
   */
  crash(client: string): void {
    this.crashed.add(client);
  }

  /** Runs `apply` as `operation`: always asynchronously, after the interceptors' `before`, then their `after`. */
  async run<T>(operation: ClusterOperation, apply: () => T): Promise<T> {
    await Promise.resolve();
    for (const interceptor of [...this.interceptors]) {
      if (this.crashed.has(operation.client)) return NEVER;
      await interceptor.before?.(operation);
    }
    if (this.crashed.has(operation.client)) return NEVER;
    const result = apply();
    for (const interceptor of [...this.interceptors]) await interceptor.after?.(operation);
    if (this.crashed.has(operation.client)) return NEVER;
    return result;
  }
}
