import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slidingWindowAggregateSupplier } from '../../../src/windows/sliding-window-aggregate.js';
import { SlidingWindows } from '../../../src/windows/sliding-windows.js';
import { aggregateHarness, reduceConcat, withHarness, withRestarts } from './windowed-aggregate-harness.js';
import type { AggregateSupplierOf, AggregateTestOptions, WindowedAggregateHarness } from './windowed-aggregate-harness.js';

function harness(windows: SlidingWindows, options?: AggregateTestOptions): WindowedAggregateHarness {
  const supplier: AggregateSupplierOf = (functions, settings) =>
    slidingWindowAggregateSupplier(windows, functions.initializer, functions.aggregator, settings);
  return aggregateHarness({ supplier, windowSizeMs: windows.timeDifferenceMs, minimumRetentionMs: windows.minimumRetentionMs }, options);
}

/** Time difference 10 and a grace long enough that nothing closes: the window-creation rules alone. */
const OPEN_WINDOWS = SlidingWindows.ofTimeDifferenceAndGrace(10, 100);

describe('slidingWindowAggregateSupplier: window creation', () => {
  it("gives each record a left window, and the previous record a right window once a later record falls in it", () => {
    withHarness(harness(OPEN_WINDOWS), (h) => {
      h.pipe(['A', 'a', 20]);
      assert.deepEqual(h.read(), ['A[10,20]=a@20']);
      // b's left window [15,25] takes a (20 >= 15) from a's left window; a's right window [21,31] starts with b.
      h.pipe(['A', 'b', 25]);
      assert.deepEqual(h.read(), ['A[21,31]=b@25', 'A[15,25]=ab@25']);
    });
  });

  it('updates the windows an out-of-order record falls in, latest start first, then creates its own', () => {
    withHarness(harness(OPEN_WINDOWS), (h) => {
      h.pipe(['A', 'a', 20], ['A', 'b', 25]);
      h.read();
      h.pipe(['A', 'c', 22]);
      // c's right window [23,33] holds b alone, copied from the window that held b when c arrived.
      assert.deepEqual(h.read(), ['A[21,31]=bc@25', 'A[15,25]=abc@25', 'A[12,22]=ac@22', 'A[23,33]=b@25']);
      h.pipe(['A', 'd', 22]);
      assert.deepEqual(h.read(), ['A[21,31]=bcd@25', 'A[15,25]=abcd@25', 'A[12,22]=acd@22'], 'a second record at 22 creates nothing');
    });
  });

  it('creates no right window for a record whose later neighbours are out of reach', () => {
    withHarness(harness(OPEN_WINDOWS), (h) => {
      h.pipe(['A', 'a', 40], ['A', 'b', 20]);
      assert.deepEqual(h.read(), ['A[30,40]=a@40', 'A[10,20]=b@20']);
    });
  });

  it('puts records earlier than the time difference in [0, difference], with right windows between them', () => {
    withHarness(harness(OPEN_WINDOWS), (h) => {
      h.pipe(['B', 'e', 3]);
      assert.deepEqual(h.read(), ['B[0,10]=e@3']);
      h.pipe(['B', 'f', 7]);
      assert.deepEqual(h.read(), ['B[4,14]=f@7', 'B[0,10]=ef@7']);
      h.pipe(['B', 'g', 5]);
      assert.deepEqual(h.read(), ['B[4,14]=fg@7', 'B[6,16]=f@7', 'B[0,10]=efg@7']);
      // The first record after the time difference: its left window [2,12] starts from the combined window.
      h.pipe(['B', 'h', 12]);
      assert.deepEqual(h.read(), ['B[6,16]=fh@12', 'B[4,14]=fgh@12', 'B[8,18]=h@12', 'B[2,12]=efgh@12']);
    });
  });

  it('forwards the value a new window starts from as old value, with sendOldValues', () => {
    withHarness(harness(OPEN_WINDOWS, { sendOldValues: true }), (h) => {
      h.pipe(['A', 'a', 20], ['A', 'b', 25]);
      assert.deepEqual(h.read(), ['A[10,20]=a/@20', 'A[21,31]=b/@25', 'A[15,25]=ab/a@25']);
      h.pipe(['A', 'c', 22]);
      assert.deepEqual(h.read(), ['A[21,31]=bc/b@25', 'A[15,25]=abc/ab@25', 'A[12,22]=ac/a@22', 'A[23,33]=b/null@25']);
    });
  });

  it('works as reduce: the same windows, values and timestamps', () => {
    const inputs: Array<[string, string, number]> = [['A', 'a', 20], ['A', 'b', 25], ['A', 'c', 22], ['A', 'e', 3], ['A', 'f', 7]];
    const aggregate = harness(OPEN_WINDOWS);
    const reduce = harness(OPEN_WINDOWS, { functions: reduceConcat });
    try {
      aggregate.pipe(...inputs);
      reduce.pipe(...inputs);
      assert.deepEqual(reduce.read(), aggregate.read());
    } finally {
      aggregate.close();
      reduce.close();
    }
  });
});

describe('slidingWindowAggregateSupplier: late records', () => {
  it('drops a record whose right window would be closed, and counts one that misses only its left window', () => {
    withHarness(harness(SlidingWindows.ofTimeDifferenceWithNoGrace(10)), (h) => {
      h.pipe(['C', 'x', 30]);
      assert.deepEqual(h.read(), ['C[20,30]=x@30']);
      h.pipe(['C', 'y', 15]);
      assert.deepEqual(h.read(), [], '15 + 10 < stream time 30: dropped');
      assert.equal(h.dropped().lateRecords, 1);
      h.pipe(['C', 'z', 21]);
      assert.deepEqual(h.read(), ['C[20,30]=xz@30', 'C[22,32]=x@30'], 'its left window [11,21] is closed');
      assert.equal(h.dropped().lateRecords, 2);
      h.pipe(['C', 'q', 20]);
      assert.deepEqual(h.read(), ['C[20,30]=xzq@30', 'C[21,31]=xz@30'], 'window end 30 = stream time - grace: still open');
      assert.equal(h.dropped().lateRecords, 3);
    });
  });
});

describe('slidingWindowAggregateSupplier: emitStrategy onWindowClose', () => {
  it('forwards each window once after its end passes stream time - grace, by start then key', () => {
    withHarness(harness(SlidingWindows.ofTimeDifferenceWithNoGrace(10), { emitStrategy: 'onWindowClose', retentionMs: 100 }), (h) => {
      h.pipe(['B', 'x', 4], ['A', 'a', 5]);
      assert.deepEqual(h.read(), []);
      h.pipe(['A', 'b', 12]);
      assert.deepEqual(h.read(), ['A[0,10]=a@5', 'B[0,10]=x@4']);
      h.pipe(['A', 'c', 30]);
      assert.deepEqual(h.read(), ['A[2,12]=ab@12', 'A[6,16]=b@12']);
    });
  });

  it('resumes after a crash without emitting a window twice', () => {
    const windows = SlidingWindows.ofTimeDifferenceWithNoGrace(10);
    const open = (stateDir: string): WindowedAggregateHarness =>
      harness(windows, { emitStrategy: 'onWindowClose', persistent: true, retentionMs: 1_000, stateDir });
    withRestarts(open, (start) => {
      const first = start();
      first.pipe(['A', 'a', 5], ['A', 'b', 12]);
      assert.deepEqual(first.read(), ['A[0,10]=a@5']);
      const second = start();
      second.pipe(['A', 'c', 30]);
      assert.deepEqual(second.read(), ['A[2,12]=ab@12', 'A[6,16]=b@12']);
    });
  });
});
