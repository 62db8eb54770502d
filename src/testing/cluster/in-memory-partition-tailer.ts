import type { PartitionTailer, TailPosition } from '../../runtime/client/kafka-client.js';
import type { RawRecord } from '../../processing/raw-record.js';
import type { ClusterBackend } from './cluster-backend.js';
import { KafkaError, toBrokerFailure } from './kafka-error.js';
import { FETCH_MAX_RECORDS, retryAfter } from './log-fetch.js';
import { SerialFetches } from './serial-fetches.js';

/** Global stores' reader: every partition from its position on, read_committed, without end, until `stop()`. */
export class InMemoryPartitionTailer implements PartitionTailer {
  private positions: Array<{ position: TailPosition; next: number }> = [];
  private readonly fetches = new SerialFetches(() => !this.stopped, () => this.fetch());
  private stopped = false;
  private started = false;
  private unsubscribe: () => void = () => undefined;
  private onRecords: (records: readonly RawRecord[]) => void = () => undefined;
  private onError: (error: unknown) => void = () => undefined;

  constructor(
    private readonly cluster: ClusterBackend,
    private readonly client: string,
  ) {}

  async start(positions: readonly TailPosition[], onRecords: (records: readonly RawRecord[]) => void, onError: (error: unknown) => void): Promise<void> {
    if (this.started) throw new Error('the partition tailer is started already');
    this.started = true;
    this.positions = positions.map((position) => ({ position, next: position.offset }));
    this.onRecords = onRecords;
    this.onError = onError;
    try {
      await this.cluster.operate({ kind: 'connect', client: this.client }, () => undefined);
    } catch (error) {
      throw toBrokerFailure('connecting the global tailer', error);
    }
    this.unsubscribe = this.cluster.onChange(() => this.schedule());
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
  }

  private schedule(): void {
    this.fetches.schedule();
  }

  private async fetch(): Promise<boolean> {
    if (this.stopped) return false;
    const wanted = this.positions.map(({ position, next }) => ({ topic: position.topic, partition: position.partition, from: next }));
    let batches: Array<{ records: RawRecord[]; next: number }>;
    try {
      batches = await this.cluster.operate({ kind: 'fetch', client: this.client, partitions: wanted }, () =>
        wanted.map((p) => this.cluster.topics.log(p).read(p.from, 'read_committed', FETCH_MAX_RECORDS)),
      );
    } catch (error) {
      if (error instanceof KafkaError && error.retriable) retryAfter(() => this.schedule());
      else this.fail(toBrokerFailure('tailing global topics', error));
      return false;
    }
    let progressed = false;
    for (const [i, { records, next }] of batches.entries()) {
      if (this.stopped) return false;
      const entry = this.positions[i]!;
      if (next > entry.next) progressed = true;
      entry.next = next;
      try {
        if (records.length > 0) this.onRecords(records);
      } catch (error) {
        this.fail(error);
        return false;
      }
    }
    return progressed;
  }

  private fail(error: unknown): void {
    if (this.stopped) return;
    void this.stop();
    this.onError(error);
  }
}
