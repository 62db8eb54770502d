import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import type { TaskLogger } from '../../../src/processing/task-logger.js';
import { StreamsBuilder } from '../../../src/topology/dsl/streams-builder.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';

const strings = { keySerde: Serdes.String(), valueSerde: Serdes.String() };

/** A logger that keeps its debug lines: the message and the fields, with those bound by `child`. */
function debugRecorder(): { logger: TaskLogger; lines: Array<{ message: string; fields: object }> } {
  const lines: Array<{ message: string; fields: object }> = [];
  const make = (bindings: object): TaskLogger => ({
    debug: (fields, message) => lines.push({ message, fields: { ...bindings, ...fields } }),
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    child: (more) => make({ ...bindings, ...more }),
  });
  return { logger: make({}), lines };
}

/** Pipes `inputs` into topic `in` and returns the driver's dropped-record counts per task. */
function droppedRecords(define: (builder: StreamsBuilder) => void, inputs: ReadonlyArray<readonly [string | null, string | null]>) {
  const builder = new StreamsBuilder();
  define(builder);
  const driver = new TopologyTestDriver(builder.build());
  try {
    const input = driver.createInputTopic('in', Serdes.String(), Serdes.String());
    inputs.forEach(([key, value], index) => input.pipeInput(key, value, index));
    return new Map([...driver.metrics()].map(([taskId, metrics]) => [taskId, metrics.droppedRecords]));
  } finally {
    driver.close();
  }
}

describe('records the DSL drops on purpose', () => {
  it('a stream aggregation counts the records it drops for a null key or a null value, and logs them at debug', () => {
    const builder = new StreamsBuilder();
    builder.stream('in', strings).groupByKey().count({ name: 'counter' }).toStream().to('out', { keySerde: Serdes.String(), valueSerde: Serdes.Long() });
    const { logger, lines } = debugRecorder();
    const driver = new TopologyTestDriver(builder.build(), { logger });
    try {
      const input = driver.createInputTopic('in', Serdes.String(), Serdes.String());
      input.pipeInput('a', 'x', 1);
      input.pipeInput(null, 'y', 2);
      input.pipeInput('b', null, 3);
      assert.deepEqual(driver.createOutputTopic('out', Serdes.String(), Serdes.Long()).readKeyValuesToList(), [{ key: 'a', value: 1 }]);
      const dropped = driver.metrics().get('0_0')!.droppedRecords;
      assert.equal(dropped.nullKeys, 1);
      assert.equal(dropped.nullValues, 1);
      assert.equal(dropped.total, 2);
      const logged = lines.filter((line) => line.message === 'processor dropped a record').map((line) => line.fields);
      assert.deepEqual(logged, [
        { taskId: '0_0', topic: 'in', partition: 0, offset: 1, processor: 'counter', reason: 'nullKey' },
        { taskId: '0_0', topic: 'in', partition: 0, offset: 2, processor: 'counter', reason: 'nullValue' },
      ]);
    } finally {
      driver.close();
    }
  });

  it('the filter in front of a repartition topic counts the records it drops for a null key', () => {
    const dropped = droppedRecords(
      (builder) =>
        builder
          .stream('in', strings)
          .selectKey((_key, value) => (value === 'none' ? null : value))
          .groupByKey({ keySerde: Serdes.String(), valueSerde: Serdes.String() })
          .count(),
      [
        ['k', 'a'],
        ['k', 'none'],
      ],
    );
    assert.equal(dropped.get('0_0')?.nullKeys, 1, 'dropped before the repartition topic');
    assert.equal(dropped.get('1_0')?.total, 0);
  });

  it('a table source counts the records it drops for a null key', () => {
    const dropped = droppedRecords((builder) => void builder.table('in', strings), [
      ['a', '1'],
      [null, '2'],
    ]);
    assert.equal(dropped.get('0_0')?.nullKeys, 1);
  });
});
