import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamsError } from '../../../../src/core/errors.js';
import { Serdes } from '../../../../src/core/serdes.js';
import { resolveStreamsConfig } from '../../../../src/runtime/app/streams-config.js';
import type { KafkaAdmin, TopicSpec } from '../../../../src/runtime/client/kafka-client.js';
import { silentLogger } from '../../../../src/processing/task-logger.js';
import { prepareTopics } from '../../../../src/runtime/topics/prepare-topics.js';
import { Topology } from '../../../../src/topology/topology.js';

const strings = { keySerde: Serdes.String(), valueSerde: Serdes.String() };

/** An admin over a fixed set of topics, recording what it is asked to create. */
function fakeAdmin(existing: { [topic: string]: number }) {
  const created: TopicSpec[] = [];
  const admin = {
    partitionCounts: async (topics: readonly string[]) => new Map(topics.map((t) => [t, existing[t] ?? created.find((c) => c.name === t)?.partitions])),
    createTopics: async (specs: readonly TopicSpec[]) => void created.push(...specs),
  } as unknown as KafkaAdmin;
  return { admin, created };
}

const config = (overrides: object = {}) => resolveStreamsConfig({ applicationId: 'app', bootstrapServers: 'b:1', logger: silentLogger, ...overrides });

test('a sink topic that does not exist fails the start with MISSING_SINK_TOPIC naming it, before anything is created', async () => {
  const topology = new Topology().addSource('in', 'orders', strings).addSink('out', 'orders-enriched', strings, 'in').addSink('audit', 'audit', strings, 'in');
  const { admin, created } = fakeAdmin({ orders: 3, audit: 1 });
  await assert.rejects(prepareTopics(admin, topology.build(), config()), (error: unknown) => {
    return error instanceof StreamsError && error.code === 'MISSING_SINK_TOPIC' && error.coordinates.topic === 'orders-enriched' && !error.message.includes('audit');
  });
  assert.deepEqual(created, []);
});

test('a missing source topic is reported first; existing sinks, a sink with a topic extractor and internal sinks pass', async () => {
  const topology = new Topology()
    .addSource('in', 'orders', strings)
    .addSink('out', 'orders-enriched', strings, 'in')
    .addSink('routed', (key: unknown) => `orders-${String(key)}`, strings, 'in')
    .addSink('to-rekeyed', 'rekeyed', { ...strings, internal: true }, 'in')
    .addSource('rekeyed-in', 'rekeyed', { ...strings, internal: true });
  await assert.rejects(prepareTopics(fakeAdmin({}).admin, topology.build(), config()), (error: unknown) => error instanceof StreamsError && error.code === 'MISSING_SOURCE_TOPIC');
  const { admin, created } = fakeAdmin({ orders: 2, 'orders-enriched': 1 });
  const prepared = await prepareTopics(admin, topology.build(), config());
  assert.deepEqual(created.map((t) => t.name), ['app-rekeyed']);
  assert.equal(prepared.partitionCounts.get('orders-enriched'), 1);
});

test('a sink writing the dead-letter topic is fine: that topic is created when missing', async () => {
  const topology = new Topology().addSource('in', 'orders', strings).addSink('out', 'orders-dlt', strings, 'in');
  const { admin, created } = fakeAdmin({ orders: 1 });
  await prepareTopics(admin, topology.build(), config({ deadLetterTopic: 'orders-dlt' }));
  assert.deepEqual(created.map((t) => t.name), ['orders-dlt']);
});

test('an existing internal topic with another partition count than the topology needs fails the start with INTERNAL_TOPIC_MISMATCH', async () => {
  const topology = new Topology()
    .addSource('in', 'orders', strings)
    .addSink('to-rekeyed', 'rekeyed', { ...strings, internal: true }, 'in')
    .addSource('rekeyed-in', 'rekeyed', { ...strings, internal: true });
  await assert.rejects(prepareTopics(fakeAdmin({ orders: 2, 'app-rekeyed': 3 }).admin, topology.build(), config()), (error: unknown) => {
    return error instanceof StreamsError && error.code === 'INTERNAL_TOPIC_MISMATCH' && error.coordinates.topic === 'app-rekeyed' && /has 3 partitions, the topology needs 2/.test(error.message);
  });
  await prepareTopics(fakeAdmin({ orders: 2, 'app-rekeyed': 2 }).admin, topology.build(), config());
});
