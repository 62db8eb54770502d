import { Consumer } from '@platformatic/kafka';
import type { RawRecord } from '../../processing/raw-record.js';
import { topicPartitionKey } from '../../state/changelog.js';
import type { ChangelogReader, ChangelogReadRequest, KafkaConnectionConfig } from '../client/kafka-client.js';
import { platformaticBaseOptions } from './platformatic-connection.js';
import { readBrokerFailure } from './platformatic-fetch-errors.js';
import { PlatformaticFetchLoop, type PartitionFetch } from './platformatic-fetch-loop.js';
import { bridgePlatformaticLogs } from './platformatic-log-bridge.js';

const FETCH_MAX_WAIT_MS = 100;

/**
 * Reads changelog partitions from → to, read_committed, with @platformatic/kafka's group-less `fetch` (no group is
 * joined or left behind, unlike the kafkajs adapter's throwaway one). A request is done once its position reaches
 * `to`, or the high watermark when that is lower (the tail past it can never be read): the position moves past
 * transaction markers and aborted records too, so a read ending on a commit marker completes.
 *
 * A fetch failure ends the read with a `BrokerFailure` (retriable when the broker was down or moving), once
 * @platformatic/kafka's own retries are spent: the task manager retries the restoration with backoff, within its task
 * timeout, and it resumes from what was committed to SQLite batch by batch.
 */
export class PlatformaticChangelogReader implements ChangelogReader {
  constructor(private readonly connection: KafkaConnectionConfig) {}

  async read(requests: readonly ChangelogReadRequest[], onRecords: (records: readonly RawRecord[]) => void, signal?: AbortSignal): Promise<void> {
    const wanted = new Map(requests.filter((r) => r.from < r.to).map((r) => [topicPartitionKey(r.topic, r.partition), r]));
    if (wanted.size === 0) return;
    signal?.throwIfAborted();
    const client = new Consumer({ ...platformaticBaseOptions(this.connection, 'restore'), groupId: `${this.connection.clientId}-restore`, retryDelay: 250 });
    bridgePlatformaticLogs(client, this.connection, 'restore');
    const done = new Set<string>();
    let settled = false;
    let settle: (error?: unknown) => void = () => undefined;
    const finished = new Promise<void>((resolve, reject) => {
      settle = (error) => {
        settled = true;
        if (error === undefined) resolve();
        else reject(error);
      };
    });
    const resolve = (): void => settle();
    const reject = (error: unknown): void => settle(error);
    const onFetched = (key: string, request: ChangelogReadRequest, fetched: PartitionFetch): void => {
      const records = fetched.records.filter((r) => r.offset >= request.from && r.offset < request.to);
      if (records.length > 0) onRecords(records);
      if (fetched.nextOffset >= Math.min(request.to, fetched.highWatermark)) done.add(key);
      if (done.size === wanted.size) resolve();
    };
    const loop = new PlatformaticFetchLoop(client, { readCommitted: true, maxWaitMs: FETCH_MAX_WAIT_MS }, {
      onFetched: (partition, fetched) => {
        const key = topicPartitionKey(partition.topic, partition.partition);
        const request = wanted.get(key);
        if (request !== undefined && !done.has(key) && !settled) onFetched(key, request, fetched);
      },
      onRetriableFailure: (error) => reject(readBrokerFailure('reading the changelog', error)),
      onFetchSucceeded: () => undefined,
      onFatal: (error) => reject(error),
    });
    const interrupt = (): void => reject(signal?.reason ?? new Error('restoration interrupted'));
    signal?.addEventListener('abort', interrupt, { once: true });
    try {
      loop.assign([...wanted.values()]);
      for (const request of wanted.values()) loop.seek(request, request.from);
      loop.start();
      await finished;
    } finally {
      signal?.removeEventListener('abort', interrupt);
      loop.stop();
      await client.close(false).catch(() => undefined);
    }
  }
}
