import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Serdes } from '../../../src/core/serdes.js';
import { DROP_WARNING_INTERVAL_MS, DropWarnings } from '../../../src/processing/drop-warnings.js';
import { TopologyTestDriver } from '../../../src/testing/index.js';
import { StreamsBuilder } from '../../../src/topology/dsl/streams-builder.js';
import { TimeWindows } from '../../../src/windows/time-windows.js';
import { RecordingLogger } from '../runtime/tasks/runtime-fakes.js';

type Warning = { readonly message: string; readonly [field: string]: unknown };
const warnings = (logger: RecordingLogger): Warning[] => logger.entries.filter((e) => e.level === 'warn').map((e) => ({ message: e.message, ...e.fields }));

test('the first drop of each reason warns at once; later ones at most once per interval, with the count since the last warning', () => {
  const logger = new RecordingLogger();
  let now = 1_000;
  const drops = new DropWarnings(logger, () => now, 10_000);
  drops.note('lateRecord', { offset: 1 });
  drops.note('nullKey', { offset: 2 });
  for (let offset = 3; offset < 100; offset++) drops.note('lateRecord', { offset });
  assert.deepEqual(warnings(logger).map((w) => [w.reason, w.dropped, w.offset]), [['lateRecord', 1, 1], ['nullKey', 1, 2]]);
  now += 9_999;
  drops.note('lateRecord', { offset: 100 });
  assert.equal(warnings(logger).length, 2, 'still within the interval');
  now += 1;
  drops.note('lateRecord', { offset: 101 });
  assert.deepEqual(warnings(logger)[2], { message: warnings(logger)[0]!.message, offset: 101, reason: 'lateRecord', dropped: 99 });
  drops.note('lateRecord', { offset: 102 });
  drops.flush();
  drops.flush();
  assert.deepEqual(warnings(logger).slice(3).map((w) => [w.reason, w.dropped, w.offset]), [['lateRecord', 1, 102]], 'flush reports what is left, once');
});

test('late records dropped by a windowed count warn through the task logger: one line at once, the rest summed up', () => {
  const builder = new StreamsBuilder();
  builder
    .stream('clicks', { keySerde: Serdes.String(), valueSerde: Serdes.String() })
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeAndGrace(100, 0))
    .count();
  const logger = new RecordingLogger();
  const driver = new TopologyTestDriver(builder.build(), { logger });
  const input = driver.createInputTopic('clicks', Serdes.String(), Serdes.String());
  input.pipeInput('u', 'a', 1_000);
  for (let i = 0; i < 5; i++) input.pipeInput('u', 'late', 10);
  const late = () => warnings(logger).filter((w) => w.reason === 'lateRecord');
  assert.deepEqual(late().map((w) => [w.dropped, w.offset, w.topic]), [[1, 1, 'clicks']]);
  assert.match(late()[0]!.message, /late records/);
  driver.advanceWallClockTime(DROP_WARNING_INTERVAL_MS);
  input.pipeInput('u', 'late', 10);
  assert.deepEqual(late().map((w) => w.dropped), [1, 5]);
  input.pipeInput('u', 'late', 10);
  driver.close();
  assert.deepEqual(late().map((w) => w.dropped), [1, 5, 1], 'closing the task reports the drops not warned about yet');
  assert.equal(late().reduce((sum, w) => sum + (w.dropped as number), 0), 7);
});
