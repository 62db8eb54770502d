import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RestoreProgress, type RestorePlan } from '../../../../src/runtime/tasks/restore-progress.js';
import type { StateRestoreListener } from '../../../../src/runtime/tasks/state-restore-listener.js';
import { RecordingLogger } from '../tasks/runtime-fakes.js';

const plan = (partition: number, from: number, to: number): RestorePlan => ({ taskId: `0_${partition}`, store: 'counts', topic: 'app-counts-changelog', partition, from, to });

function recordingListener(calls: unknown[][]): StateRestoreListener {
  return {
    onRestoreStart: (p, store, from, to) => calls.push(['start', p.partition, store, from, to]),
    onBatchRestored: (p, store, end, n) => calls.push(['batch', p.partition, store, end, n]),
    onRestoreEnd: (p, store, total) => calls.push(['end', p.partition, store, total]),
    onRestoreSuspended: (p, store, total) => calls.push(['suspended', p.partition, store, total]),
  };
}

test('the listener hears start, batches and end or suspension; remaining records shrink with each batch; progress is logged with a rate', () => {
  const calls: unknown[][] = [];
  const logger = new RecordingLogger();
  let now = 1_000;
  const progress = new RestoreProgress(() => recordingListener(calls), logger, () => now);
  const one = plan(0, 10, 110);
  const two = plan(1, 0, 50);
  progress.start(one, logger);
  progress.start(two, logger);
  now += 500;
  progress.batch(one, 59, 48); // two keyless records skipped: the position still moves to 60
  assert.deepEqual(progress.restoring().map((r) => [r.taskId, r.remaining]), [['0_0', 50], ['0_1', 50]]);
  now += 10_000;
  progress.batch(one, 109, 50);
  progress.end(one);
  progress.suspend([one, two]);
  assert.deepEqual(progress.restoring(), []);
  assert.deepEqual(calls, [
    ['start', 0, 'counts', 10, 110],
    ['start', 1, 'counts', 0, 50],
    ['batch', 0, 'counts', 59, 48],
    ['batch', 0, 'counts', 109, 50],
    ['end', 0, 'counts', 98],
    ['suspended', 1, 'counts', 0],
  ]);
  const progressLine = logger.entries.find((e) => e.message === 'restoration progress')!.fields as Record<string, number>;
  assert.equal(progressLine.remaining, 0);
  assert.equal(progressLine.recordsPerSecond, Math.round(98 / 10.5));
  const restored = logger.entries.find((e) => e.message === 'store restored')!.fields as Record<string, number>;
  assert.deepEqual([restored.restored, restored.total, restored.durationMs], [98, 100, 10_500]);
  assert.ok(logger.entries.some((e) => e.message === 'restoration suspended'));
});

test('a listener that throws is logged with the store partition, and restoration goes on', () => {
  const logger = new RecordingLogger();
  const failing: StateRestoreListener = {
    onRestoreStart: () => {
      throw new Error('listener bug');
    },
    onBatchRestored: () => undefined,
    onRestoreEnd: () => undefined,
  };
  const progress = new RestoreProgress(() => failing, logger);
  progress.start(plan(3, 0, 5), logger);
  progress.batch(plan(3, 0, 5), 4, 5);
  progress.end(plan(3, 0, 5));
  const failure = logger.entries.find((e) => e.message === 'state restore listener failed')!;
  assert.equal(failure.level, 'error');
  assert.deepEqual(failure.fields, { method: 'onRestoreStart', taskId: '0_3', store: 'counts', topic: 'app-counts-changelog', partition: 3, error: 'Error: listener bug' });
  assert.ok(logger.entries.some((e) => e.message === 'store restored'));
});
