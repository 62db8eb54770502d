import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProcessingError } from '../../../src/core/errors.js';
import type { ProcessorContext } from '../../../src/core/processor.js';
import type { Record } from '../../../src/core/record.js';
import type { ErrorHandlerContext } from '../../../src/processing/exception-handlers.js';
import type { RawRecord } from '../../../src/processing/raw-record.js';
import type { TaskEngineConfig } from '../../../src/processing/task-engine-config.js';
import type { SourceOptions, TimestampExtractor } from '../../../src/topology/node-options.js';
import { TimestampExtractors } from '../../../src/topology/timestamp-extractors.js';
import { Topology } from '../../../src/topology/topology.js';
import { RecordingLogger } from './tasks/runtime-fakes.js';
import { processAll, raw, startTask } from './task-harness.js';

/** Forwards each record as `value@timestamp (stream time)`, so a test sees the event time each record got. */
function stampingTopology(source: SourceOptions<string, string> = {}): Topology {
  const stamping = () => {
    let context: ProcessorContext<string, string>;
    return {
      init: (ctx: ProcessorContext<string, string>) => void (context = ctx),
      process: (record: Record<string, string>) => context.forward(record.withValue(`${record.value}@${record.timestamp} (${context.currentStreamTimeMs()})`)),
    };
  };
  return new Topology()
    .addSource('events', 'events', source as SourceOptions)
    .addProcessor('stamp', stamping, 'events')
    .addSink('out', 'stamped', 'stamp');
}

/** Processes `[kafkaTimestamp, value]` records of `events:0` (offsets 10, 11, …) and returns the stamped values. */
function stamp(topology: Topology, config: Partial<TaskEngineConfig>, records: ReadonlyArray<readonly [number, string]>) {
  const harness = startTask(topology, config);
  try {
    harness.task.addRecords({ topic: 'events', partition: 0 }, records.map(([timestamp, value], i) => raw('events', 0, timestamp, 'k', value, 10 + i)));
    processAll(harness.task);
    return { values: harness.sent.map((r) => r.value!.toString()), metrics: harness.task.metrics(), consumed: harness.task.consumedOffsets() };
  } finally {
    harness.close();
  }
}

/** Event time from the `ts` field of a JSON value; `NaN` when the value has none. */
const jsonField: TimestampExtractor<string, string> = TimestampExtractors.fromRecord((_key, value) => {
  const ts: unknown = value === null ? undefined : (JSON.parse(value) as { ts?: unknown }).ts;
  return typeof ts === 'number' ? ts : NaN;
});

