import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, StreamsError, TopologyError } from '../../../src/core/errors.js';
import type { ProcessorContext } from '../../../src/core/processor.js';
import { Record } from '../../../src/core/record.js';
import { Serdes } from '../../../src/core/serdes.js';
import type { KeyValueStore } from '../../../src/state/key-value-store.js';
import { Stores } from '../../../src/state/stores.js';
import { Topology } from '../../../src/topology/topology.js';
import { processAll, raw, startTask } from '../runtime/task-harness.js';

/** A processor that forwards every record unchanged. */
const passThrough = () => {
  let context: ProcessorContext<unknown, unknown>;
  return {
    init: (ctx: ProcessorContext<unknown, unknown>) => void (context = ctx),
    process: (record: Record<unknown, unknown>) => context.forward(record),
  };
};

describe('TaskEngine partition group', () => {
  it('processes records of its partitions in timestamp order, alternating on ties', () => {
    const topology = new Topology().addSource('in', ['left', 'right']).addProcessor('p', passThrough, 'in').addSink('out', 'output', 'p');
    const harness = startTask(topology, {}, 0, 2);
    try {
      const { task } = harness;
      assert.deepEqual(task.inputPartitions, [{ topic: 'left', partition: 2 }, { topic: 'right', partition: 2 }]);
      task.addRecords({ topic: 'left', partition: 2 }, [raw('left', 2, 10, 'l1', 'a'), raw('left', 2, 30, 'l2', 'b'), raw('left', 2, 31, 'l3', 'c')]);
      assert.equal(task.addRecords({ topic: 'right', partition: 2 }, [raw('right', 2, 20, 'r1', 'd'), raw('right', 2, 30, 'r2', 'e')]), 2);
      assert.equal(task.bufferedCount({ topic: 'left', partition: 2 }), 3);
      assert.equal(task.streamTime(), -1);
      processAll(task);
      assert.deepEqual(harness.sentLines(), ['output l1=a@10', 'output r1=d@20', 'output l2=b@30', 'output r2=e@30', 'output l3=c@31']);
      assert.equal(task.streamTime(), 31);
      assert.equal(task.bufferedCount({ topic: 'left', partition: 2 }), 0);
      assert.equal(task.bufferedCount({ topic: 'right', partition: 2 }), 0);
      assert.throws(
        () => task.addRecords({ topic: 'left', partition: 3 }, []),
        (error: unknown) => {
          assert.ok(error instanceof StreamsError);
          assert.deepEqual(error.coordinates, { topic: 'left', partition: 3, taskId: '0_2' });
          return true;
        },
      );
      assert.equal(task.metrics().processedRecords, 5);
    } finally {
      harness.close();
    }
  });

  it('keeps stream time at its maximum when a late record arrives', () => {
    const topology = new Topology().addSource('in', 'input').addProcessor('p', passThrough, 'in').addSink('out', 'output', 'p');
    const harness = startTask(topology);
    try {
      harness.task.addRecords({ topic: 'input', partition: 0 }, [raw('input', 0, 100, 'k', 'v'), raw('input', 0, 40, 'k', 'late')]);
      processAll(harness.task);
      assert.equal(harness.task.streamTime(), 100);
      assert.deepEqual(harness.sentLines(), ['output k=v@100', 'output k=late@40']);
    } finally {
      harness.close();
    }
  });
});

