import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamsError, TopologyError } from '../../../../src/core/errors.js';
import { Serdes } from '../../../../src/core/serdes.js';
import { planInternalTopics, subtopologyPartitionCounts } from '../../../../src/runtime/topics/internal-topics.js';
import { Stores } from '../../../../src/state/stores.js';
import { StreamsBuilder } from '../../../../src/topology/dsl/streams-builder.js';
import { Topology } from '../../../../src/topology/topology.js';

const strings = { keySerde: Serdes.String(), valueSerde: Serdes.String() };

function wordCount() {
  const builder = new StreamsBuilder();
  builder.stream('lines', strings).flatMapValues((l) => l.split(' ')).groupBy((_k, w) => w, strings).count({ storeName: 'counts' });
  return builder.build().build();
}

function isError(code: string) {
  return (error: unknown) => error instanceof StreamsError && error.code === code;
}

test('a repartition topic takes the largest partition count of its writer\'s sources; changelogs follow their sub-topology', () => {
  const topology = wordCount();
  const [repartition] = topology.internalTopics;
  const plan = planInternalTopics(topology, 'app', new Map([['lines', 6]]));
  assert.deepEqual(plan, [
    { name: `app-${repartition!.name}`, partitions: 6, config: { 'cleanup.policy': 'delete' } },
    { name: 'app-counts-changelog', partitions: 6, config: { 'cleanup.policy': 'compact' } },
  ]);
});

test('a sink\'s partitions option sets its repartition topic\'s count, and the changelog downstream follows it', () => {
  const store = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('totals'), Serdes.String(), Serdes.String()).withLoggingEnabled({ 'retention.ms': '1000' });
  const topology = new Topology()
    .addSource('in', 'orders', strings)
    .addSink('to-rekeyed', 'rekeyed', { ...strings, internal: true, partitions: 4 }, 'in')
    .addSource('rekeyed-in', 'rekeyed', { ...strings, internal: true })
    .addProcessor('sum', () => ({ process: () => undefined }), 'rekeyed-in')
    .addStateStore(store, 'sum')
    .build();
  const plan = planInternalTopics(topology, 'shop', new Map([['orders', 2]]));
  assert.deepEqual(plan, [
    { name: 'shop-rekeyed', partitions: 4, config: { 'cleanup.policy': 'delete' } },
    { name: 'shop-totals-changelog', partitions: 4, config: { 'retention.ms': '1000', 'cleanup.policy': 'compact' } },
  ]);
});

test('a window store keeps its own changelog cleanup policy and retention', () => {
  const store = Stores.windowStoreBuilder(Stores.persistentWindowStore('per-minute', 3_600_000, 60_000), Serdes.String(), Serdes.Long());
  const topology = new Topology()
    .addSource('in', 'clicks', strings)
    .addProcessor('count', () => ({ process: () => undefined }), 'in')
    .addStateStore(store, 'count')
    .build();
  const [changelog] = planInternalTopics(topology, 'app', new Map([['clicks', 3]]));
  assert.equal(changelog?.config['cleanup.policy'], 'compact,delete');
  assert.equal(changelog?.config['retention.ms'], String(3_600_000 + 86_400_000));
});

test('chained repartition topics are resolved upstream first', () => {
  const topology = new Topology()
    .addSource('in', 'raw', strings)
    .addSink('first-out', 'first', { internal: true }, 'in')
    .addSource('first-in', 'first', { internal: true })
    .addSink('second-out', 'second', { internal: true }, 'first-in')
    .addSource('second-in', 'second', { internal: true })
    .addProcessor('end', () => ({ process: () => undefined }), 'second-in')
    .build();
  const plan = planInternalTopics(topology, 'a', new Map([['raw', 3]]));
  assert.deepEqual(plan.map((t) => [t.name, t.partitions]), [['a-first', 3], ['a-second', 3]]);
});

test('a repartition topic whose count depends on itself cannot be sized', () => {
  const topology = new Topology()
    .addSource('loop-in', 'loop', { internal: true })
    .addSink('loop-out', 'loop', { internal: true }, 'loop-in')
    .build();
  assert.throws(() => planInternalTopics(topology, 'a', new Map()), TopologyError);
});

test('missing source topics are named in a MISSING_SOURCE_TOPIC error', () => {
  assert.throws(() => planInternalTopics(wordCount(), 'app', new Map([['lines', undefined]])), (error: unknown) => isError('MISSING_SOURCE_TOPIC')(error) && String(error).includes('lines'));
});

test('source topics of one sub-topology must have equal partition counts', () => {
  const topology = new Topology().addSource('both', ['left', 'right']).addProcessor('p', () => ({ process: () => undefined }), 'both').build();
  assert.throws(() => subtopologyPartitionCounts(topology, 'a', new Map([['left', 2], ['right', 3]])), isError('COPARTITIONING_MISMATCH'));
  assert.deepEqual(subtopologyPartitionCounts(topology, 'a', new Map([['left', 3], ['right', 3]])), new Map([[0, 3]]));
});
