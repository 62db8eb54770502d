import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Change } from '../../../src/core/change.js';
import { TopologyError } from '../../../src/core/errors.js';
import { Headers } from '../../../src/core/headers.js';
import type { ProcessorContext, ProcessorSupplier } from '../../../src/core/processor.js';
import { Serdes } from '../../../src/core/serdes.js';
import type { Windowed } from '../../../src/core/windowed.js';
import type { ChangelogRecord } from '../../../src/state/changelog.js';
import { TestRecord, TopologyTestDriver, type TopologyTestDriverConfig } from '../../../src/testing/index.js';
import { suppressSupplier } from '../../../src/topology/dsl/suppress/suppress-processor.js';
import { BufferConfig, Suppressed } from '../../../src/topology/dsl/suppress/suppressed.js';
import type { SuppressionBuffer } from '../../../src/state/suppression/suppression-buffer.js';
import { suppressionBufferStoreBuilder } from '../../../src/state/suppression/suppression-buffer-store.js';
import { SuppressionBufferFullError } from '../../../src/topology/dsl/suppress/suppression-buffer-full-error.js';
import { Topology } from '../../../src/topology/topology.js';
import { WindowedSerdes } from '../../../src/windows/windowed-serdes.js';

const SIZE = 10;
const STORE = 'suppress-buffer';
const APP = 'suppress-app';
const CHANGELOG = `${APP}-${STORE}-changelog`;

/** What the test pipes: a change, and for windowed topologies the start of its (tumbling, size 10) window. */
interface ChangeInput {
  readonly start?: number;
  readonly newValue: number | null;
  readonly oldValue: number | null;
}

/** Stands in for a (windowed) aggregation: forwards each input as the `Change` it describes. */
function changes(windowed: boolean): ProcessorSupplier<string, string, unknown, Change<number>> {
  return () => {
    let context: ProcessorContext<unknown, Change<number>>;
    return {
      init: (c) => (context = c),
      process(record) {
        const { start, newValue, oldValue } = JSON.parse(record.value) as ChangeInput;
        const key: string | Windowed<string> = windowed ? { key: record.key, window: { start: start!, end: start! + SIZE } } : record.key;
        context.forward(record.withKey(key).withValue({ newValue, oldValue }));
      },
    };
  };
}

/** Renders what suppress forwards as `key` or `key@start`, and `new<-old`. */
function render(): ProcessorSupplier<string | Windowed<string>, Change<number>, string, string> {
  return () => {
    let context: ProcessorContext<string, string>;
    return {
      init: (c) => (context = c),
      process(record) {
        const key = typeof record.key === 'string' ? record.key : `${record.key.key}@${record.key.window.start}`;
        context.forward(record.withKey(key).withValue(`${record.value.newValue}<-${record.value.oldValue}`));
      },
    };
  };
}

interface TopologyOptions {
  readonly graceMs?: number;
  readonly persistent?: boolean;
  readonly logging?: boolean | { readonly [key: string]: string };
}

function suppressTopology(suppressed: Suppressed, options: TopologyOptions = {}): Topology {
  const windowed = suppressed.untilWindowCloses;
  const keySerde = windowed ? WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), SIZE) : Serdes.String();
  const graceMs = windowed ? (options.graceMs ?? 0) : undefined;
  const buffer = suppressionBufferStoreBuilder<unknown, number>(STORE, keySerde as never, Serdes.Long(), {
    persistent: options.persistent ?? false,
    logging: options.logging ?? true,
  });
  return new Topology()
    .addSource('in', 'changes', { keySerde: Serdes.String(), valueSerde: Serdes.String() })
    .addProcessor('changes', changes(windowed), 'in')
    .addProcessor('suppress', suppressSupplier({ processorName: 'suppress', storeName: STORE, suppressed, graceMs }), 'changes')
    .addStateStore(buffer, 'suppress')
    .addProcessor('render', render(), 'suppress')
    .addSink('out', 'out', { keySerde: Serdes.String(), valueSerde: Serdes.String() }, 'render');
}

class Harness {
  readonly driver: TopologyTestDriver;
  private readonly input;
  private readonly output;

