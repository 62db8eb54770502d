import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { timeWindowAggregateSupplier } from '../../../src/windows/time-window-aggregate.js';
import { TimeWindows } from '../../../src/windows/time-windows.js';
import { aggregateHarness, reduceConcat, withHarness, withRestarts } from './windowed-aggregate-harness.js';
import type { AggregateSupplierOf, AggregateTestOptions, WindowedAggregateHarness } from './windowed-aggregate-harness.js';

function harness(windows: TimeWindows, options?: AggregateTestOptions): WindowedAggregateHarness {
  const supplier: AggregateSupplierOf = (functions, settings) =>
    timeWindowAggregateSupplier(windows, functions.initializer, functions.aggregator, settings);
  return aggregateHarness({ supplier, windowSizeMs: windows.sizeMs, minimumRetentionMs: windows.minimumRetentionMs }, options);
}

describe('timeWindowAggregateSupplier: tumbling windows', () => {
  it('aggregates in-order records per key and window, each update stamped with the latest record time', () => {
    withHarness(harness(TimeWindows.ofSizeWithNoGrace(10)), (h) => {
      h.pipe(['A', 'a', 1], ['A', 'b', 5, 'tagged'], ['A', 'c', 12], ['B', 'd', 13]);
      assert.deepEqual(h.read(), ['A[0,10]=a@1', 'A[0,10]=ab@5 #tagged', 'A[10,20]=c@12', 'B[10,20]=d@13'], "updates carry the input's headers");
      assert.equal(h.dropped().lateRecords, 0);
    });
  });

  it('takes out-of-order records within the grace period and drops one arriving when stream time = end + grace', () => {
    withHarness(harness(TimeWindows.ofSizeAndGrace(10, 5)), (h) => {
      h.pipe(['A', 'a', 1], ['A', 'c', 12], ['A', 'b', 8], ['A', 'i', 2]);
      assert.deepEqual(h.read(), ['A[0,10]=a@1', 'A[10,20]=c@12', 'A[0,10]=ab@8', 'A[0,10]=abi@8'], 'an earlier record keeps the later timestamp');
      h.pipe(['A', 'e', 14], ['A', 'f', 9]);
      assert.deepEqual(h.read(), ['A[10,20]=ce@14', 'A[0,10]=abif@9'], 'stream time 14 < end 10 + grace 5: still open');
      h.pipe(['A', 'g', 15], ['A', 'h', 3]);
      assert.deepEqual(h.read(), ['A[10,20]=ceg@15'], 'stream time 15 = end + grace: closed');
      assert.equal(h.dropped().lateRecords, 1);
    });
  });

  it('forwards the old value only with sendOldValues; a new window replaces the initializer value', () => {
    const withOld = harness(TimeWindows.ofSizeWithNoGrace(10), { sendOldValues: true });
    const withoutOld = harness(TimeWindows.ofSizeWithNoGrace(10), { sendOldValues: false, showOldValues: true });
    try {
      for (const h of [withOld, withoutOld]) h.pipe(['A', 'a', 1], ['A', 'b', 2]);
      // Kafka Streams passes the initializer's value as the old value of a window's first update.
      assert.deepEqual(withOld.read(), ['A[0,10]=a/@1', 'A[0,10]=ab/a@2']);
      assert.deepEqual(withoutOld.read(), ['A[0,10]=a/null@1', 'A[0,10]=ab/null@2']);
    } finally {
      withOld.close();
      withoutOld.close();
    }
  });

  it('works as reduce: a null initial aggregate taken over by the first value', () => {
    withHarness(harness(TimeWindows.ofSizeWithNoGrace(10), { functions: reduceConcat }), (h) => {
      h.pipe(['A', 'a', 1], ['A', 'b', 2], ['A', 'c', 10]);
      assert.deepEqual(h.read(), ['A[0,10]=a@1', 'A[0,10]=ab@2', 'A[10,20]=c@10']);
    });
  });

  it('drops records without a key, counted, and hands a null value to the aggregator as Kafka Streams does', () => {
    withHarness(harness(TimeWindows.ofSizeWithNoGrace(10)), (h) => {
      h.pipe(['A', 'a', 1], [null, 'x', 3], ['A', null, 4], ['A', 'b', 5]);
      // The harness aggregator concatenates, so the null value shows up as the text "null".
      assert.deepEqual(h.read(), ['A[0,10]=a@1', 'A[0,10]=anull@4', 'A[0,10]=anullb@5']);
      const { nullKeys, nullValues, lateRecords } = h.dropped();
      assert.deepEqual({ nullKeys, nullValues, lateRecords }, { nullKeys: 1, nullValues: 0, lateRecords: 0 });
    });
  });
});