describe('TaskEngine forwarding', () => {
  it('forwards to one named child, and fails clearly for a name that is not a child', () => {
    const router = () => {
      let context: ProcessorContext<string, string>;
      return {
        init: (ctx: ProcessorContext<string, string>) => void (context = ctx),
        process: (record: Record<string, string>) => context.forward(record, record.value),
      };
    };
    const topology = new Topology()
      .addSource('in', 'input')
      .addProcessor('router', router, 'in')
      .addSink('evens', 'even-topic', 'router')
      .addSink('odds', 'odd-topic', 'router');
    const harness = startTask(topology);
    try {
      harness.task.addRecords({ topic: 'input', partition: 0 }, [raw('input', 0, 1, 'k1', 'odds'), raw('input', 0, 2, 'k2', 'evens'), raw('input', 0, 3, 'k3', 'nobody')]);
      assert.ok(harness.task.process());
      assert.ok(harness.task.process());
      assert.deepEqual(harness.sentLines(), ['odd-topic k1=odds@1', 'even-topic k2=evens@2']);
      assert.throws(() => harness.task.process(), /Unknown downstream node: nobody is not a child of router/);
    } finally {
      harness.close();
    }
  });

  it('prefixes internal sink topics with the application id and lets a partitioner choose the partition', () => {
    const topology = new Topology()
      .addSource('in', 'input')
      .addSink('rekey', 'by-user-repartition', { internal: true, partitioner: (_topic, key, _value, count) => String(key).length % count }, 'in');
    const harness = startTask(topology);
    try {
      harness.task.addRecords({ topic: 'input', partition: 0 }, [raw('input', 0, 5, 'user', 'v')]);
      processAll(harness.task);
      assert.equal(harness.sent[0]?.topic, 'app-by-user-repartition');
      assert.equal(harness.sent[0]?.partition, 1);
    } finally {
      harness.close();
    }
  });

  it('forwards from a caching store flush listener during commit', () => {
    const table = () => {
      let store: KeyValueStore<string, string>;
      return {
        init(context: ProcessorContext<string, string | null>) {
          store = context.getStateStore<KeyValueStore<string, string>>('latest');
          store.setFlushListener((key, value, _old, timestamp) => context.forward(new Record(key, value, timestamp)));
        },
        process: (record: Record<string, string>) => store.put(record.key, record.value),
      };
    };
    const topology = new Topology()
      .addSource('in', 'input')
      .addProcessor('table', table, 'in')
      .addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('latest'), Serdes.String(), Serdes.String()).withCachingEnabled(), 'table')
      .addProcessor('emit', passThrough, 'table')
      .addSink('out', 'changes', 'emit');
    const harness = startTask(topology);
    try {
      harness.task.addRecords({ topic: 'input', partition: 0 }, [raw('input', 0, 1, 'k', 'v1'), raw('input', 0, 2, 'k', 'v2'), raw('input', 0, 3, 'j', 'w')]);
      processAll(harness.task);
      assert.deepEqual(harness.sent, [], 'the cache holds updates until commit');
      harness.task.flush();
      harness.task.commitState();
      assert.deepEqual(harness.sentLines(), ['changes k=v2@2', 'changes j=w@3']);
      assert.equal(harness.task.commitNeeded(), false);
    } finally {
      harness.close();
    }
  });
});

describe('TaskEngine context', () => {
  it('gives processors only the stores connected to them', () => {
    const snoop = () => ({
      init: (context: ProcessorContext<never, never>) => void context.getStateStore('other'),
      process: () => undefined,
    });
    const topology = new Topology()
      .addSource('in', 'input')
      .addProcessor('owner', passThrough, 'in')
      .addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('other'), Serdes.String(), Serdes.String()), 'owner')
      .addProcessor('snoop', snoop, 'owner');
    assert.throws(
      () => startTask(topology),
      (error: unknown) =>
        error instanceof Error &&
        /failed to initialize processor snoop/.test(error.message) &&
        error.cause instanceof TopologyError &&
        /Processor snoop has no access to state store other/.test(error.cause.message),
    );
  });

  it('reports record metadata, times and commit requests', () => {
    const seen: unknown[] = [];
    const inspector = () => {
      let context: ProcessorContext<never, never>;
      return {
        init: (ctx: ProcessorContext<never, never>) => void (context = ctx),
        process: () => {
          seen.push([context.taskId, context.applicationId, context.recordMetadata(), context.currentStreamTimeMs(), context.currentSystemTimeMs()]);
          context.commit();
        },
      };
    };
    const topology = new Topology().addSource('in', 'input').addProcessor('inspector', inspector, 'in');
    const harness = startTask(topology, { clock: () => 42 }, 0, 1);
    try {
      harness.task.addRecords({ topic: 'input', partition: 1 }, [raw('input', 1, 7, 'k', 'v', 12)]);
      assert.equal(harness.task.commitRequested(), false);
      processAll(harness.task);
      assert.deepEqual(seen, [['0_1', 'app', { topic: 'input', partition: 1, offset: 12 }, 7, 42]]);
      assert.equal(harness.task.commitRequested(), true);
      assert.deepEqual(harness.task.consumedOffsets(), new Map([['input:1', 13]]));
      harness.task.flush();
      harness.task.commitState();
      assert.equal(harness.task.commitRequested(), false);
    } finally {
      harness.close();
    }
  });

  it('fails at task init, naming the node, when a serde is missing and no default exists', () => {
    const topology = new Topology().addSource('in', 'input', { valueSerde: Serdes.String() }).addSink('out', 'output', 'in');
    assert.throws(
      () => startTask(topology, { defaultKeySerde: undefined }),
      (error: unknown) => error instanceof ConfigError && /source node in has no key serde and no defaultKeySerde is configured/.test(error.message),
    );
  });
});