  constructor(topology: Topology, config: TopologyTestDriverConfig = {}) {
    this.driver = new TopologyTestDriver(topology, { applicationId: APP, ...config }, 0);
    this.input = this.driver.createInputTopic('changes', Serdes.String(), Serdes.String());
    this.output = this.driver.createOutputTopic('out', Serdes.String(), Serdes.String());
  }

  /** Pipes a change; returns what came out, as `key=new<-old@timestamp`. */
  pipe(key: string, change: ChangeInput, timestamp: number, headers?: Headers): string[] {
    return this.pipeForRecords(key, change, timestamp, headers).map((r) => `${r.key}=${r.value}@${r.timestamp}`);
  }

  pipeForRecords(key: string, change: ChangeInput, timestamp: number, headers?: Headers): Array<TestRecord<string, string>> {
    this.input.pipeInput(new TestRecord(key, JSON.stringify(change), timestamp, headers));
    return this.output.readRecordsToList();
  }

  buffer(): SuppressionBuffer<unknown, number> {
    return this.driver.getStateStore<SuppressionBuffer<unknown, number>>(STORE)!;
  }

  changelog(): ChangelogRecord[] {
    return this.driver
      .createOutputTopic(CHANGELOG, Serdes.ByteArray(), Serdes.ByteArray())
      .readRecordsToList()
      .map((r) => ({ key: r.key!, value: r.value, timestampMs: r.timestamp! }));
  }

  close(): void {
    this.driver.close();
  }
}

function withHarness(topology: Topology, test: (harness: Harness) => void, config?: TopologyTestDriverConfig): void {
  const harness = new Harness(topology, config);
  try {
    test(harness);
  } finally {
    harness.close();
  }
}

const update = (start: number, newValue: number | null, oldValue: number | null): ChangeInput => ({ start, newValue, oldValue });
const plain = (newValue: number | null, oldValue: number | null): ChangeInput => ({ newValue, oldValue });

describe('Suppressed.untilWindowCloses', () => {
  it('emits each window once, when stream time reaches end + grace, oldest end first then by key bytes', () => {
    withHarness(suppressTopology(Suppressed.untilWindowCloses(BufferConfig.unbounded()), { graceMs: 5 }), (h) => {
      assert.deepEqual(h.pipe('b', update(0, 1, null), 1), []);
      assert.deepEqual(h.pipe('a', update(0, 1, null), 2), []);
      assert.deepEqual(h.pipe('a', update(0, 2, 1), 3), []);
      assert.deepEqual(h.pipe('c', update(10, 1, null), 12), []);
      assert.deepEqual(h.pipe('c', update(10, 2, 1), 14), [], 'stream time 14 < end 10 + grace 5');
      assert.deepEqual(h.pipe('d', update(10, 1, null), 15), ['a@0=2<-null@3', 'b@0=1<-null@1']);
      assert.deepEqual(h.pipe('d', update(10, 2, 1), 19), []);
      assert.deepEqual(h.pipe('e', update(20, 1, null), 25), ['c@10=2<-null@14', 'd@10=2<-null@19']);
      assert.equal(h.buffer().numRecords, 1);
    });
  });

  it('with zero grace still waits for the window end', () => {
    withHarness(suppressTopology(Suppressed.untilWindowCloses(BufferConfig.unbounded())), (h) => {
      assert.deepEqual(h.pipe('a', update(0, 1, null), 5), []);
      assert.deepEqual(h.pipe('a', update(10, 1, null), 10), ['a@0=1<-null@5']);
    });
  });

  it('forwards the latest update with its timestamp and headers', () => {
    withHarness(suppressTopology(Suppressed.untilWindowCloses(BufferConfig.unbounded())), (h) => {
      h.pipe('a', update(0, 1, null), 1, Headers.EMPTY.add('trace', 'first'));
      h.pipe('a', update(0, 2, 1), 7, Headers.EMPTY.add('trace', 'latest'));
      const [record] = h.pipeForRecords('z', update(20, 1, null), 20);
      assert.equal(record?.timestamp, 7);
      assert.equal(record?.headers.lastHeader('trace')?.value?.toString(), 'latest');
    });
  });

  it('drops a window whose final value is a tombstone: it was never emitted', () => {
    withHarness(suppressTopology(Suppressed.untilWindowCloses(BufferConfig.unbounded())), (h) => {
      h.pipe('gone', update(0, 5, null), 1);
      h.pipe('gone', update(0, null, 5), 2);
      h.pipe('kept', update(0, 3, null), 3);
      assert.deepEqual(h.pipe('z', update(20, 1, null), 20), ['kept@0=3<-null@3']);
      assert.equal(h.buffer().numRecords, 1, 'the tombstone left the buffer too');
    });
  });

  it('fails the task when a strict bounded buffer is full, without keeping the refused update', () => {
    const suppressed = Suppressed.untilWindowCloses(BufferConfig.maxRecords(1).shutDownWhenFull());
    withHarness(suppressTopology(suppressed), (h) => {
      h.pipe('a', update(0, 1, null), 1);
      h.pipe('a', update(0, 2, 1), 2);
      const error = captureError(() => h.pipe('b', update(0, 1, null), 3));
      // A state error reaches the application as it is: no processing handler gets to skip it.
      const full = error;
      assert.ok(full instanceof SuppressionBufferFullError);
      assert.equal(full.code, 'STATE_CAPACITY_EXCEEDED');
      assert.deepEqual(full.usage, { records: 2, maxRecords: 1, bytes: full.usage.bytes, maxBytes: Infinity });
      assert.deepEqual(
        { processor: full.coordinates.processor, store: full.coordinates.store, taskId: full.coordinates.taskId, topic: full.coordinates.topic },
        { processor: 'suppress', store: STORE, taskId: '0_0', topic: 'changes' },
      );
      assert.equal(h.buffer().numRecords, 1);
    });
  });
});

