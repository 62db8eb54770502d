import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TopologyError } from '../../../src/core/errors.js';
import { Serdes } from '../../../src/core/serdes.js';
import { Stores } from '../../../src/state/stores.js';
import { Topology } from '../../../src/topology/topology.js';
import { goldenTopology } from './golden-topology.js';

const noop = () => ({ process: () => undefined });
const store = (name: string) => Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), Serdes.Long());

function assertTopologyError(build: () => unknown, message: RegExp): void {
  assert.throws(build, (error: unknown) => error instanceof TopologyError && error.code === 'TOPOLOGY_INVALID' && message.test(error.message));
}

describe('Topology validation', () => {
  it('rejects duplicate node names', () => {
    const topology = new Topology().addSource('source', 'input');
    assertTopologyError(() => topology.addProcessor('source', noop, 'source'), /Processor source is already added/);
    assertTopologyError(() => topology.addSink('source', 'out', 'source'), /already added/);
  });

  it('rejects unknown parents, sinks as parents, self-parents and repeated parents', () => {
    const topology = new Topology().addSource('source', 'input').addSink('sink', 'out', 'source');
    assertTopologyError(() => topology.addProcessor('p', noop, 'missing'), /Parent missing of p is not added yet/);
    assertTopologyError(() => topology.addProcessor('p', noop, 'sink'), /Sink sink cannot be used as a parent/);
    assertTopologyError(() => topology.addProcessor('p', noop, 'p'), /cannot be a parent of itself/);
    assertTopologyError(() => topology.addProcessor('p', noop, 'source', 'source'), /lists parent source twice/);
  });

  it('requires a parent for processors and sinks', () => {
    const topology = new Topology().addSource('source', 'input');
    assertTopologyError(() => topology.addProcessor('p', noop), /Processor p must have at least one parent/);
    assertTopologyError(() => topology.addSink('k', 'out'), /Sink k must have at least one parent/);
    assertTopologyError(() => topology.addSink('k', 'out', { partitions: 2 }), /Sink k must have at least one parent/);
  });

  it('rejects a topic read by two sources, and sources without topics', () => {
    const topology = new Topology().addSource('a', ['x', 'y']);
    assertTopologyError(() => topology.addSource('b', ['z', 'y']), /Topic y has already been registered by source a/);
    assertTopologyError(() => topology.addSource('c', []), /at least one topic/);
    assert.doesNotThrow(() => topology.addSource('b', 'z'), 'a rejected source must not have claimed its topics');
  });

  it('rejects unknown stores, unknown processors and stores on non-processors', () => {
    const topology = new Topology().addSource('source', 'input').addProcessor('p', noop, 'source');
    assertTopologyError(() => topology.connectProcessorAndStateStores('p', 'missing'), /State store missing is not added yet/);
    assertTopologyError(() => topology.addStateStore(store('s'), 'nope'), /Processor nope is not added yet/);
    assertTopologyError(() => topology.addStateStore(store('s'), 'source'), /only processors use stores/);
    topology.addStateStore(store('s'), 'p');
    assertTopologyError(() => topology.addStateStore(store('s')), /A different state store has already been added with the name s/);
  });

  it('rejects an internal sink topic chosen per record and bad partition counts', () => {
    const topology = new Topology().addSource('source', 'input');
    assertTopologyError(() => topology.addSink('k', () => 'x', { internal: true }, 'source'), /internal topic, which needs a fixed name/);
    assertTopologyError(() => topology.addSink('k', 'x', { internal: true, partitions: 0 }, 'source'), /positive integer/);
  });
});

describe('Topology.build', () => {
  it('numbers sub-topologies by their first node and keeps nodes in insertion order', () => {
    const compiled = goldenTopology().build();
    assert.equal(compiled.subtopologies.length, 2);
    const [first, second] = compiled.subtopologies;
    assert.deepEqual(first!.nodes.map((n) => n.name), [
      'orders-source', 'validate', 'enrich', 'route', 'big-orders-sink', 'small-orders-sink', 'audit', 'audit-sink',
      'payments-source', 'match', 'rekey-sink',
    ]);
    assert.deepEqual(first!.sourceTopics, [
      { name: 'orders', internal: false },
      { name: 'returns', internal: false },
      { name: 'payments', internal: false },
    ]);
    assert.deepEqual(first!.storeNames, ['customers']);
    assert.deepEqual(second!.nodes.map((n) => n.name), ['rekeyed-source', 'count', 'emit-counts', 'counts-sink']);
    assert.deepEqual(second!.sourceTopics, [{ name: 'orders-by-customer-repartition', internal: true }]);
    assert.deepEqual(compiled.internalTopics, [{ name: 'orders-by-customer-repartition', partitions: 4 }]);
    assert.deepEqual(compiled.stores.map((s) => [s.name, s.processors]), [['customers', ['enrich', 'match']], ['counts', ['count']]]);
  });

  it('records children in insertion order and hands out a frozen, cached view', () => {
    const topology = goldenTopology();
    const compiled = topology.build();
    const route = compiled.subtopologies[0]!.nodes.find((n) => n.name === 'route');
    assert.equal(route?.kind, 'processor');
    assert.deepEqual(route.kind === 'processor' && route.children, ['big-orders-sink', 'small-orders-sink', 'rekey-sink']);
    assert.ok(Object.isFrozen(compiled) && Object.isFrozen(compiled.subtopologies[0]!.nodes) && Object.isFrozen(route));
    assert.equal(topology.build(), compiled);
    topology.addProcessor('late', noop, 'route');
    assert.notEqual(topology.build(), compiled);
  });

  it('orders a later-started component after an earlier one even when it was wired up later', () => {
    const topology = new Topology()
      .addSource('b-source', 'b')
      .addSource('a-source', 'a')
      .addProcessor('a-proc', noop, 'a-source')
      .addProcessor('b-proc', noop, 'b-source');
    assert.deepEqual(topology.build().subtopologies.map((s) => s.nodes.map((n) => n.name)), [['b-source', 'b-proc'], ['a-source', 'a-proc']]);
  });
});
