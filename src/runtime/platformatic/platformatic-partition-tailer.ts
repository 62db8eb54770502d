import { Consumer } from '@platformatic/kafka';
import type { RawRecord } from '../../processing/raw-record.js';
import type { KafkaConnectionConfig, PartitionTailer, TailPosition } from '../client/kafka-client.js';
import { platformaticBaseOptions } from './platformatic-connection.js';
import { PlatformaticFetchLoop } from './platformatic-fetch-loop.js';
import { bridgePlatformaticLogs } from './platformatic-log-bridge.js';

const FETCH_MAX_WAIT_MS = 100;

/**
 * Reads partitions from given offsets on, read_committed, without end, with @platformatic/kafka's group-less
 * `fetch`: no group to join, so a broker outage only holds the fetches, which the loop retries with backoff from
 * the next offset not handed over yet. `onRecords` throwing, or a failure no retry fixes, stops reading and is
 * reported once through `onError`.
 */
export class PlatformaticPartitionTailer implements PartitionTailer {
  private client: Consumer | null = null;
  private loop: PlatformaticFetchLoop | null = null;
  private stopped = false;

  constructor(private readonly connection: KafkaConnectionConfig) {}

  async start(positions: readonly TailPosition[], onRecords: (records: readonly RawRecord[]) => void, onError: (error: unknown) => void): Promise<void> {
    if (this.client !== null) throw new Error('the partition tailer is started already');
    const client = new Consumer({ ...platformaticBaseOptions(this.connection, 'global'), groupId: `${this.connection.clientId}-global`, retryDelay: 250 });
    bridgePlatformaticLogs(client, this.connection, 'global');
    this.client = client;
    const loop = new PlatformaticFetchLoop(client, { readCommitted: true, maxWaitMs: FETCH_MAX_WAIT_MS }, {
      onFetched: (_partition, fetched) => {
        if (!this.stopped && fetched.records.length > 0) onRecords(fetched.records);
      },
      onRetriableFailure: () => undefined,
      onFetchSucceeded: () => undefined,
      onFatal: (error) => {
        if (!this.stopped) onError(error);
      },
    });
    this.loop = loop;
    loop.assign(positions);
    for (const p of positions) loop.seek(p, p.offset);
    loop.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.loop?.stop();
    await this.client?.close(false).catch(() => undefined);
  }
}