describe('Suppressed.untilTimeLimit', () => {
  it('holds each key for the time limit after its first buffered update, without restarting the timer', () => {
    withHarness(suppressTopology(Suppressed.untilTimeLimit(10, BufferConfig.unbounded())), (h) => {
      assert.deepEqual(h.pipe('x', plain(1, null), 0), []);
      assert.deepEqual(h.pipe('x', plain(2, 1), 5), []);
      assert.deepEqual(h.pipe('y', plain(1, null), 6), []);
      assert.deepEqual(h.pipe('z', plain(1, null), 10), ['x=2<-null@5']);
      assert.deepEqual(h.pipe('x', plain(3, 2), 12), []);
      assert.deepEqual(h.pipe('x', plain(null, 3), 13), []);
      assert.deepEqual(h.pipe('w', plain(1, null), 22), ['y=1<-null@6', 'z=1<-null@10', 'x=null<-2@13'], 'tombstones pass');
    });
  });

  it('emits every update at once with a zero time limit', () => {
    withHarness(suppressTopology(Suppressed.untilTimeLimit(0, BufferConfig.unbounded())), (h) => {
      assert.deepEqual(h.pipe('x', plain(1, null), 4), ['x=1<-null@4']);
      assert.deepEqual(h.pipe('x', plain(2, 1), 3), ['x=2<-1@3']);
      assert.equal(h.buffer().numRecords, 0);
    });
  });

  it('does not emit on records older than stream time', () => {
    withHarness(suppressTopology(Suppressed.untilTimeLimit(10, BufferConfig.unbounded())), (h) => {
      h.pipe('x', plain(1, null), 20);
      assert.deepEqual(h.pipe('y', plain(1, null), 5), ['y=1<-null@5'], 'already past its limit at stream time 20');
      assert.deepEqual(h.pipe('z', plain(1, null), 29), []);
      assert.deepEqual(h.pipe('z', plain(2, 1), 30), ['x=1<-null@20']);
    });
  });
});

