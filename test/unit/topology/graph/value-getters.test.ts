import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TopologyError } from '../../../../src/core/errors.js';
import type { Processor } from '../../../../src/core/processor.js';
import { Serdes } from '../../../../src/core/serdes.js';
import { formatTopologyText } from '../../../../src/topology/describe/format-topology-text.js';
import { derivedGetterSupplier } from '../../../../src/topology/graph/value-getters.js';
import { buildTopology } from '../../../../src/topology/graph/build-topology.js';
import type { DslNode, NodeId, StoreSpec, SupplierFactory } from '../../../../src/topology/graph/graph-node.js';
import { tableFilterSupplier, tableSourceSupplier } from '../../../../src/topology/dsl/table-processors.js';
import { TopologyTestDriver } from '../../../../src/testing/topology-test-driver.js';

const string = Serdes.String() as never;
const store = (userStoreName?: string): StoreSpec => ({
  userStoreName,
  storeType: 'in-memory',
  caching: false,
  logging: false,
  keySerde: string,
  valueSerde: string,
});

/** A processor that looks each stream record's key up in the table it reads and forwards `value=tableValue@ts`. */
const lookup: SupplierFactory = (binding) => () => {
  const getter = binding.valueGetters[0]!.get();
  let forward: ((key: unknown, value: unknown, ts: number) => void) | undefined;
  return {
    init: (context) => {
      getter.init(context as never);
      forward = (key, value, ts) => context.forward({ key, value, timestamp: ts, headers: [] } as never);
    },
    process: (record) => {
      const found = getter.get(record.key);
      forward!(record.key, `${String(record.value)}=${found === null ? 'null' : `${String(found.value)}@${found.timestamp}`}`, record.timestamp);
    },
  } satisfies Processor<unknown, unknown, unknown, unknown>;
};

/** stream(clicks) looks up table(users), possibly through a filter on it. */
function graph(options: { filtered: boolean; userStoreName?: string; view?: boolean }): DslNode[] {
  const nodes: DslNode[] = [
    { kind: 'stream-source', id: 0, parents: [], userName: undefined, topics: ['clicks'], keySerde: string, valueSerde: string, timestampExtractor: undefined },
    {
      kind: 'table-source',
      id: 1,
      parents: [],
      userName: undefined,
      topic: 'users',
      keySerde: string,
      valueSerde: string,
      timestampExtractor: undefined,
      store: store(options.userStoreName),
      supplier: tableSourceSupplier(),
    },
  ];
  let table: NodeId = 1;
  if (options.filtered) {
    const keep = (_key: unknown, value: unknown) => value !== 'banned';
    nodes.push({
      kind: 'table-filter',
      id: 2,
      parents: [1],
      userName: undefined,
      view: options.view === false ? undefined : ([parent]) => derivedGetterSupplier(parent!, (key, value) => (keep(key, value) ? value : null)),
      supplier: tableFilterSupplier(keep, false),
    });
    table = 2;
  }
  const id = nodes.length;
  nodes.push({
    kind: 'processor',
    id,
    parents: [0],
    userName: undefined,
    prefix: 'KSTREAM-LOOKUP-',
    burnsIndexWhenNamed: true,
    keyEffect: 'preserves',
    storeNames: [],
    readsTables: [table],
    supplier: lookup,
  });
  nodes.push({ kind: 'sink', id: id + 1, parents: [id], userName: undefined, topic: 'out', keySerde: string, valueSerde: string, partitioner: undefined });
  return nodes;
}

function run(nodes: DslNode[]): string[] {
  const driver = new TopologyTestDriver(buildTopology(nodes));
  try {
    const users = driver.createInputTopic('users', Serdes.String(), Serdes.String());
    const clicks = driver.createInputTopic('clicks', Serdes.String(), Serdes.String());
    const out = driver.createOutputTopic('out', Serdes.String(), Serdes.String());
    users.pipeInput('alice', 'admin', 5);
    users.pipeInput('bob', 'banned', 6);
    clicks.pipeInput('alice', 'c1', 10);
    clicks.pipeInput('bob', 'c2', 11);
    clicks.pipeInput('carol', 'c3', 12);
    return out.readValuesToList() as string[];
  } finally {
    driver.close();
  }
}

describe('KTable value getters', () => {
  it('materialize a table source that a lookup reaches and connect its store to the looking-up processor', () => {
    const text = formatTopologyText(buildTopology(graph({ filtered: false })).describe());
    assert.match(text, /Processor: KTABLE-SOURCE-0000000003 \(stores: \[users-STATE-STORE-0000000001\]\)/);
    assert.match(text, /Processor: KSTREAM-LOOKUP-0000000004 \(stores: \[users-STATE-STORE-0000000001\]\)/);
    assert.deepEqual(run(graph({ filtered: false })), ['c1=admin@5', 'c2=banned@6', 'c3=null']);
  });

  it("look a filtered table up through its parent's store, applying the filter", () => {
    const text = formatTopologyText(buildTopology(graph({ filtered: true })).describe());
    assert.match(text, /Processor: KTABLE-FILTER-0000000004 \(stores: \[\]\)/);
    assert.match(text, /Processor: KSTREAM-LOOKUP-0000000005 \(stores: \[users-STATE-STORE-0000000001\]\)/);
    assert.deepEqual(run(graph({ filtered: true })), ['c1=admin@5', 'c2=null', 'c3=null']);
  });

  it('read the user-named store of a table as is', () => {
    assert.deepEqual(run(graph({ filtered: false, userStoreName: 'users-store' })), ['c1=admin@5', 'c2=banned@6', 'c3=null']);
  });

  it('refuse a table with neither a store nor a view', () => {
    assert.throws(() => buildTopology(graph({ filtered: true, view: false })), (error: unknown) => {
      assert.ok(error instanceof TopologyError);
      assert.match(error.message, /KTABLE-FILTER-0000000004 keeps no store and cannot be looked up/);
      return true;
    });
  });
});
