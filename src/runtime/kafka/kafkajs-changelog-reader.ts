import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { ChangelogReader, ChangelogReadRequest } from '../client/kafka-client.js';
import type { RawRecord } from '../../processing/raw-record.js';
import { topicPartitionKey } from '../../state/changelog.js';
import { brokerFailure, classifyBrokerFailures } from './kafkajs-errors.js';
import { toRawRecord } from './kafkajs-records.js';

/**
 * kafkajs has no group-less consumer, so a restoration reads through a throwaway group of one member: on joining it
 * pauses every partition it was not asked for and seeks the others to their start. The position of a partition
 * advances past transaction markers and aborted records too (kafkajs reports those batches only as events), so a
 * read ending on a commit marker still completes. The group is deleted afterwards.
 *
 * A crash of the reading consumer ends the read with a `BrokerFailure` (retriable when the broker was down or
 * moving), instead of letting kafkajs restart it: the task manager retries the restoration with backoff, within its
 * task timeout, and it resumes from what was committed to SQLite batch by batch.
 */
export class KafkajsChangelogReader implements ChangelogReader {
  constructor(
    private readonly kafka: Kafka,
    private readonly clientId: string,
  ) {}

  async read(requests: readonly ChangelogReadRequest[], onRecords: (records: readonly RawRecord[]) => void, signal?: AbortSignal): Promise<void> {
    const wanted = new Map(requests.filter((r) => r.from < r.to).map((r) => [topicPartitionKey(r.topic, r.partition), r]));
    if (wanted.size === 0) return;
    signal?.throwIfAborted();
    const groupId = `${this.clientId}-restore-${randomUUID()}`;
    const consumer = this.kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 100, heartbeatInterval: 500, sessionTimeout: 10_000 });
    const progress = new ReadProgress(wanted);
    const interrupt = (): void => progress.finish(signal?.reason ?? new Error('restoration interrupted'));
    signal?.addEventListener('abort', interrupt, { once: true });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      for (const [topic, partitions] of Object.entries(payload.memberAssignment)) {
        for (const partition of partitions as number[]) {
          const request = wanted.get(topicPartitionKey(topic, partition));
          if (request === undefined) consumer.pause([{ topic, partitions: [partition] }]);
          else consumer.seek({ topic, partition, offset: String(progress.position(topicPartitionKey(topic, partition))) });
        }
      }
    });
    // Batches of only markers or aborted records never reach eachBatch: their event is the only sign of progress.
    consumer.on(consumer.events.START_BATCH_PROCESS, ({ payload }) => {
      if (payload.batchSize === 0) progress.advance(payload.topic, payload.partition, Number(payload.lastOffset) + 1, Number(payload.highWatermark));
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => progress.finish(brokerFailure('reading the changelog', payload.error)));
    try {
      await classifyBrokerFailures('connecting the changelog reader', () => consumer.connect());
      const topics = [...new Set(requests.map((r) => r.topic))];
      if (!progress.done) await classifyBrokerFailures('subscribing the changelog reader', () => consumer.subscribe({ topics, fromBeginning: true }));
      if (!progress.done) await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const request = wanted.get(topicPartitionKey(batch.topic, batch.partition));
          if (request === undefined || progress.done) return;
          const records = batch.messages
            .map((m) => toRawRecord(batch.topic, batch.partition, m))
            .filter((r) => r.offset >= request.from && r.offset < request.to);
          // A throwing eachBatch makes kafkajs restart the consumer and fetch the batch again, forever.
          try {
            if (records.length > 0) onRecords(records);
          } catch (error) {
            progress.finish(error);
            return;
          }
          progress.advance(batch.topic, batch.partition, Number(batch.lastOffset()) + 1, Number(batch.highWatermark));
        },
      });
      await progress.finished;
    } finally {
      signal?.removeEventListener('abort', interrupt);
      await consumer.disconnect().catch(() => undefined);
      await this.deleteGroup(groupId);
    }
  }

  private async deleteGroup(groupId: string): Promise<void> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      await admin.deleteGroups([groupId]);
    } catch {
      // An empty group without offsets expires on its own; failing to delete it early costs nothing.
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}

/** Where one read stands: each requested partition's position, and a promise settled when all are read or it fails. */
class ReadProgress {
  readonly finished: Promise<void>;
  done = false;
  private readonly positions: Map<string, number>;
  private settle: (error?: unknown) => void = () => undefined;

  constructor(private readonly wanted: ReadonlyMap<string, ChangelogReadRequest>) {
    this.positions = new Map([...wanted].map(([key, r]) => [key, r.from]));
    this.finished = new Promise<void>((resolve, reject) => (this.settle = (error) => (error === undefined ? resolve() : reject(error))));
    // It may reject before the read awaits it; this keeps that from counting as an unhandled rejection.
    this.finished.catch(() => undefined);
  }

  position(key: string): number | undefined {
    return this.positions.get(key);
  }

  finish(error?: unknown): void {
    this.done = true;
    this.settle(error);
  }

  advance(topic: string, partition: number, nextOffset: number, highWatermark: number): void {
    const key = topicPartitionKey(topic, partition);
    const request = this.wanted.get(key);
    if (request === undefined) return;
    this.positions.set(key, Math.max(this.positions.get(key)!, nextOffset, Math.min(request.to, highWatermark) <= nextOffset ? request.to : 0));
    if ([...this.wanted].every(([k, r]) => this.positions.get(k)! >= r.to)) this.finish();
  }
}
