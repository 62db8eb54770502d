import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TopologyError } from '../../../src/core/errors.js';
import { JoinWindows } from '../../../src/windows/join-windows.js';

describe('JoinWindows', () => {
  it('sets both bounds to the time difference, with or without grace', () => {
    const windows = JoinWindows.ofTimeDifferenceAndGrace(100, 20);
    assert.deepEqual([windows.beforeMs, windows.afterMs, windows.graceMs, windows.sizeMs, windows.retentionMs], [100, 100, 20, 200, 220]);
    assert.equal(JoinWindows.ofTimeDifferenceWithNoGrace(5).graceMs, 0);
  });

  it('before() and after() return new windows with one bound changed', () => {
    const base = JoinWindows.ofTimeDifferenceWithNoGrace(10);
    const shifted = base.before(0).after(30);
    assert.deepEqual([shifted.beforeMs, shifted.afterMs, shifted.sizeMs], [0, 30, 30]);
    assert.deepEqual([base.beforeMs, base.afterMs], [10, 10]);
    // A negative bound shifts the window, as long as the size stays non-negative.
    assert.equal(base.before(-5).sizeMs, 5);
    assert.equal(String(base.after(3)), 'JoinWindows{beforeMs=10, afterMs=3, graceMs=0}');
  });

  it("refuses a negative size or grace with Kafka Streams' messages", () => {
    assert.throws(() => JoinWindows.ofTimeDifferenceWithNoGrace(-1), { name: TopologyError.name, message: 'Window interval (ie, beforeMs+afterMs) must not be negative.' });
    assert.throws(() => JoinWindows.ofTimeDifferenceWithNoGrace(10).before(-11), /Window interval \(ie, beforeMs\+afterMs\) must not be negative\./);
    assert.throws(() => JoinWindows.ofTimeDifferenceAndGrace(10, -1), /Grace period must not be negative\./);
    assert.throws(() => JoinWindows.ofTimeDifferenceWithNoGrace(1.5), /time difference must be an integer/);
  });
});
