import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sessionWindowAggregateSupplier } from '../../../src/windows/session-window-aggregate.js';
import { SessionWindows } from '../../../src/windows/session-windows.js';
import { aggregateHarness, reduceConcat, withHarness, withRestarts } from './windowed-aggregate-harness.js';
import type { AggregateSupplierOf, AggregateTestOptions, WindowedAggregateHarness } from './windowed-aggregate-harness.js';

function harness(windows: SessionWindows, options?: AggregateTestOptions): WindowedAggregateHarness {
  const supplier: AggregateSupplierOf = (functions, settings) =>
    sessionWindowAggregateSupplier(windows, functions.initializer, functions.aggregator, functions.merger, settings);
  return aggregateHarness({ supplier, windowSizeMs: undefined, minimumRetentionMs: windows.minimumRetentionMs }, options);
}

const GAP_10 = SessionWindows.ofInactivityGapWithNoGrace(10);

describe('sessionWindowAggregateSupplier: merging', () => {
  it('extends a session, retracting the replaced one with a tombstone first; records carry the session end', () => {
    withHarness(harness(GAP_10), (h) => {
      h.pipe(['A', 'a', 0], ['A', 'b', 5]);
      assert.deepEqual(h.read(), ['A[0,0]=a@0', 'A[0,0]=null@0', 'A[0,5]=ab@5']);
      h.pipe(['A', 'c', 16]);
      assert.deepEqual(h.read(), ['A[16,16]=c@16'], '16 - 5 > gap: a new session');
    });
  });

  it('merges the sessions a record bridges, by end, retracting each', () => {
    withHarness(harness(SessionWindows.ofInactivityGapAndGrace(10, 20)), (h) => {
      h.pipe(['A', 'a', 0], ['A', 'b', 5], ['A', 'c', 30], ['A', 'e', 20]);
      h.read();
      h.pipe(['A', 'f', 12]);
      assert.deepEqual(h.read(), ['A[0,5]=null@5', 'A[20,30]=null@30', 'A[0,30]=abcef@30']);
      h.pipe(['A', 'g', 10]);
      assert.deepEqual(h.read(), ['A[0,30]=null@30', 'A[0,30]=abcefg@30'], 'a record inside a session replaces it too');
    });
  });

  it("forwards session updates without the input's headers, as Kafka Streams builds them as new records", () => {
    withHarness(harness(GAP_10), (h) => {
      h.pipe(['A', 'a', 0, 'first'], ['A', 'b', 5, 'second']);
      assert.deepEqual(h.read(), ['A[0,0]=a@0', 'A[0,0]=null@0', 'A[0,5]=ab@5']);
    });
  });

  it('keeps one session per point when a record repeats its timestamp, without a tombstone', () => {
    withHarness(harness(GAP_10), (h) => {
      h.pipe(['A', 'a', 7], ['A', 'b', 7]);
      assert.deepEqual(h.read(), ['A[7,7]=a@7', 'A[7,7]=ab@7']);
    });
  });

  it('forwards the retracted value as old value with sendOldValues; a merged session has none', () => {
    withHarness(harness(GAP_10, { sendOldValues: true }), (h) => {
      h.pipe(['A', 'a', 0], ['A', 'b', 5]);
      assert.deepEqual(h.read(), ['A[0,0]=a/null@0', 'A[0,0]=null/a@0', 'A[0,5]=ab/null@5']);
    });
  });

  it('works as reduce: a null initial aggregate merged and then taken over', () => {
    withHarness(harness(SessionWindows.ofInactivityGapAndGrace(10, 20), { functions: reduceConcat }), (h) => {
      h.pipe(['A', 'a', 0], ['A', 'b', 20], ['A', 'c', 10]);
      assert.deepEqual(h.read(), ['A[0,0]=a@0', 'A[20,20]=b@20', 'A[0,0]=null@0', 'A[20,20]=null@20', 'A[0,20]=abc@20']);
    });
  });
});

describe('sessionWindowAggregateSupplier: late records', () => {
  it('drops a record whose merged session ends before stream time - gap - grace; one ending exactly there is on time', () => {
    withHarness(harness(GAP_10), (h) => {
      h.pipe(['A', 'c', 30]);
      h.read();
      h.pipe(['B', 'x', 19]);
      assert.deepEqual(h.read(), [], '19 + gap 10 < stream time 30');
      assert.equal(h.dropped().lateRecords, 1);
      h.pipe(['B', 'y', 20]);
      assert.deepEqual(h.read(), ['B[20,20]=y@20'], '20 + gap 10 = stream time 30: Kafka Streams still takes it');
      h.pipe(['A', 'd', 15]);
      assert.deepEqual(h.read(), [], 'no session within the gap to merge with');
      h.pipe(['A', 'e', 20]);
      assert.deepEqual(h.read(), ['A[30,30]=null@30', 'A[20,30]=ce@30'], 'a record merging into an open session is on time');
      assert.equal(h.dropped().lateRecords, 2);
    });
  });
});

describe('sessionWindowAggregateSupplier: emitStrategy onWindowClose', () => {
  it('forwards each closed session once, by end then key, without the tombstones of merges', () => {
    withHarness(harness(GAP_10, { emitStrategy: 'onWindowClose', retentionMs: 100 }), (h) => {
      h.pipe(['B', 'b', 5], ['A', 'a', 0], ['A', 'c', 5], ['C', 'x', 3]);
      assert.deepEqual(h.read(), []);
      h.pipe(['D', 'd', 30, 'closer']);
      assert.deepEqual(h.read(), ['C[3,3]=x@3 #closer', 'A[0,5]=ac@5 #closer', 'B[5,5]=b@5 #closer'], "with the closing record's headers");
      h.pipe(['A', 'e', 25], ['D', 'f', 35]);
      assert.deepEqual(h.read(), [], 'stream time 35 closes sessions ending before 25');
      h.pipe(['D', 'g', 50]);
      assert.deepEqual(h.read(), ['A[25,25]=e@25', 'D[30,35]=df@35']);
    });
  });

  it('resumes after a crash without emitting a session twice', () => {
    const open = (stateDir: string): WindowedAggregateHarness =>
      harness(GAP_10, { emitStrategy: 'onWindowClose', persistent: true, retentionMs: 1_000, stateDir });
    withRestarts(open, (start) => {
      const first = start();
      first.pipe(['A', 'a', 0], ['A', 'b', 12], ['A', 'c', 21]);
      assert.deepEqual(first.read(), ['A[0,0]=a@0']);
      const second = start();
      second.pipe(['A', 'd', 30]);
      assert.deepEqual(second.read(), []);
      second.pipe(['B', 'e', 45]);
      assert.deepEqual(second.read(), ['A[12,30]=bcd@30']);
    });
  });
});
