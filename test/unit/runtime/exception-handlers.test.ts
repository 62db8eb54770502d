import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProcessingError, SerdeError } from '../../../src/core/errors.js';
import type { ProcessorContext } from '../../../src/core/processor.js';
import type { Record } from '../../../src/core/record.js';
import { Serdes } from '../../../src/core/serdes.js';
import type { ErrorHandlerContext, ExceptionHandler } from '../../../src/processing/exception-handlers.js';
import { Topology } from '../../../src/topology/topology.js';
import { processAll, raw, startTask } from './task-harness.js';

/** Values are 32-bit integers; the 2-byte value is the bad record. */
function integerTopology(): Topology {
  const failOnThirteen = () => {
    let context: ProcessorContext<string, number>;
    return {
      init: (ctx: ProcessorContext<string, number>) => void (context = ctx),
      process: (record: Record<string, number>) => {
        if (record.value === 13) throw new Error('unlucky number');
        context.forward(record);
      },
    };
  };
  return new Topology()
    .addSource('numbers-source', 'numbers', { keySerde: Serdes.String(), valueSerde: Serdes.Integer() })
    .addProcessor('unlucky', failOnThirteen, 'numbers-source')
    .addSink('out', 'checked', { keySerde: Serdes.String(), valueSerde: Serdes.Integer() }, 'unlucky');
}

const int = (n: number) => Serdes.Integer().serialize('numbers', n)!;

function run(handlers: { deserialization?: ExceptionHandler; processing?: ExceptionHandler }, values: Buffer[]) {
  const harness = startTask(integerTopology(), { deserializationExceptionHandler: handlers.deserialization, processingExceptionHandler: handlers.processing }, 0, 3);
  const records = values.map((value, i) => raw('numbers', 3, 100 + i, `k${i}`, value, 40 + i));
  return { harness, records, addAndProcess: () => {
    harness.task.addRecords({ topic: 'numbers', partition: 3 }, records);
    processAll(harness.task);
  } };
}

describe('deserialization exception handler', () => {
  const values = [int(1), Buffer.from([0, 1]), int(3)];

  it("'fail' stops with a SerdeError naming topic, partition, offset, source and task", () => {
    const { harness, addAndProcess } = run({ deserialization: 'fail' }, values);
    try {
      assert.throws(addAndProcess, (error: unknown) => {
        assert.ok(error instanceof SerdeError);
        assert.deepEqual(error.coordinates, { topic: 'numbers', partition: 3, offset: 41, taskId: '0_3', processor: 'numbers-source' });
        assert.match(error.message, /topic=numbers, partition=3, offset=41, task=0_3, processor=numbers-source/);
        return true;
      });
    } finally {
      harness.close();
    }
  });

  it("'continue' skips and counts the record, and commits past it", () => {
    const { harness, addAndProcess } = run({ deserialization: 'continue' }, values);
    try {
      addAndProcess();
      assert.deepEqual(harness.sent.map((r) => Serdes.Integer().deserialize('checked', r.value)), [1, 3]);
      assert.equal(harness.task.metrics().droppedRecords.deserializationErrors, 1);
      assert.equal(harness.task.metrics().droppedRecords.total, 1);
      assert.deepEqual(harness.task.consumedOffsets(), new Map([['numbers:3', 43]]));
    } finally {
      harness.close();
    }
  });

  it('a function decides per record and sees the coordinates, not the value', () => {
    const seen: ErrorHandlerContext[] = [];
    const { harness, addAndProcess } = run({ deserialization: (context) => (seen.push(context), 'continue') }, values);
    try {
      addAndProcess();
      assert.equal(seen.length, 1);
      const [context] = seen;
      assert.equal(context?.kind, 'deserialization');
      assert.deepEqual([context?.topic, context?.partition, context?.offset, context?.processorNodeId, context?.taskId], ['numbers', 3, 41, 'numbers-source', '0_3']);
      assert.ok(context?.error instanceof SerdeError);
      assert.ok(!('value' in context!));
    } finally {
      harness.close();
    }
  });
});

describe('processing exception handler', () => {
  const values = [int(12), int(13), int(14)];

  it("'fail' (the default) throws a ProcessingError naming topic, partition, offset, processor and task", () => {
    const { harness, addAndProcess } = run({}, values);
    try {
      assert.throws(addAndProcess, (error: unknown) => {
        assert.ok(error instanceof ProcessingError);
        assert.equal(error.code, 'PROCESSING_FAILED');
        assert.deepEqual(error.coordinates, { topic: 'numbers', partition: 3, offset: 41, taskId: '0_3', processor: 'unlucky' });
        assert.match(error.message, /unlucky number .*topic=numbers, partition=3, offset=41, task=0_3, processor=unlucky/);
        assert.equal((error.cause as Error).message, 'unlucky number');
        return true;
      });
      assert.equal(harness.sent.length, 1);
    } finally {
      harness.close();
    }
  });

  it("'continue' drops the failing record, counts it and goes on", () => {
    const { harness, addAndProcess } = run({ processing: 'continue' }, values);
    try {
      addAndProcess();
      assert.deepEqual(harness.sent.map((r) => Serdes.Integer().deserialize('checked', r.value)), [12, 14]);
      assert.equal(harness.task.metrics().droppedRecords.processingErrors, 1);
    } finally {
      harness.close();
    }
  });

  it('a function decides per failure; its own error fails the task', () => {
    const decisions: string[] = [];
    const { harness, addAndProcess } = run({ processing: (context) => (decisions.push(`${context.processorNodeId}@${context.offset}`), 'fail') }, values);
    try {
      assert.throws(addAndProcess, ProcessingError);
      assert.deepEqual(decisions, ['unlucky@41']);
    } finally {
      harness.close();
    }
    const broken = run({ processing: () => { throw new Error('handler bug'); } }, values);
    try {
      assert.throws(broken.addAndProcess, (error: unknown) => error instanceof ProcessingError && /processing exception handler failed/.test(error.message));
    } finally {
      broken.harness.close();
    }
  });
});
