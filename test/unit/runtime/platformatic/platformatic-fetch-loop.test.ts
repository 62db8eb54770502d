import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NetworkError, ProtocolError, ResponseError, type ClusterMetadata, type Consumer, type fetchV17, type RecordsBatch } from '@platformatic/kafka';
import { topicPartitionKey } from '../../../../src/state/changelog.js';
import { PlatformaticFetchLoop, type PartitionFetch } from '../../../../src/runtime/platformatic/platformatic-fetch-loop.js';
import { batch } from './record-batches.js';

const TOPIC = 'input';
const TOPIC_ID = 'input-id';

interface PendingFetch {
  readonly offsets: Map<number, bigint>;
  answer(partitions: Array<{ partition: number; batches?: RecordsBatch[]; errorCode?: number }>): void;
  /** Fails the whole fetch, as a broker that went away does. */
  fail(error: unknown): void;
}

/** A consumer whose fetches wait until the test answers them; partitions 0 and 1 of one topic on broker 1. */
function fakeConsumer(logStart = 0n) {
  const fetches: PendingFetch[] = [];
  const metadata: ClusterMetadata = {
    id: 'cluster',
    brokers: new Map([[1, { host: 'localhost', port: 9092, rack: null }]]),
    controllerId: 1,
    lastUpdate: Date.now(),
    topics: new Map([[TOPIC, { id: TOPIC_ID, partitionsCount: 2, lastUpdate: Date.now(), partitions: [0, 1].map(() => ({ leader: 1, leaderEpoch: 0, replicas: [1], isr: [1], offlineReplicas: [] })) }]]),
  };
  const consumer = {
    metadata: async () => metadata,
    listOffsets: async () => new Map([[TOPIC, [logStart, logStart]]]),
    fetch: (options: { topics: fetchV17.FetchRequestTopic[] }, callback: (error: unknown, response?: fetchV17.FetchResponse) => void) => {
      const offsets = new Map(options.topics[0]!.partitions.map((p) => [p.partition, p.fetchOffset]));
      fetches.push({
        offsets,
        fail: (error) => callback(error),
        answer: (partitions) => {
          const response: fetchV17.FetchResponse = {
            throttleTimeMs: 0,
            errorCode: 0,
            sessionId: 0,
            responses: [{ topicId: TOPIC_ID, partitions: partitions.map(({ partition, batches = [], errorCode = 0 }) => ({ partitionIndex: partition, errorCode, highWatermark: 100n, lastStableOffset: 100n, logStartOffset: -1n, abortedTransactions: null, preferredReadReplica: -1, records: batches })) }],
          };
          const failed = partitions.filter((p) => (p.errorCode ?? 0) !== 0);
          if (failed.length === 0) callback(null, response);
          else callback(new ResponseError(1, 17, Object.fromEntries(failed.map((p) => [`/responses/0/partitions/${p.partition}`, [p.errorCode!, null]])), response));
        },
      });
    },
  };
  return { consumer: consumer as unknown as Consumer, fetches };
}