describe('suppression buffer bounds', () => {
  it('maxRecords with emitEarlyWhenFull emits the oldest keys to fit', () => {
    withHarness(suppressTopology(Suppressed.untilTimeLimit(1_000, BufferConfig.maxRecords(2))), (h) => {
      assert.deepEqual(h.pipe('k1', plain(1, null), 1), []);
      assert.deepEqual(h.pipe('k2', plain(1, null), 2), []);
      assert.deepEqual(h.pipe('k2', plain(2, 1), 3), [], 'an update of a buffered key takes no room');
      assert.deepEqual(h.pipe('k3', plain(1, null), 4), ['k1=1<-null@1']);
      assert.equal(h.buffer().numRecords, 2);
    });
  });

  it('maxBytes counts key + stored entry bytes (29 bytes of fixed overhead)', () => {
    // "kN" (2 bytes) + 29 + a new Long (8 bytes) + no prior value = 39 bytes per key.
    withHarness(suppressTopology(Suppressed.untilTimeLimit(1_000, BufferConfig.maxBytes(78))), (h) => {
      h.pipe('k1', plain(1, null), 1);
      h.pipe('k2', plain(1, null), 2);
      assert.equal(h.buffer().bufferSize, 78);
      assert.deepEqual(h.pipe('k3', plain(1, null), 3), ['k1=1<-null@1']);
      assert.deepEqual(h.pipe('k3', plain(2, 1), 4), [], 'the prior value stays that of the first buffered update');
      assert.equal(h.buffer().bufferSize, 78);
      assert.deepEqual(h.pipe('k4', plain(2, 1), 5), ['k2=1<-null@2', 'k3=2<-null@4'], 'a prior value adds 8 bytes');
      assert.equal(h.buffer().bufferSize, 47);
    });
  });

  it('a full strict buffer fails the task even when processing errors are skipped: it is not about the record', () => {
    const suppressed = Suppressed.untilTimeLimit(100, BufferConfig.maxRecords(1).shutDownWhenFull());
    withHarness(
      suppressTopology(suppressed),
      (h) => {
        h.pipe('k1', plain(1, null), 1);
        assert.throws(() => h.pipe('k2', plain(1, null), 2), SuppressionBufferFullError);
        assert.equal(h.driver.metrics().get('0_0')?.droppedRecords.processingErrors, 0);
        assert.equal(h.buffer().numRecords, 1, 'the refused update was taken back');
      },
      { processingExceptionHandler: 'continue' },
    );
  });
});

describe('suppression buffer restoration', () => {
  /** Buffers a@0 (two updates), b@10 and d@20 with grace 5, then closes a@0; b and d stay buffered. */
  function fillBuffer(h: Harness): void {
    h.pipe('a', update(0, 1, null), 1);
    h.pipe('a', update(0, 2, 1), 2, Headers.EMPTY.add('trace', 'a2'));
    h.pipe('b', update(10, 7, null), 11);
    assert.deepEqual(h.pipe('d', update(20, 3, null), 21), ['a@0=2<-null@2']);
  }

  function assertRestored(h: Harness, expectedSize: number): void {
    assert.equal(h.buffer().numRecords, 2);
    assert.equal(h.buffer().bufferSize, expectedSize);
    assert.deepEqual(h.pipe('x', update(30, 1, null), 35), ['b@10=7<-null@11', 'd@20=3<-null@21']);
  }

  it('an in-memory buffer comes back from its changelog (evicted keys as tombstones)', () => {
    const topology = () => suppressTopology(Suppressed.untilWindowCloses(BufferConfig.unbounded()), { graceMs: 5 });
    const first = new Harness(topology());
    let changelog: ChangelogRecord[];
    let size: number;
    try {
      fillBuffer(first);
      size = first.buffer().bufferSize;
      changelog = first.changelog();
      assert.ok(changelog.some((record) => record.value === null), 'evicting a@0 wrote a tombstone');
    } finally {
      first.close();
    }
    withHarness(topology(), (second) => {
      assert.equal(second.buffer().numRecords, 0);
      second.buffer().restoreBatch(changelog);
      assertRestored(second, size);
    });
  });

  it('a persistent buffer reopens with what its task database committed', () => {
    const topology = () => suppressTopology(Suppressed.untilWindowCloses(BufferConfig.unbounded()), { graceMs: 5, persistent: true });
    const firstDir = mkdtempSync(join(tmpdir(), 'kstreams-suppress-'));
    const secondDir = mkdtempSync(join(tmpdir(), 'kstreams-suppress-'));
    try {
      const first = new Harness(topology(), { stateDir: firstDir });
      let size: number;
      try {
        fillBuffer(first);
        size = first.buffer().bufferSize;
        // The driver removes its state directory on close: keep a copy of the committed database, as after a crash.
        cpSync(join(firstDir, APP), join(secondDir, APP), { recursive: true });
      } finally {
        first.close();
      }
      withHarness(topology(), (second) => assertRestored(second, size), { stateDir: secondDir });
    } finally {
      rmSync(firstDir, { recursive: true, force: true });
      rmSync(secondDir, { recursive: true, force: true });
    }
  });

  it('writes no changelog when logging is disabled', () => {
    const topology = suppressTopology(Suppressed.untilTimeLimit(10, BufferConfig.unbounded().withLoggingDisabled()), { logging: false });
    withHarness(topology, (h) => {
      h.pipe('x', plain(1, null), 1);
      h.pipe('y', plain(1, null), 20);
      assert.deepEqual([...h.driver.producedTopicNames()], ['out']);
    });
  });
});

