import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { ClickStreamTopics, PageStats } from '../../examples/click-stream.js';
import { Serdes } from '../../src/index.js';

/** The newest value per key of each output topic, as a read_committed reader sees them. */
export interface LatestResults {
  readonly clicksPerUser: Map<string, number>;
  readonly pageStats: Map<string, PageStats>;
  rejected: number;
}

/**
 * Follows the application's output topics from their start, read_committed, so it only ever sees what an
 * exactly-once transaction committed. Calls `onUpdate` after every batch, and settles `until(...)` waits.
 */
export class ResultsReader {
  readonly latest: LatestResults = { clicksPerUser: new Map(), pageStats: new Map(), rejected: 0 };
  private readonly consumer: Consumer;
  private readonly waits: Array<{ done: (results: LatestResults) => boolean; resolve: () => void }> = [];
  private readonly crashed: Promise<never>;

  constructor(kafka: Kafka, groupId: string, private readonly topics: ClickStreamTopics, private readonly onUpdate: () => void) {
    // kafkajs' defaults (3 s heartbeats, 5 s long polls) would make a small local demo wait for nothing.
    this.consumer = kafka.consumer({ groupId, readUncommitted: false, heartbeatInterval: 500, sessionTimeout: 10_000, rebalanceTimeout: 10_000, maxWaitTimeInMs: 100 });
    this.crashed = new Promise<never>((_resolve, reject) => {
      this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
        if (!payload.restart) reject(new Error(`the results reader crashed: ${payload.error.message}`));
      });
    });
    this.crashed.catch(() => undefined);
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    const { clicks: _input, ...outputs } = this.topics;
    await this.consumer.subscribe({ topics: Object.values(outputs), fromBeginning: true });
    await this.consumer.run({ eachBatch: (payload) => this.accept(payload) });
  }

  /** Resolves once `done` holds for what was read; rejects if the reader crashes for good. */
  until(done: (results: LatestResults) => boolean): Promise<void> {
    if (done(this.latest)) return Promise.resolve();
    const reached = new Promise<void>((resolve) => this.waits.push({ done, resolve }));
    return Promise.race([reached, this.crashed]);
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }

  private async accept({ batch }: EachBatchPayload): Promise<void> {
    for (const message of batch.messages) {
      const key = message.key?.toString() ?? '';
      if (batch.topic === this.topics.rejected) this.latest.rejected++;
      else if (batch.topic === this.topics.clicksPerUser) setOrDelete(this.latest.clicksPerUser, key, Serdes.Long().deserialize(batch.topic, message.value));
      else if (batch.topic === this.topics.pageStats) setOrDelete(this.latest.pageStats, key, Serdes.Json<PageStats>().deserialize(batch.topic, message.value));
    }
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
