import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamsError } from '../../../../src/core/errors.js';
import { Serdes } from '../../../../src/core/serdes.js';
import { enforceCopartitioning, type RepartitionCount } from '../../../../src/runtime/topics/copartition-enforcer.js';
import { planInternalTopics } from '../../../../src/runtime/topics/internal-topics.js';
import { Topology } from '../../../../src/topology/topology.js';
import { StreamsBuilder } from '../../../../src/topology/dsl/streams-builder.js';

const strings = { keySerde: Serdes.String(), valueSerde: Serdes.String() };
const noop = () => ({ process: () => undefined });

function repartitions(entries: Array<[string, number, boolean]>): Map<string, RepartitionCount> {
  return new Map(entries.map(([name, partitions, fixed]) => [name, { partitions, fixed }]));
}

function mismatch(...fragments: string[]) {
  return (error: unknown) => {
    assert.ok(error instanceof StreamsError, String(error));
    assert.equal(error.code, 'COPARTITIONING_MISMATCH');
    for (const fragment of fragments) assert.ok(error.message.includes(fragment), `${error.message} lacks ${fragment}`);
    return true;
  };
}

test('a repartition topic of a group takes the external topics\' count, even when its own writers have more', () => {
  const counts = enforceCopartitioning([['orders', 'app-rekeyed-repartition']], repartitions([['app-rekeyed-repartition', 8, false]]), new Map([['orders', 3]]));
  assert.deepEqual(counts, new Map([['app-rekeyed-repartition', 3]]));
});

test('external topics of a group with different counts fail, naming every topic with its count', () => {
  assert.throws(
    () => enforceCopartitioning([['right', 'left', 'app-x-repartition']], repartitions([['app-x-repartition', 2, false]]), new Map([['left', 3], ['right', 4]])),
    mismatch('left (3), right (4)'),
  );
});

test('a fixed repartition count that differs from the group\'s external count fails', () => {
  assert.throws(
    () => enforceCopartitioning([['orders', 'app-r-repartition']], repartitions([['app-r-repartition', 5, true]]), new Map([['orders', 3]])),
    mismatch('app-r-repartition has 5 partitions', 'orders (3)'),
  );
  assert.deepEqual(enforceCopartitioning([['orders', 'app-r-repartition']], repartitions([['app-r-repartition', 3, true]]), new Map([['orders', 3]])), new Map());
});

test('a group of repartition topics only takes the largest count, or their common fixed count', () => {
  const free = repartitions([['a', 2, false], ['b', 6, false]]);
  assert.deepEqual(enforceCopartitioning([['a', 'b']], free, new Map()), new Map([['a', 6], ['b', 6]]));
  const oneFixed = repartitions([['a', 2, true], ['b', 6, false]]);
  assert.deepEqual(enforceCopartitioning([['a', 'b']], oneFixed, new Map()), new Map([['b', 2]]));
  const disagreeing = repartitions([['a', 2, true], ['b', 6, true]]);
  assert.throws(() => enforceCopartitioning([['a', 'b']], disagreeing, new Map()), mismatch('a (2), b (6)'));
});

/** `orders` joined with `customers` re-keyed through a repartition topic, as the DSL declares a join. */
function joinThroughRepartition(fixedPartitions?: number): Topology {
  return new Topology()
    .addSource('customers-in', 'customers', strings)
    .addSink('to-rekeyed', 'rekeyed', { ...strings, internal: true, partitions: fixedPartitions }, 'customers-in')
    .addSource('orders-in', 'orders', strings)
    .addSource('rekeyed-in', 'rekeyed', { ...strings, internal: true })
    .addProcessor('join', noop, 'orders-in', 'rekeyed-in')
    .copartitionSources('orders-in', 'rekeyed-in');
}

test('topic planning sizes a joined repartition topic after the other side, not after its writer', () => {
  const compiled = joinThroughRepartition().build();
  assert.deepEqual(compiled.copartitionGroups, [[{ name: 'orders', internal: false }, { name: 'rekeyed', internal: true }]]);
  const plan = planInternalTopics(compiled, 'shop', new Map([['orders', 3], ['customers', 8]]));
  assert.deepEqual(plan, [{ name: 'shop-rekeyed', partitions: 3, config: { 'cleanup.policy': 'delete' } }]);
});

test('topic planning refuses a fixed repartition count that breaks a join\'s co-partitioning', () => {
  assert.throws(() => planInternalTopics(joinThroughRepartition(4).build(), 'shop', new Map([['orders', 3], ['customers', 8]])), mismatch('shop-rekeyed has 4 partitions', 'orders (3)'));
});

test('topic planning refuses joined external topics with different counts', () => {
  const topology = new Topology()
    .addSource('a-in', 'a', strings)
    .addSource('b-in', 'b', strings)
    .addProcessor('join', noop, 'a-in', 'b-in')
    .copartitionSources('a-in', 'b-in')
    .build();
  assert.throws(() => planInternalTopics(topology, 'app', new Map([['a', 3], ['b', 4]])), mismatch('topics not co-partitioned: a (3), b (4)'));
});

test('only source nodes can be co-partitioned', () => {
  const topology = new Topology().addSource('in', 'a').addProcessor('p', noop, 'in');
  assert.throws(() => topology.copartitionSources('p'), /only sources/);
  assert.throws(() => topology.copartitionSources('nope'), /not added yet/);
});

test('topic planning sizes a foreign-key join\'s topics, which read each other\'s writers: subscriptions as the foreign table, responses as this one', () => {
  const builder = new StreamsBuilder();
  builder
    .table('orders', strings)
    .join(builder.table('customers', strings), (order) => order, (order, customer) => `${order}${customer}`, { name: 'fk' })
    .toStream()
    .to('out', strings);
  const plan = planInternalTopics(builder.build().build(), 'shop', new Map([['orders', 2], ['customers', 3]]));
  const partitions = new Map(plan.map((topic) => [topic.name, topic.partitions]));
  assert.equal(partitions.get('shop-fk-subscription-registration-topic'), 3);
  assert.equal(partitions.get('shop-fk-subscription-response-topic'), 2);
  assert.equal(partitions.get('shop-fk-subscription-store-changelog'), 3);
});
