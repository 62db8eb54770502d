import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { buildTopology } from '../../../src/topology/graph/build-topology.js';
import { passThrough } from '../../../src/topology/graph/forwarding-processors.js';
import type { DslNode } from '../../../src/topology/graph/graph-node.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';

const strings = Serdes.String();
const serdes = { keySerde: strings, valueSerde: strings };

/**
 * The shape of a join as the join node kinds declare it: `a` and `b` re-keyed through a user repartition topic,
 * into one node with two parents that names both sides as its co-partition group, then a sink.
 */
function joinGraph(relaxesNullKeys: boolean): DslNode[] {
  const source = (id: number, topic: string): DslNode => ({ kind: 'stream-source', id, parents: [], userName: undefined, topics: [topic], ...serdes, timestampExtractor: undefined });
  return [
    source(0, 'a'),
    source(1, 'b'),
    { kind: 'repartition', id: 2, parents: [1], userName: 'b-rekeyed', ...serdes, partitions: undefined, partitioner: undefined },
    {
      kind: 'processor',
      id: 3,
      parents: [0, 2],
      userName: undefined,
      prefix: 'TEST-JOIN-',
      burnsIndexWhenNamed: true,
      keyEffect: 'preserves',
      storeNames: [],
      supplier: () => passThrough,
      copartitionGroup: [0, 2],
      ...(relaxesNullKeys ? { relaxesNullKeys: true as const } : {}),
    },
    { kind: 'sink', id: 4, parents: [3], userName: undefined, topic: 'out', ...serdes, partitioner: undefined },
  ];
}

describe('co-partition groups', () => {
  it('a node\'s group is the source topics upstream of each listed node, repartition topics included', () => {
    const compiled = buildTopology(joinGraph(false)).build();
    assert.deepEqual(compiled.copartitionGroups, [[{ name: 'a', internal: false }, { name: 'b-rekeyed-repartition', internal: true }]]);
  });

  it('a graph without joins has no groups', () => {
    const compiled = buildTopology(joinGraph(false).map((node) => (node.id === 3 ? { ...node, copartitionGroup: undefined } : node))).build();
    assert.deepEqual(compiled.copartitionGroups, []);
  });
});

describe('relaxed null keys (KIP-962)', () => {
  function nullKeysReachingOutput(relaxesNullKeys: boolean): number {
    const driver = new TopologyTestDriver(buildTopology(joinGraph(relaxesNullKeys)));
    try {
      driver.createInputTopic('b', strings, strings).pipeInput(null, 'v', 1);
      return driver.createOutputTopic('out', strings, strings).readRecordsToList().length;
    } finally {
      driver.close();
    }
  }

  it('a repartition topic upstream of a null-key-relaxed join keeps null keys', () => {
    assert.equal(nullKeysReachingOutput(true), 1);
  });

  it('every other repartition topic drops null keys in its filter', () => {
    assert.equal(nullKeysReachingOutput(false), 0);
  });
});
