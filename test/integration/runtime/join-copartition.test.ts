import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaStreams, Serdes, StreamsError, Topology } from '../../../src/index.js';
import { kafka, uniqueName } from '../support/broker.js';
import { awaitState, deleteTopics, removeDir, streamsConfig, tempStateDir } from '../streams/streams-support.js';

const strings = { keySerde: Serdes.String(), valueSerde: Serdes.String() };
const noop = () => ({ process: () => undefined });

/**
 * Co-partitioning at start-up, with the group declared through the Processor API (`copartitionSources`, what the
 * join DSL declares). A join-based version of these tests belongs with the join operations.
 */
async function withTopics(prefix: string, partitions: readonly number[], body: (applicationId: string, stateDir: string, topics: string[]) => Promise<void>): Promise<void> {
  const client = kafka();
  const applicationId = uniqueName(`${prefix}-app`);
  const topics = partitions.map((_, i) => uniqueName(`${prefix}-${i}`));
  const stateDir = tempStateDir();
  const admin = client.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: topics.map((topic, i) => ({ topic, numPartitions: partitions[i]! })), waitForLeaders: true });
    await body(applicationId, stateDir, topics);
  } finally {
    await admin.disconnect();
    await deleteTopics(client, { prefix: applicationId, names: topics });
    removeDir(stateDir);
  }
}

test('joined topics with 3 and 4 partitions fail start() with COPARTITIONING_MISMATCH naming both counts', () =>
  withTopics('copart-mismatch', [3, 4], async (applicationId, stateDir, [left, right]) => {
    const topology = new Topology()
      .addSource('left-in', left!, strings)
      .addSource('right-in', right!, strings)
      .addProcessor('join', noop, 'left-in', 'right-in')
      .copartitionSources('left-in', 'right-in');
    const streams = new KafkaStreams(topology, streamsConfig(applicationId, stateDir));
    try {
      await assert.rejects(streams.start(), (error: unknown) => {
        assert.ok(error instanceof StreamsError && error.code === 'COPARTITIONING_MISMATCH', String(error));
        const [first, second] = [left!, right!].sort();
        assert.ok(error.message.includes(`${first} (${first === left ? 3 : 4}), ${second} (${second === left ? 3 : 4})`), error.message);
        return true;
      });
      assert.equal(streams.state(), 'ERROR');
    } finally {
      await streams.close();
    }
  }));

test('a repartition topic joined with a 3-partition topic is created with 3 partitions, though its writer reads 8', () =>
  withTopics('copart-repartition', [3, 8], async (applicationId, stateDir, [orders, customers]) => {
    const topology = new Topology()
      .addSource('customers-in', customers!, strings)
      .addSink('to-rekeyed', 'rekeyed-repartition', { ...strings, internal: true }, 'customers-in')
      .addSource('orders-in', orders!, strings)
      .addSource('rekeyed-in', 'rekeyed-repartition', { ...strings, internal: true })
      .addProcessor('join', noop, 'orders-in', 'rekeyed-in')
      .copartitionSources('orders-in', 'rekeyed-in');
    const streams = new KafkaStreams(topology, streamsConfig(applicationId, stateDir));
    const admin = kafka().admin();
    await admin.connect();
    try {
      await streams.start();
      await awaitState(streams, 'RUNNING');
      const topic = `${applicationId}-rekeyed-repartition`;
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      assert.equal(topics[0]!.partitions.length, 3);
    } finally {
      await admin.disconnect();
      await streams.close();
    }
  }));
