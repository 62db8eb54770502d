import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProcessorContext } from '../../../src/core/processor.js';
import type { Record } from '../../../src/core/record.js';
import type { Serde } from '../../../src/core/serde.js';
import { Serdes } from '../../../src/core/serdes.js';
import type { KeyValueStore } from '../../../src/state/key-value-store.js';
import { Stores } from '../../../src/state/stores.js';
import { TestRecord, TopologyTestDriver } from '../../../src/testing/index.js';
import { Topology } from '../../../src/topology/topology.js';

/** Splits lines into words keyed by word, repartitions, and counts per word in a second sub-topology. */
function wordCountTopology(): Topology {
  const split = () => {
    let context: ProcessorContext<string, string>;
    return {
      init: (ctx: ProcessorContext<string, string>) => void (context = ctx),
      process: (record: Record<string | null, string>) => {
        for (const word of record.value.split(' ')) context.forward(record.withKey(word).withValue(word));
      },
    };
  };
  const count = () => {
    let context: ProcessorContext<string, number>;
    let store: KeyValueStore<string, number>;
    return {
      init: (ctx: ProcessorContext<string, number>) => {
        context = ctx;
        store = ctx.getStateStore<KeyValueStore<string, number>>('word-counts');
      },
      process: (record: Record<string, string>) => {
        const next = (store.get(record.key) ?? 0) + 1;
        store.put(record.key, next);
        context.forward(record.withValue(next));
      },
    };
  };
  return new Topology()
    .addSource('lines', 'text')
    .addProcessor('split', split, 'lines')
    .addSink('to-words', 'words-repartition', { internal: true }, 'split')
    .addSource('words', 'words-repartition', { internal: true })
    .addProcessor('count', count, 'words')
    .addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('word-counts'), Serdes.String(), Serdes.Long()), 'count')
    .addSink('counts', 'word-counts', { valueSerde: Serdes.Long() }, 'count');
}

const strings = { defaultKeySerde: Serdes.String() as Serde<unknown>, defaultValueSerde: Serdes.String() as Serde<unknown> };

describe('TopologyTestDriver with a repartition topic', () => {
  it('feeds records written to the repartition topic back in and processes them before pipeInput returns', () => {
    const driver = new TopologyTestDriver(wordCountTopology(), { applicationId: 'wc', ...strings }, 0);
    try {
      const input = driver.createInputTopic('text', Serdes.String(), Serdes.String());
      const output = driver.createOutputTopic('word-counts', Serdes.String(), Serdes.Long());
      input.pipeRecordList([new TestRecord<string, string>(null, 'a b a', 10), new TestRecord<string, string>(null, 'b', 20)]);
      assert.deepEqual(output.readRecordsToList(), [
        new TestRecord('a', 1, 10),
        new TestRecord('b', 1, 10),
        new TestRecord('a', 2, 10),
        new TestRecord('b', 2, 20),
      ]);
      assert.deepEqual([...driver.producedTopicNames()].sort(), ['wc-word-counts-changelog', 'wc-words-repartition', 'word-counts']);
      const repartitioned = driver.createOutputTopic('wc-words-repartition', Serdes.String(), Serdes.String());
      assert.deepEqual(repartitioned.readKeyValuesToList().map(({ key }) => key), ['a', 'b', 'a', 'b']);
      assert.deepEqual([...driver.metrics().keys()], ['0_0', '1_0']);
      assert.equal(driver.getKeyValueStore<string, number>('word-counts')?.get('b'), 2);
    } finally {
      driver.close();
    }
  });
});

describe('TopologyTestDriver exception handlers', () => {
  const numbers = () =>
    new Topology()
      .addSource('in', 'numbers', { keySerde: Serdes.String(), valueSerde: Serdes.Integer() })
      .addSink('out', 'checked', { keySerde: Serdes.String(), valueSerde: Serdes.Integer() }, 'in');

  it('skips undecodable raw bytes with the continue policy and counts them', () => {
    const driver = new TopologyTestDriver(numbers(), { deserializationExceptionHandler: 'continue' });
    try {
      const input = driver.createInputTopic('numbers', Serdes.String(), Serdes.ByteArray());
      input.pipeInput('good', Serdes.Integer().serialize('numbers', 7), 1);
      input.pipeInput('bad', Buffer.from('not four bytes'), 2);
      assert.deepEqual(driver.createOutputTopic('checked', Serdes.String(), Serdes.Integer()).readValuesToList(), [7]);
      assert.equal(driver.metrics().get('0_0')?.droppedRecords.deserializationErrors, 1);
    } finally {
      driver.close();
    }
  });

  it('fails pipeInput with the record coordinates under the default policy', () => {
    const driver = new TopologyTestDriver(numbers());
    try {
      const input = driver.createInputTopic('numbers', Serdes.String(), Serdes.ByteArray());
      input.pipeInput('first', Serdes.Integer().serialize('numbers', 1), 1);
      assert.throws(() => input.pipeInput('bad', Buffer.from([1]), 2), /topic=numbers, partition=0, offset=1, task=0_0, processor=in/);
    } finally {
      driver.close();
    }
  });
});