describe('Suppressed and BufferConfig values', () => {
  it('are frozen, and every with… returns a new value', () => {
    const unbounded = BufferConfig.unbounded();
    const bounded = unbounded.withMaxRecords(3);
    assert.ok(Object.isFrozen(unbounded) && Object.isFrozen(bounded));
    assert.equal(unbounded.maxRecords, Infinity);
    assert.deepEqual([bounded.maxRecords, bounded.maxBytes, bounded.bufferFullStrategy], [3, Infinity, 'shutDown']);
    const eager = BufferConfig.maxBytes(100).withMaxRecords(5);
    assert.deepEqual([eager.maxRecords, eager.maxBytes, eager.bufferFullStrategy], [5, 100, 'emitEarly']);
    assert.equal(eager.shutDownWhenFull().bufferFullStrategy, 'shutDown');
    assert.equal(eager.withNoBound().maxBytes, Infinity);
    assert.deepEqual(eager.logging, {});
    assert.equal(eager.withLoggingDisabled().logging, false);
    assert.deepEqual(eager.withLoggingEnabled({ 'retention.ms': '1000' }).logging, { 'retention.ms': '1000' });

    const suppressed = Suppressed.untilTimeLimit(50, eager);
    const named = suppressed.withName('rate-limit');
    assert.ok(Object.isFrozen(named));
    assert.deepEqual([suppressed.name, named.name, named.timeToWaitMs, named.untilWindowCloses], [undefined, 'rate-limit', 50, false]);
    assert.equal(Suppressed.untilWindowCloses(unbounded).untilWindowCloses, true);
  });

  it('reject invalid values with a TopologyError', () => {
    assert.throws(() => BufferConfig.maxRecords(-1), TopologyError);
    assert.throws(() => BufferConfig.maxBytes(1.5), TopologyError);
    assert.throws(() => BufferConfig.unbounded().withMaxRecords(Infinity), TopologyError);
    assert.throws(() => Suppressed.untilTimeLimit(-1, BufferConfig.unbounded()), TopologyError);
    assert.throws(() => Suppressed.untilTimeLimit(10, {} as BufferConfig), TopologyError);
    assert.throws(() => Suppressed.untilWindowCloses(BufferConfig.maxRecords(3) as unknown as BufferConfig<'shutDown'>), TopologyError);
    assert.throws(() => Suppressed.untilTimeLimit(10, BufferConfig.unbounded()).withName('not a topic name'), TopologyError);
    assert.throws(() => Suppressed.untilTimeLimit(10, BufferConfig.unbounded()).withName(''), TopologyError);
  });

  it('suppressSupplier needs a grace period for final results, and only for them', () => {
    const settings = { processorName: 'suppress', storeName: STORE };
    const finalResults = Suppressed.untilWindowCloses(BufferConfig.unbounded());
    const timeLimit = Suppressed.untilTimeLimit(10, BufferConfig.unbounded());
    assert.throws(() => suppressSupplier({ ...settings, suppressed: finalResults, graceMs: undefined }), TopologyError);
    assert.throws(() => suppressSupplier({ ...settings, suppressed: finalResults, graceMs: -1 }), TopologyError);
    assert.throws(() => suppressSupplier({ ...settings, suppressed: timeLimit, graceMs: 5 }), TopologyError);
  });
});

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  assert.fail('expected an error');
}
