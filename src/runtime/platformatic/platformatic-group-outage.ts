import type { ConsumerOutage } from '../client/kafka-client.js';

/**
 * Since when a consumer has been failing to reach its group or its partitions, and the last error. Each source
 * (the group's heartbeats and joins, the fetches) fails and recovers on its own; the outage lasts while any fails.
 */
export class GroupOutage {
  private readonly failing = new Set<string>();
  private current: ConsumerOutage | undefined;

  fail(source: string, error: unknown): void {
    this.failing.add(source);
    this.current = { sinceMs: this.current?.sinceMs ?? Date.now(), lastError: error };
  }

  recover(source: string): void {
    this.failing.delete(source);
    if (this.failing.size === 0) this.current = undefined;
  }

  outage(): ConsumerOutage | undefined {
    return this.current;
  }
}
