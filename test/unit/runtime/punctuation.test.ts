import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Cancellable, ProcessorContext, PunctuationType } from '../../../src/core/processor.js';
import { Record } from '../../../src/core/record.js';
import { Topology } from '../../../src/topology/topology.js';
import { processAll, raw, startTask } from './task-harness.js';

/** A processor that forwards a `tick` record from each punctuation and cancels after `limit` of them. */
function ticker(type: PunctuationType, intervalMs: number, limit = Infinity) {
  return () => {
    let ticks = 0;
    let schedule: Cancellable;
    return {
      init(context: ProcessorContext<string, string>) {
        schedule = context.schedule(intervalMs, type, (timestamp) => {
          context.forward(new Record('tick', String(context.recordMetadata()), timestamp));
          if (++ticks >= limit) schedule.cancel();
        });
      },
      process: () => undefined,
    };
  };
}

function tickerTopology(type: PunctuationType, intervalMs: number, limit?: number): Topology {
  return new Topology().addSource('in', 'input').addProcessor('ticker', ticker(type, intervalMs, limit), 'in').addSink('out', 'ticks', 'ticker');
}

describe('stream-time punctuation', () => {
  it('fires at the first stream time >= 0, then on interval boundaries, once per jump', () => {
    const harness = startTask(tickerTopology('stream-time', 10));
    try {
      assert.equal(harness.task.maybePunctuateStreamTime(), false, 'no stream time before the first record');
      for (const timestamp of [3, 9, 10, 25, 26, 70, 71]) {
        harness.task.addRecords({ topic: 'input', partition: 0 }, [raw('input', 0, timestamp, 'k', 'v')]);
        processAll(harness.task);
      }
      assert.deepEqual(harness.sent.map((r) => r.timestamp), [3, 10, 25, 70]);
      assert.deepEqual(harness.sentLines()[0], 'ticks tick=null@3', 'punctuations carry no record metadata');
      assert.equal(harness.task.metrics().punctuations, 4);
    } finally {
      harness.close();
    }
  });

  it('stops after cancel()', () => {
    const harness = startTask(tickerTopology('stream-time', 10, 2));
    try {
      for (const timestamp of [0, 10, 20, 30]) harness.task.addRecords({ topic: 'input', partition: 0 }, [raw('input', 0, timestamp, 'k', 'v')]);
      processAll(harness.task);
      assert.deepEqual(harness.sent.map((r) => r.timestamp), [0, 10]);
    } finally {
      harness.close();
    }
  });
});

describe('wall-clock punctuation', () => {
  it('fires from maybePunctuateSystemTime one interval after init, then aligned to that start', () => {
    let now = 1_000;
    const harness = startTask(tickerTopology('wall-clock', 100), { clock: () => now });
    try {
      assert.equal(harness.task.maybePunctuateSystemTime(1_099), false);
      assert.equal(harness.task.maybePunctuateSystemTime(1_100), true);
      now = 1_450;
      assert.equal(harness.task.maybePunctuateSystemTime(), true);
      assert.equal(harness.task.maybePunctuateSystemTime(1_499), false);
      assert.equal(harness.task.maybePunctuateSystemTime(1_500), true);
      assert.deepEqual(harness.sent.map((r) => r.timestamp), [1_100, 1_450, 1_500]);
      assert.equal(harness.task.commitNeeded(), true);
    } finally {
      harness.close();
    }
  });
});