describe('timestamp extractors', () => {
  it("take the record's Kafka timestamp by default, and with recordTimestamp()", () => {
    const records = [[5, 'a'], [7, 'b']] as const;
    assert.deepEqual(stamp(stampingTopology(), {}, records).values, ['a@5 (5)', 'b@7 (7)']);
    const explicit = stampingTopology({ timestampExtractor: TimestampExtractors.recordTimestamp() });
    assert.deepEqual(stamp(explicit, {}, records).values, ['a@5 (5)', 'b@7 (7)']);
  });

  it('fromRecord reads the event time from the deserialized record, e.g. a JSON field', () => {
    const { values } = stamp(stampingTopology({ timestampExtractor: jsonField }), {}, [[1, '{"ts":300}'], [2, '{"ts":200}']]);
    assert.deepEqual(values, ['{"ts":300}@300 (300)', '{"ts":200}@200 (300)'], 'out of order: stream time stays at the largest');
  });

  it('wallClockTime() stamps records with the time they are read', () => {
    const before = Date.now();
    const { values } = stamp(stampingTopology({ timestampExtractor: TimestampExtractors.wallClockTime() }), {}, [[5, 'a']]);
    const stamped = Number(/@(\d+)/.exec(values[0]!)?.[1]);
    assert.ok(stamped >= before && stamped <= Date.now(), `${stamped} is the wall clock, not the record's 5`);
  });

  it('defaultTimestampExtractor applies to every source without its own; a source extractor wins', () => {
    const doubled: TimestampExtractor = (record) => record.timestamp * 2;
    assert.deepEqual(stamp(stampingTopology(), { defaultTimestampExtractor: doubled }, [[5, 'a']]).values, ['a@10 (10)']);
    const own = stampingTopology({ timestampExtractor: (record) => record.timestamp + 1 });
    assert.deepEqual(stamp(own, { defaultTimestampExtractor: doubled }, [[5, 'a']]).values, ['a@6 (6)']);
  });

  it("hand the extractor its partition's time: the largest timestamp processed there so far, -1 before the first", () => {
    const seen: number[] = [];
    const recording: TimestampExtractor = (record, partitionTime) => (seen.push(partitionTime), record.timestamp);
    stamp(stampingTopology({ timestampExtractor: recording }), {}, [[5, 'a'], [3, 'b'], [9, 'c']]);
    assert.deepEqual(seen, [-1, 5, 5]);
  });

  it('a throwing extractor stops the task with the coordinates, whatever the policy', () => {
    const throwing = stampingTopology({ timestampExtractor: () => { throw new Error('no ts field'); } });
    assert.throws(() => stamp(throwing, { invalidTimestampPolicy: 'skip' }, [[5, 'a']]), (error: unknown) => {
      assert.ok(error instanceof ProcessingError);
      assert.match(error.message, /timestamp extractor of source events failed: Error: no ts field \(topic=events, partition=0, offset=10/);
      return true;
    });
  });
});

describe('invalid timestamps', () => {
  const invalid: ReadonlyArray<readonly [unknown, string]> = [
    [-1, '-1'],
    [NaN, 'NaN'],
    [1.5, '1.5'],
    [Infinity, 'Infinity'],
    ['1000', '"1000" (a string)'],
    [undefined, 'undefined (undefined)'],
  ];

  /** A source whose extractor returns `bad` for the record whose value is `bad`, else the Kafka timestamp. */
  function badFor(bad: unknown): Topology {
    return stampingTopology({ timestampExtractor: (record) => (record.value === 'bad' ? (bad as number) : record.timestamp) });
  }

  it("fail by default: a StreamsError naming topic, partition, offset and the bad value, for each kind of invalid", () => {
    for (const [bad, shown] of invalid) {
      assert.throws(() => stamp(badFor(bad), {}, [[5, 'a'], [6, 'bad']]), (error: unknown) => {
        assert.ok(error instanceof ProcessingError, `${shown}: ${String(error)}`);
        assert.deepEqual(error.coordinates, { topic: 'events', partition: 0, offset: 11, taskId: '0_0', processor: 'events' });
        assert.ok(error.message.includes(`invalid timestamp ${shown}`), error.message);
        return true;
      });
    }
  });

  it('a negative Kafka timestamp is invalid too (the default extractor is Kafka Streams\' FailOnInvalidTimestamp)', () => {
    assert.throws(() => stamp(stampingTopology(), {}, [[-1, 'a']]), /invalid timestamp -1/);
  });

  it("'skip' drops the record, counts it, logs its coordinates, hands it to the dead-letter hook, and commits past it", () => {
    const logger = new RecordingLogger();
    const skipped: Array<{ record: RawRecord; context: ErrorHandlerContext }> = [];
    const { values, metrics, consumed } = stamp(
      badFor(NaN),
      { invalidTimestampPolicy: 'skip', logger, onSkippedRecord: (record, context) => void skipped.push({ record, context }) },
      [[5, 'a'], [6, 'bad'], [7, 'c']],
    );
    assert.deepEqual(values, ['a@5 (5)', 'c@7 (7)']);
    assert.equal(metrics.droppedRecords.invalidTimestamps, 1);
    assert.equal(metrics.droppedRecords.total, 1);
    assert.deepEqual(consumed, new Map([['events:0', 13]]));
    const warned = logger.entries.filter((entry) => entry.level === 'warn');
    assert.deepEqual(warned.map((entry) => [entry.message, entry.fields]), [
      ['skipping record with an invalid timestamp', { taskId: '0_0', topic: 'events', partition: 0, offset: 11, processor: 'events', timestamp: 'NaN', deadLettered: true, reason: 'invalidTimestamp', dropped: 1 }],
    ]);
    assert.equal(skipped.length, 1);
    assert.equal(skipped[0]!.record.offset, 11);
    assert.equal(skipped[0]!.context.kind, 'deserialization');
    assert.ok(skipped[0]!.context.error instanceof ProcessingError);
    assert.match((skipped[0]!.context.error as Error).message, /invalid timestamp NaN/);
  });

  it("'usePartitionTime' processes the record at its partition's time, and skips it while the partition has none", () => {
    const { values, metrics } = stamp(badFor(-5), { invalidTimestampPolicy: 'usePartitionTime' }, [[6, 'bad'], [5, 'a'], [9, 'b'], [7, 'bad']]);
    assert.deepEqual(values, ['a@5 (5)', 'b@9 (9)', 'bad@9 (9)']);
    assert.equal(metrics.droppedRecords.invalidTimestamps, 1, 'the first record came before any partition time');
  });
});

describe('committed partition time', () => {
  it('is restored only before the task runs, when no record can have seen the old time', () => {
    const harness = startTask(stampingTopology());
    try {
      assert.throws(() => harness.task.initializePartitionTime({ topic: 'events', partition: 0 }, 500), /task 0_0 is running, expected stores-initialized/);
    } finally {
      harness.close();
    }
  });
});
