import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamsError } from '../../../../src/core/errors.js';
import type { Serde } from '../../../../src/core/serde.js';
import { Serdes } from '../../../../src/core/serdes.js';
import type { KafkaClient, OffsetAndMetadata } from '../../../../src/runtime/client/kafka-client.js';
import type { OutgoingRecord } from '../../../../src/processing/record-collector.js';
import { ActiveTask } from '../../../../src/runtime/tasks/active-task.js';
import { AtLeastOnceCommitter } from '../../../../src/runtime/tasks/at-least-once-committer.js';
import { DEAD_LETTER_HEADERS, deadLetterRecord } from '../../../../src/runtime/tasks/dead-letter.js';
import { ExactlyOnceCommitter } from '../../../../src/runtime/tasks/exactly-once-committer.js';
import type { ProductionErrorContext, ProductionExceptionHandler } from '../../../../src/runtime/tasks/production-exception-handler.js';
import { raw } from '../task-harness.js';
import { FakeRecordProducer, FakeTransactionalProducer, lines, RecordingLogger, storingTopology } from './runtime-fakes.js';

const TOO_LARGE = 'too-large';

/** A running task of `storingTopology` (in → store → out) whose skipped input goes to the dead-letter topic `dlt`. */
function deadLetteringTask(logger: RecordingLogger, deadLetterTopic: string | null = 'dlt'): ActiveTask {
  const compiled = storingTopology().build();
  const task = new ActiveTask({
    subtopology: compiled.subtopologies[0]!,
    topology: compiled,
    partition: 0,
    databasePath: ':memory:',
    taskConfig: { applicationId: 'app', defaultKeySerde: Serdes.String() as Serde<unknown>, defaultValueSerde: Serdes.String() as Serde<unknown> },
    logger,
    partitionCount: () => 1,
    deadLetter: deadLetterTopic === null ? undefined : (record, context) => deadLetterRecord(deadLetterTopic, record, context),
  });
  task.moveTo('restoring');
  task.engine.initializeTopology();
  task.moveTo('running');
  return task;
}

/** Processes `key=value` records at offsets 10, 11, … of `in:0`. */
function feed(task: ActiveTask, ...pairs: string[]): void {
  task.engine.addRecords({ topic: 'in', partition: 0 }, pairs.map((pair, i) => raw('in', 0, 5, pair.split('=')[0]!, pair.split('=')[1]!, 10 + i)));
  while (task.engine.process());
}

const header = (record: OutgoingRecord, key: string) => record.headers.lastHeader(key)?.value?.toString();

function assertDeadLetterOf(record: OutgoingRecord | undefined, key: string, offset: number): void {
  assert.ok(record !== undefined, 'a dead-letter copy');
  assert.equal(record.key?.toString(), key);
  assert.equal(record.value?.toString(), TOO_LARGE, 'the input value, as consumed');
  assert.equal(header(record, DEAD_LETTER_HEADERS.topic), 'in');
  assert.equal(header(record, DEAD_LETTER_HEADERS.partition), '0');
  assert.equal(header(record, DEAD_LETTER_HEADERS.offset), String(offset));
  assert.equal(header(record, DEAD_LETTER_HEADERS.exception), 'StreamsError');
  assert.match(header(record, DEAD_LETTER_HEADERS.message)!, /refused an output record for topic out: .*MESSAGE_TOO_LARGE/);
}

test('exactly-once: the input of a refused output record is dead-lettered in the transaction that commits its offset', async () => {
  const producer = new FakeTransactionalProducer();
  producer.log.refuses = (record) => record.topic === 'out' && record.value?.toString() === TOO_LARGE;
  const seen: ProductionErrorContext[] = [];
  const handler: ProductionExceptionHandler = (context) => (seen.push(context), 'continue');
  const committer = new ExactlyOnceCommitter({ transactionalProducer: () => producer } as unknown as KafkaClient, 'app', handler);
  const logger = new RecordingLogger();
  const task = deadLetteringTask(logger);
  try {
    await committer.initializeTask(task);
    feed(task, 'a=1', `b=${TOO_LARGE}`, 'c=3');
    assert.deepEqual(await committer.commit([task]), new Map());
    assert.deepEqual(lines(producer.committed).filter((l) => !l.startsWith('app-store-changelog')), ['out a=1', 'out c=3', `dlt b=${TOO_LARGE}`]);
    assertDeadLetterOf(producer.committed.find((r) => r.topic === 'dlt'), 'b', 11);
    assert.deepEqual(producer.committedOffsets.map((o) => o.offset), [13], 'in the same transaction as the input offsets');
    assert.deepEqual(seen.map((c) => [c.topic, c.input]), [['out', { topic: 'in', partition: 0, offset: 11 }]]);
    const warning = logger.entries.find((e) => e.message === 'dropping output record the broker refused')!;
    assert.deepEqual({ ...warning.fields, error: undefined }, {
      topic: 'in', partition: 0, offset: 11, taskId: '0_0', processor: 'out', outputTopic: 'out', error: undefined, deadLettered: true,
    });
    assert.equal(task.productionErrors, 1);
  } finally {
    task.close();
  }
});

