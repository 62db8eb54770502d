import type { ClickStreamTopics, PageStats } from '../../examples/click-stream.js';
import { Serdes } from '../../src/index.js';
import { FollowingReader, type ReadRecord } from '../committed-reader/committed-reader.js';

/** The newest value per key of each output topic, as a read_committed reader sees them. */
export interface LatestResults {
  readonly clicksPerUser: Map<string, number>;
  readonly pageStats: Map<string, PageStats>;
  rejected: number;
}

/**
 * Follows the application's output topics from their start, read_committed, with Kafka's own Java consumer
 * (`scripts/committed-reader`), so it only ever sees what an exactly-once transaction committed, whatever the Node
 * client kstreams runs on. Calls `onUpdate` after every record, and settles `until(...)` waits.
 */
export class ResultsReader {
  readonly latest: LatestResults = { clicksPerUser: new Map(), pageStats: new Map(), rejected: 0 };
  private reader: FollowingReader | null = null;
  private readonly waits: Array<{ done: (results: LatestResults) => boolean; resolve: () => void }> = [];

  constructor(private readonly brokers: string, private readonly topics: ClickStreamTopics, private readonly onUpdate: () => void) {}

  start(): void {
    const { clicks: _input, ...outputs } = this.topics;
    this.reader = new FollowingReader(this.brokers, Object.values(outputs), (record) => this.accept(record));
  }

  /** Resolves once `done` holds for what was read; rejects if the reader exits. */
  until(done: (results: LatestResults) => boolean): Promise<void> {
    if (done(this.latest)) return Promise.resolve();
    const reached = new Promise<void>((resolve) => this.waits.push({ done, resolve }));
    return this.reader === null ? reached : Promise.race([reached, this.reader.failed]);
  }

  async stop(): Promise<void> {
    await this.reader?.close();
  }

  private accept({ topic, key: rawKey, value }: ReadRecord): void {
    const key = rawKey?.toString() ?? '';
    if (topic === this.topics.rejected) this.latest.rejected++;
    else if (topic === this.topics.clicksPerUser) setOrDelete(this.latest.clicksPerUser, key, Serdes.Long().deserialize(topic, value));
    else if (topic === this.topics.pageStats) setOrDelete(this.latest.pageStats, key, Serdes.Json<PageStats>().deserialize(topic, value));
    this.onUpdate();
    for (let i = this.waits.length - 1; i >= 0; i--) {
      const wait = this.waits[i]!;
      if (wait.done(this.latest)) {
        this.waits.splice(i, 1);
        wait.resolve();
      }
    }
  }
}

/** A null value is a tombstone: the key is gone. */
function setOrDelete<V>(map: Map<string, V>, key: string, value: V | null): void {
  if (value === null) map.delete(key);
  else map.set(key, value);
}
