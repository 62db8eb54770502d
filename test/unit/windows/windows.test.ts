import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TopologyError } from '../../../src/core/errors.js';
import { SessionWindows } from '../../../src/windows/session-windows.js';
import { SlidingWindows } from '../../../src/windows/sliding-windows.js';
import { TimeWindows } from '../../../src/windows/time-windows.js';

describe('TimeWindows', () => {
  it('puts a record in exactly one tumbling window, half-open and aligned to the epoch', () => {
    const windows = TimeWindows.ofSizeWithNoGrace(10);
    assert.deepEqual(windows.windowsFor(0), [{ start: 0, end: 10 }]);
    assert.deepEqual(windows.windowsFor(9), [{ start: 0, end: 10 }]);
    assert.deepEqual(windows.windowsFor(10), [{ start: 10, end: 20 }]);
    assert.deepEqual(windows.windowsFor(1_000_005), [{ start: 1_000_000, end: 1_000_010 }]);
  });

  it('puts a record in size / advance hopping windows, ascending by start', () => {
    const windows = TimeWindows.ofSizeWithNoGrace(10).advanceBy(5);
    assert.deepEqual(windows.windowsFor(12), [
      { start: 5, end: 15 },
      { start: 10, end: 20 },
    ]);
    assert.deepEqual(windows.windowsFor(15), [
      { start: 10, end: 20 },
      { start: 15, end: 25 },
    ]);
    const uneven = TimeWindows.ofSizeWithNoGrace(10).advanceBy(3);
    assert.deepEqual(
      uneven.windowsFor(20).map((w) => w.start),
      [12, 15, 18],
    );
  });

  it('drops windows that would start before the epoch, as Kafka Streams does', () => {
    const windows = TimeWindows.ofSizeWithNoGrace(10).advanceBy(5);
    assert.deepEqual(windows.windowsFor(3), [{ start: 0, end: 10 }]);
  });

  it('keeps size, advance and grace, and validates them like Kafka Streams', () => {
    const windows = TimeWindows.ofSizeAndGrace(60_000, 5_000).advanceBy(10_000);
    assert.equal(windows.sizeMs, 60_000);
    assert.equal(windows.advanceMs, 10_000);
    assert.equal(windows.graceMs, 5_000);
    assert.equal(windows.minimumRetentionMs, 65_000);
    assert.throws(() => TimeWindows.ofSizeWithNoGrace(0), TopologyError);
    assert.throws(() => TimeWindows.ofSizeAndGrace(10, -1), TopologyError);
    assert.throws(() => TimeWindows.ofSizeWithNoGrace(10).advanceBy(0), TopologyError);
    assert.throws(() => TimeWindows.ofSizeWithNoGrace(10).advanceBy(11), TopologyError);
    assert.throws(() => TimeWindows.ofSizeWithNoGrace(1.5), TopologyError);
  });
});

describe('SlidingWindows and SessionWindows', () => {
  it('accept a zero time difference but not a zero gap', () => {
    assert.equal(SlidingWindows.ofTimeDifferenceWithNoGrace(0).timeDifferenceMs, 0);
    assert.equal(SlidingWindows.ofTimeDifferenceAndGrace(100, 20).minimumRetentionMs, 120);
    assert.throws(() => SlidingWindows.ofTimeDifferenceWithNoGrace(-1), TopologyError);
    assert.equal(SessionWindows.ofInactivityGapAndGrace(300, 30).minimumRetentionMs, 330);
    assert.equal(SessionWindows.ofInactivityGapWithNoGrace(5).graceMs, 0);
    assert.throws(() => SessionWindows.ofInactivityGapWithNoGrace(0), TopologyError);
    assert.throws(() => SessionWindows.ofInactivityGapAndGrace(5, -1), TopologyError);
  });
});