async function until(what: string, condition: () => boolean, timeoutMs = 1_000): Promise<void> {
  for (let i = 0; i < timeoutMs / 5 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(condition(), `timed out waiting for ${what}`);
}

function loopOver(consumer: Consumer) {
  const fetched: Array<{ partition: number } & PartitionFetch> = [];
  const fatal: unknown[] = [];
  const loop = new PlatformaticFetchLoop(consumer, { readCommitted: true, maxWaitMs: 10 }, {
    onFetched: (partition, fetch) => fetched.push({ partition: partition.partition, ...fetch }),
    onRetriableFailure: () => undefined,
    onFetchSucceeded: () => undefined,
    onFatal: (error) => fatal.push(error),
  });
  return { loop, fetched, fatal, offsetsOf: (p: number) => fetched.filter((f) => f.partition === p).flatMap((f) => f.records.map((r) => r.offset)) };
}

const partitions = [0, 1].map((partition) => ({ topic: TOPIC, partition }));

describe('PlatformaticFetchLoop', () => {
  it('fetches from the sought positions, then from past what each answer returned', async () => {
    const { consumer, fetches } = fakeConsumer();
    const { loop, offsetsOf } = loopOver(consumer);
    loop.assign(partitions);
    loop.seek(partitions[0]!, 3);
    loop.seek(partitions[1]!, 7);
    loop.start();
    await until('the first fetch', () => fetches.length === 1);
    assert.deepEqual([...fetches[0]!.offsets], [[0, 3n], [1, 7n]]);
    fetches[0]!.answer([{ partition: 0, batches: [batch(3, -1, 'plain', 2)] }, { partition: 1, batches: [] }]);
    await until('the second fetch', () => fetches.length === 2);
    assert.deepEqual([...fetches[1]!.offsets], [[0, 5n], [1, 7n]]);
    assert.deepEqual(offsetsOf(0), [3, 4]);
    loop.stop();
  });

  it('drops an answer for a partition sought or paused while the fetch was in flight, and fetches no paused partition', async () => {
    const { consumer, fetches } = fakeConsumer();
    const { loop, offsetsOf } = loopOver(consumer);
    loop.assign(partitions);
    loop.seek(partitions[0]!, 0);
    loop.seek(partitions[1]!, 0);
    loop.start();
    await until('the first fetch', () => fetches.length === 1);
    loop.seek(partitions[0]!, 10);
    loop.pause([partitions[1]!]);
    fetches[0]!.answer([{ partition: 0, batches: [batch(0, -1, 'plain')] }, { partition: 1, batches: [batch(0, -1, 'plain')] }]);
    await until('the next fetch', () => fetches.length === 2);
    assert.deepEqual([...fetches[1]!.offsets], [[0, 10n]], 'only the unpaused partition, from where it was sought');
    assert.deepEqual([offsetsOf(0), offsetsOf(1)], [[], []]);
    loop.resume([partitions[1]!]);
    fetches[1]!.answer([]);
    await until('a fetch with both', () => fetches.length === 3);
    assert.deepEqual([...fetches[2]!.offsets], [[0, 10n], [1, 0n]]);
    loop.stop();
  });

  it('restarts a partition outside the log at the log start, and starts one without a position there', async () => {
    const { consumer, fetches } = fakeConsumer(4n);
    const { loop } = loopOver(consumer);
    loop.assign(partitions);
    loop.seek(partitions[0]!, 50);
    loop.start();
    await until('the first fetch', () => fetches.length === 1);
    assert.deepEqual([...fetches[0]!.offsets], [[0, 50n]]);
    fetches[0]!.answer([{ partition: 0, errorCode: new ProtocolError('OFFSET_OUT_OF_RANGE').apiCode as number }]);
    // Each partition restarts on its own (one looks its log start up while the other is fetched): answer empty until both go together.
    let answered = 1;
    await until('a fetch of both from the log start', () => {
      if (fetches.length > answered && fetches.at(-1)!.offsets.size < 2) fetches[answered++]!.answer([]);
      return fetches.length > 1 && fetches.at(-1)!.offsets.size === 2;
    });
    assert.deepEqual([...fetches.at(-1)!.offsets], [[0, 4n], [1, 4n]]);
    loop.stop();
  });

  it('fetches again once every backoff is over, also when a broker’s backoff ends before the global one', async () => {
    const { consumer, fetches } = fakeConsumer();
    let lookups = 0;
    const retriable: unknown[] = [];
    const loop = new PlatformaticFetchLoop(consumer, {
      readCommitted: true,
      maxWaitMs: 10,
      // The first two look-ups fail as during an outage: the global backoff grows to its second step.
      startOffsets: async (wanted) => {
        if (++lookups <= 2) throw new NetworkError('Connection refused');
        return new Map(wanted.map((p) => [topicPartitionKey(p.topic, p.partition), 0]));
      },
    }, {
      onFetched: () => undefined,
      onRetriableFailure: (error) => retriable.push(error),
      onFetchSucceeded: () => undefined,
      onFatal: (error) => assert.fail(`no failure is fatal here: ${String(error)}`),
    });
    loop.assign(partitions);
    loop.seek(partitions[0]!, 0);
    loop.start();
    await until('the fetch of the partition with a position', () => fetches.length === 1);
    await until('the second failed look-up', () => lookups === 2, 5_000);
    // The broker's first backoff step now ends before the global second one.
    fetches[0]!.fail(new NetworkError('Connection reset'));
    await until('a fetch after both backoffs', () => fetches.length === 2, 15_000);
    assert.equal(fetches[1]!.offsets.get(0), 0n, 'the partition goes on from where its failed fetch was');
    assert.equal(retriable.length, 3);
    loop.stop();
  });

  it('stops and reports the handler’s error when it throws', async () => {
    const { consumer, fetches } = fakeConsumer();
    const broken = new Error('buffer full');
    const loop = new PlatformaticFetchLoop(consumer, { readCommitted: true, maxWaitMs: 10 }, {
      onFetched: () => {
        throw broken;
      },
      onRetriableFailure: () => undefined,
      onFetchSucceeded: () => undefined,
      onFatal: (error) => fatal.push(error),
    });
    const fatal: unknown[] = [];
    loop.assign([partitions[0]!]);
    loop.seek(partitions[0]!, 0);
    loop.start();
    await until('the fetch', () => fetches.length === 1);
    fetches[0]!.answer([{ partition: 0, batches: [batch(0, -1, 'plain')] }]);
    await until('the failure', () => fatal.length === 1);
    assert.equal(fatal[0], broken);
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(fetches.length, 1, 'no fetch after the failure');
  });
});