test('at-least-once: the dead-letter copy is sent before the input offsets are committed', async () => {
  const producer = new FakeRecordProducer();
  producer.log.refuses = (record) => record.topic === 'out' && record.value?.toString() === TOO_LARGE;
  const events: string[] = [];
  const commitOffsets = async (offsets: readonly OffsetAndMetadata[]) => void events.push(`offsets ${offsets.map((o) => o.offset).join(',')}; written ${lines(producer.written).filter((l) => l.startsWith('dlt')).length} dead letters`);
  const committer = new AtLeastOnceCommitter({ producer: () => producer } as unknown as KafkaClient, commitOffsets, 'continue', new RecordingLogger());
  const task = deadLetteringTask(new RecordingLogger());
  try {
    await committer.initializeTask();
    feed(task, `a=${TOO_LARGE}`, 'b=2');
    assert.deepEqual(await committer.commit([task]), new Map());
    assertDeadLetterOf(producer.written.find((r) => r.topic === 'dlt'), 'a', 10);
    assert.deepEqual(events, ['offsets 12; written 1 dead letters']);
  } finally {
    task.close();
  }
});

test("'fail' names the input record's coordinates and the sink; without a dead-letter topic a dropped record is only logged", async () => {
  const producer = new FakeRecordProducer();
  producer.log.refuses = (record) => record.topic === 'out' && record.value?.toString() === TOO_LARGE;
  const failing = new AtLeastOnceCommitter({ producer: () => producer } as unknown as KafkaClient, async () => undefined, 'fail', new RecordingLogger());
  const task = deadLetteringTask(new RecordingLogger());
  try {
    feed(task, `a=${TOO_LARGE}`);
    const error = (await failing.commit([task])).get(task);
    assert.ok(error instanceof StreamsError && error.code === 'PRODUCTION_FAILED', String(error));
    assert.deepEqual(error.coordinates, { topic: 'in', partition: 0, offset: 10, taskId: '0_0', processor: 'out' });
    assert.match(error.message, /cannot send record to topic out: .*MESSAGE_TOO_LARGE.*\(topic=in, partition=0, offset=10, task=0_0, processor=out\)$/);
  } finally {
    task.close();
  }

  const logger = new RecordingLogger();
  const refusing = new FakeRecordProducer();
  refusing.log.refuses = producer.log.refuses;
  const continuing = new AtLeastOnceCommitter({ producer: () => refusing } as unknown as KafkaClient, async () => undefined, 'continue', logger);
  const plain = deadLetteringTask(logger, null);
  try {
    feed(plain, `a=${TOO_LARGE}`);
    assert.deepEqual(await continuing.commit([plain]), new Map());
    assert.deepEqual(lines(refusing.written).filter((l) => !l.startsWith('app-store-changelog')), []);
    const warning = logger.entries.find((e) => e.message === 'dropping output record the broker refused');
    assert.equal((warning?.fields as { deadLettered?: boolean } | undefined)?.deadLettered, false);
  } finally {
    plain.close();
  }
});

test('a refused dead-letter copy is dropped too, and goes nowhere else', async () => {
  const producer = new FakeTransactionalProducer();
  producer.log.refuses = (record) => record.value?.toString() === TOO_LARGE && record.topic !== 'app-store-changelog';
  const committer = new ExactlyOnceCommitter({ transactionalProducer: () => producer } as unknown as KafkaClient, 'app', 'continue');
  const task = deadLetteringTask(new RecordingLogger());
  try {
    await committer.initializeTask(task);
    feed(task, `a=${TOO_LARGE}`);
    assert.deepEqual(await committer.commit([task]), new Map());
    assert.deepEqual(lines(producer.committed), [`app-store-changelog a=${TOO_LARGE}`]);
    assert.equal(task.productionErrors, 2, 'the output record and its dead-letter copy');
  } finally {
    task.close();
  }
});