describe('timeWindowAggregateSupplier: hopping windows', () => {
  it('updates every overlapping window by start, and counts a record late once even when newer windows take it', () => {
    withHarness(harness(TimeWindows.ofSizeWithNoGrace(10).advanceBy(5)), (h) => {
      h.pipe(['A', 'a', 3], ['A', 'b', 7], ['A', 'c', 12]);
      assert.deepEqual(h.read(), ['A[0,10]=a@3', 'A[0,10]=ab@7', 'A[5,15]=b@7', 'A[5,15]=bc@12', 'A[10,20]=c@12']);
      h.pipe(['A', 'd', 9]);
      assert.deepEqual(h.read(), ['A[5,15]=bcd@12'], '[0,10) closed at stream time 12; [5,15) still open');
      assert.equal(h.dropped().lateRecords, 1);
      h.pipe(['A', 'e', 20], ['A', 'f', 14]);
      assert.deepEqual(h.read(), ['A[15,25]=e@20', 'A[20,30]=e@20'], 'f@14 finds both its windows closed');
      assert.equal(h.dropped().lateRecords, 2);
    });
  });
});

describe('timeWindowAggregateSupplier: emitStrategy onWindowClose', () => {
  it('forwards each closed window once, by window start then key bytes, with its final value and timestamp', () => {
    withHarness(harness(TimeWindows.ofSizeWithNoGrace(10), { emitStrategy: 'onWindowClose', sendOldValues: true }), (h) => {
      h.pipe(['B', 'x', 1], ['A', 'y', 2], ['B', 'z', 9]);
      assert.deepEqual(h.read(), [], 'nothing before a window closes');
      h.pipe(['A', 'c', 11, 'closer']);
      assert.deepEqual(h.read(), ['A[0,10]=y/null@2 #closer', 'B[0,10]=xz/null@9 #closer'], "with the closing record's headers");
      h.pipe(['B', 'd', 15], ['A', 'e', 19]);
      assert.deepEqual(h.read(), [], 'stream time moved, but no further window closed');
      h.pipe(['A', 'f', 3], ['A', 'g', 25]);
      assert.deepEqual(h.read(), ['A[10,20]=ce/null@19', 'B[10,20]=d/null@15']);
      assert.equal(h.dropped().lateRecords, 1, 'f@3 came after its window closed');
    });
  });

  it('emits overlapping hopping windows as each one closes', () => {
    withHarness(harness(TimeWindows.ofSizeWithNoGrace(10).advanceBy(5), { emitStrategy: 'onWindowClose' }), (h) => {
      h.pipe(['A', 'a', 3], ['A', 'b', 7], ['A', 'c', 12]);
      assert.deepEqual(h.read(), ['A[0,10]=ab@7']);
      h.pipe(['A', 'd', 16]);
      assert.deepEqual(h.read(), ['A[5,15]=bc@12']);
      h.pipe(['A', 'e', 30]);
      assert.deepEqual(h.read(), ['A[10,20]=cd@16', 'A[15,25]=d@16']);
    });
  });

  it('waits for the grace period before emitting', () => {
    withHarness(harness(TimeWindows.ofSizeAndGrace(10, 5), { emitStrategy: 'onWindowClose' }), (h) => {
      h.pipe(['A', 'a', 1], ['A', 'b', 14], ['A', 'c', 9]);
      assert.deepEqual(h.read(), []);
      h.pipe(['A', 'd', 30]);
      assert.deepEqual(h.read(), ['A[0,10]=ac@9', 'A[10,20]=b@14']);
    });
  });

  it('emits a window even when the record closing it moves the store past its retention (retention = size + grace)', () => {
    withHarness(harness(TimeWindows.ofSizeWithNoGrace(10), { emitStrategy: 'onWindowClose', retentionMs: 10 }), (h) => {
      h.pipe(['A', 'a', 1], ['B', 'b', 10]);
      assert.deepEqual(h.read(), ['A[0,10]=a@1']);
    });
  });

  it('resumes after a crash from the committed watermark, without emitting a window twice', () => {
    const open = (stateDir: string): WindowedAggregateHarness =>
      harness(TimeWindows.ofSizeWithNoGrace(10), { emitStrategy: 'onWindowClose', persistent: true, retentionMs: 1_000, stateDir });
    withRestarts(open, (start) => {
      const first = start();
      first.pipe(['A', 'a', 1], ['A', 'b', 11]);
      assert.deepEqual(first.read(), ['A[0,10]=a@1']);
      // The first driver is abandoned without closing (a crash): its state was committed after each record.
      const second = start();
      second.pipe(['A', 'c', 15]);
      assert.deepEqual(second.read(), [], '[0,10) was emitted before the crash');
      second.pipe(['A', 'd', 20]);
      assert.deepEqual(second.read(), ['A[10,20]=bc@15'], 'the window store kept b from before the crash');
    });
  });
});
