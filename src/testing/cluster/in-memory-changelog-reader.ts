import type { ChangelogReader, ChangelogReadRequest } from '../../runtime/client/kafka-client.js';
import type { RawRecord } from '../../processing/raw-record.js';
import type { ClusterBackend } from './cluster-backend.js';
import { KafkaError, toBrokerFailure } from './kafka-error.js';
import { FETCH_MAX_RECORDS, retryAfter } from './log-fetch.js';

/**
 * Restoration's reader: each partition from `from` until its position reaches `to`, read_committed (so it waits
 * while a transaction below `to` is open), committed data records only, batch by batch.
 */
export class InMemoryChangelogReader implements ChangelogReader {
  constructor(
    private readonly cluster: ClusterBackend,
    private readonly client: string,
  ) {}

  async read(requests: readonly ChangelogReadRequest[], onRecords: (records: readonly RawRecord[]) => void, signal?: AbortSignal): Promise<void> {
    const pending = requests.filter((r) => r.from < r.to).map((r) => ({ request: r, position: r.from }));
    let wake: () => void = () => undefined;
    const unsubscribe = this.cluster.onChange(() => wake());
    const onAbort = (): void => wake();
    signal?.addEventListener('abort', onAbort);
    try {
      while (pending.length > 0) {
        signal?.throwIfAborted();
        const changed = new Promise<void>((resolve) => (wake = resolve));
        const batches = await this.fetch(pending.map(({ request, position }) => ({ request, position })));
        if (batches === null) {
          await new Promise<void>((resolve) => retryAfter(resolve));
          continue;
        }
        let progressed = false;
        for (const [i, { records, next }] of batches.entries()) {
          const entry = pending[i]!;
          signal?.throwIfAborted();
          const wanted = records.filter((r) => r.offset < entry.request.to);
          if (wanted.length > 0) onRecords(wanted);
          if (next > entry.position) progressed = true;
          entry.position = next;
        }
        for (let i = pending.length - 1; i >= 0; i--) if (pending[i]!.position >= pending[i]!.request.to) pending.splice(i, 1);
        if (!progressed && pending.length > 0) await changed;
      }
    } finally {
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** One fetch of every pending partition; null when a fault failed it in a way worth retrying. */
  private async fetch(partitions: ReadonlyArray<{ request: ChangelogReadRequest; position: number }>): Promise<Array<{ records: RawRecord[]; next: number }> | null> {
    try {
      return await this.cluster.operate({ kind: 'fetch', client: this.client, partitions: partitions.map((p) => p.request) }, () =>
        partitions.map(({ request, position }) => this.cluster.topics.log(request).read(position, 'read_committed', FETCH_MAX_RECORDS)),
      );
    } catch (error) {
      if (error instanceof KafkaError && error.retriable) return null;
      throw toBrokerFailure('reading the changelog', error);
    }
  }
}
