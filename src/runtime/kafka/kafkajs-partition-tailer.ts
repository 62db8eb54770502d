import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import type { PartitionTailer, TailPosition } from '../client/kafka-client.js';
import type { RawRecord } from '../../processing/raw-record.js';
import { topicPartitionKey } from '../../state/changelog.js';
import { brokerFailure, classifyBrokerFailures, isRetriableKafkaError } from './kafkajs-errors.js';
import { toRawRecord } from './kafkajs-records.js';

/** Backoff between restarts of a crashed tailer that kafkajs gave up on: doubling from the first to the max. */
const RESTART_BACKOFF_MS = { first: 500, max: 10_000 } as const;

/**
 * kafkajs has no group-less consumer, so a tailer reads through a throwaway group of one member, as the changelog
 * reader does: on every join it pauses the partitions it was not asked for and seeks the others to the next offset
 * it has not handed over yet. So a rejoin after a broker outage resumes where reading stopped, whatever kafkajs
 * fetched meanwhile. The group commits nothing and is deleted on `stop()`.
 */
export class KafkajsPartitionTailer implements PartitionTailer {
  private consumer: Consumer | null = null;
  private groupId = '';
  private readonly positions = new Map<string, number>();
  private restartTimer: NodeJS.Timeout | undefined;
  private restarts = 0;
  private stopped = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly clientId: string,
  ) {}

  async start(positions: readonly TailPosition[], onRecords: (records: readonly RawRecord[]) => void, onError: (error: unknown) => void): Promise<void> {
    if (this.consumer !== null) throw new Error('the partition tailer is started already');
    for (const p of positions) this.positions.set(topicPartitionKey(p.topic, p.partition), p.offset);
    this.groupId = `${this.clientId}-global-${randomUUID()}`;
    const consumer = this.kafka.consumer({ groupId: this.groupId, readUncommitted: false, maxWaitTimeInMs: 100, heartbeatInterval: 500, sessionTimeout: 10_000 });
    this.consumer = consumer;
    let failed = false;
    const fail = (error: unknown): void => {
      if (failed || this.stopped) return;
      failed = true;
      onError(error);
    };
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.restarts = 0;
      for (const [topic, partitions] of Object.entries(payload.memberAssignment)) {
        for (const partition of partitions as number[]) {
          const offset = this.positions.get(topicPartitionKey(topic, partition));
          if (offset === undefined) consumer.pause([{ topic, partitions: [partition] }]);
          else consumer.seek({ topic, partition, offset: String(offset) });
        }
      }
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (this.stopped || payload.restart) return;
      if (isRetriableKafkaError(payload.error)) this.scheduleRestart(run, fail);
      else fail(brokerFailure('tailing global topics', payload.error));
    });
    const run = (): Promise<void> =>
      consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const key = topicPartitionKey(batch.topic, batch.partition);
          const from = this.positions.get(key);
          if (from === undefined || this.stopped || failed) return;
          const records = batch.messages.map((m) => toRawRecord(batch.topic, batch.partition, m)).filter((r) => r.offset >= from);
          // A throwing eachBatch makes kafkajs restart the consumer and fetch the batch again, forever.
          try {
            if (records.length > 0) onRecords(records);
          } catch (error) {
            fail(error);
            return;
          }
          this.positions.set(key, Math.max(from, Number(batch.lastOffset()) + 1));
        },
      });
    await classifyBrokerFailures('connecting the global tailer', () => consumer.connect());
    await classifyBrokerFailures('subscribing the global tailer', () => consumer.subscribe({ topics: [...new Set(positions.map((p) => p.topic))], fromBeginning: true }));
    await run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    const consumer = this.consumer;
    if (consumer === null) return;
    await consumer.disconnect().catch(() => undefined);
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      await admin.deleteGroups([this.groupId]);
    } catch {
      // An empty group without offsets expires on its own; failing to delete it early costs nothing.
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /** kafkajs disconnected itself after a retriable crash it did not restart: connect and run again, with backoff. */
  private scheduleRestart(run: () => Promise<void>, fail: (error: unknown) => void): void {
    const delay = Math.min(RESTART_BACKOFF_MS.first * 2 ** this.restarts++, RESTART_BACKOFF_MS.max);
    this.restartTimer = setTimeout(() => {
      if (this.stopped) return;
      this.consumer!.connect()
        .then(run)
        .catch((error: unknown) => {
          if (this.stopped) return;
          if (isRetriableKafkaError(error)) this.scheduleRestart(run, fail);
          else fail(brokerFailure('restarting the global tailer', error));
        });
    }, delay);
  }
}
