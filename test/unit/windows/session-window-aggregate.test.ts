import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { Stores } from '../../../src/state/stores.js';
import { sessionWindowAggregateSupplier } from '../../../src/windows/session-window-aggregate.js';
import { SessionWindows } from '../../../src/windows/session-windows.js';
import type { EmitStrategy } from '../../../src/windows/windowed-aggregate-settings.js';
import { WindowedSerdes } from '../../../src/windows/windowed-serdes.js';
import { concat, reduceConcat, settings, STORE, WindowedAggregateHarness } from './windowed-aggregate-harness.js';

interface SessionHarnessOptions {
  readonly emitStrategy?: EmitStrategy;
  readonly sendOldValues?: boolean;
  readonly retentionMs?: number;
  readonly persistent?: boolean;
  readonly stateDir?: string;
  readonly functions?: typeof concat;
}

function harness(windows: SessionWindows, options: SessionHarnessOptions = {}): WindowedAggregateHarness {
  const { emitStrategy = 'onWindowUpdate', sendOldValues = false, persistent = false, functions = concat } = options;
  const retentionMs = options.retentionMs ?? windows.minimumRetentionMs;
  const supplier = sessionWindowAggregateSupplier(
    windows,
    functions.initializer,
    functions.aggregator,
    functions.merger,
    settings(emitStrategy, sendOldValues),
  );
  const bytesStore = persistent ? Stores.persistentSessionStore(STORE, retentionMs) : Stores.inMemorySessionStore(STORE, retentionMs);
  return new WindowedAggregateHarness({
    supplier,
    store: Stores.sessionStoreBuilder(bytesStore, Serdes.String(), Serdes.String()),
    windowedKeySerde: WindowedSerdes.sessionWindowedSerdeFrom(Serdes.String()),
    emitOnClose: emitStrategy === 'onWindowClose' ? { persistent } : undefined,
    showOldValues: sendOldValues,
    stateDir: options.stateDir,
  });
}

const GAP_10 = SessionWindows.ofInactivityGapWithNoGrace(10);

describe('sessionWindowAggregateSupplier: merging', () => {
  it('extends a session, retracting the replaced one with a tombstone first; records carry the session end', () => {
    const h = harness(GAP_10);
    try {
      h.pipe(['A', 'a', 0], ['A', 'b', 5]);
      assert.deepEqual(h.read(), ['A[0,0]=a@0', 'A[0,0]=null@0', 'A[0,5]=ab@5']);
      h.pipe(['A', 'c', 16]);
      assert.deepEqual(h.read(), ['A[16,16]=c@16'], '16 - 5 > gap: a new session');
    } finally {
      h.close();
    }
  });

  it('merges the sessions a record bridges, by end, retracting each', () => {
    const h = harness(SessionWindows.ofInactivityGapAndGrace(10, 20));
    try {
      h.pipe(['A', 'a', 0], ['A', 'b', 5], ['A', 'c', 30], ['A', 'e', 20]);
      h.read();
      h.pipe(['A', 'f', 12]);
      assert.deepEqual(h.read(), ['A[0,5]=null@5', 'A[20,30]=null@30', 'A[0,30]=abcef@30']);
      h.pipe(['A', 'g', 10]);
      assert.deepEqual(h.read(), ['A[0,30]=null@30', 'A[0,30]=abcefg@30'], 'a record inside a session replaces it too');
    } finally {
      h.close();
    }
  });

  it("forwards session updates without the input's headers, as Kafka Streams builds them as new records", () => {
    const h = harness(GAP_10);
    try {
      h.pipe(['A', 'a', 0, 'first'], ['A', 'b', 5, 'second']);
      assert.deepEqual(h.read(), ['A[0,0]=a@0', 'A[0,0]=null@0', 'A[0,5]=ab@5']);
    } finally {
      h.close();
    }
  });

  it('keeps one session per point when a record repeats its timestamp, without a tombstone', () => {
    const h = harness(GAP_10);
    try {
      h.pipe(['A', 'a', 7], ['A', 'b', 7]);
      assert.deepEqual(h.read(), ['A[7,7]=a@7', 'A[7,7]=ab@7']);
    } finally {
      h.close();
    }
  });

  it('forwards the retracted value as old value with sendOldValues; a merged session has none', () => {
    const h = harness(GAP_10, { sendOldValues: true });
    try {
      h.pipe(['A', 'a', 0], ['A', 'b', 5]);
      assert.deepEqual(h.read(), ['A[0,0]=a/null@0', 'A[0,0]=null/a@0', 'A[0,5]=ab/null@5']);
    } finally {
      h.close();
    }
  });

  it('works as reduce: a null initial aggregate merged and then taken over', () => {
    const h = harness(SessionWindows.ofInactivityGapAndGrace(10, 20), { functions: reduceConcat });
    try {
      h.pipe(['A', 'a', 0], ['A', 'b', 20], ['A', 'c', 10]);
      assert.deepEqual(h.read(), ['A[0,0]=a@0', 'A[20,20]=b@20', 'A[0,0]=null@0', 'A[20,20]=null@20', 'A[0,20]=abc@20']);
    } finally {
      h.close();
    }
  });
});

describe('sessionWindowAggregateSupplier: late records', () => {
  it('drops a record whose merged session ends before stream time - gap - grace; one ending exactly there is on time', () => {
    const h = harness(GAP_10);
    try {
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
    } finally {
      h.close();
    }
  });
});

describe('sessionWindowAggregateSupplier: emitStrategy onWindowClose', () => {
  it('forwards each closed session once, by end then key, without the tombstones of merges', () => {
    const h = harness(GAP_10, { emitStrategy: 'onWindowClose', retentionMs: 100 });
    try {
      h.pipe(['B', 'b', 5], ['A', 'a', 0], ['A', 'c', 5], ['C', 'x', 3]);
      assert.deepEqual(h.read(), []);
      h.pipe(['D', 'd', 30, 'closer']);
      assert.deepEqual(h.read(), ['C[3,3]=x@3 #closer', 'A[0,5]=ac@5 #closer', 'B[5,5]=b@5 #closer'], "with the closing record's headers");
      h.pipe(['A', 'e', 25], ['D', 'f', 35]);
      assert.deepEqual(h.read(), [], 'stream time 35 closes sessions ending before 25');
      h.pipe(['D', 'g', 50]);
      assert.deepEqual(h.read(), ['A[25,25]=e@25', 'D[30,35]=df@35']);
    } finally {
      h.close();
    }
  });

  it('resumes after a crash without emitting a session twice', () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-sessions-'));
    const options: SessionHarnessOptions = { emitStrategy: 'onWindowClose', persistent: true, retentionMs: 1_000, stateDir };
    const first = harness(GAP_10, options);
    let second: WindowedAggregateHarness | undefined;
    try {
      first.pipe(['A', 'a', 0], ['A', 'b', 12], ['A', 'c', 21]);
      assert.deepEqual(first.read(), ['A[0,0]=a@0']);
      second = harness(GAP_10, options);
      second.pipe(['A', 'd', 30]);
      assert.deepEqual(second.read(), []);
      second.pipe(['B', 'e', 45]);
      assert.deepEqual(second.read(), ['A[12,30]=bcd@30']);
    } finally {
      second?.close();
      first.close();
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
