import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KafkaClient, OffsetAndMetadata } from '../../../../src/runtime/client/kafka-client.js';
import type { ActiveTask } from '../../../../src/runtime/tasks/active-task.js';
import { AtLeastOnceCommitter } from '../../../../src/runtime/tasks/at-least-once-committer.js';
import { encodePartitionTime } from '../../../../src/runtime/tasks/partition-time-metadata.js';
import { raw } from '../task-harness.js';
import { FakeRecordProducer, lines, RecordingLogger, runningTask } from './runtime-fakes.js';

type Offsets = readonly OffsetAndMetadata[];

function setUp(commitOffsets: (offsets: Offsets) => Promise<void> = async () => undefined) {
  const producer = new FakeRecordProducer();
  producer.log.refuses = (record) => record.topic === 'out' && record.value?.toString() === 'too-large';
  const client = { producer: () => producer } as unknown as KafkaClient;
  const logger = new RecordingLogger();
  return { producer, logger, committer: new AtLeastOnceCommitter(client, commitOffsets, 'continue', logger) };
}

function feed(task: ActiveTask, ...pairs: string[]): void {
  task.engine.addRecords({ topic: 'in', partition: 0 }, pairs.map((pair, i) => raw('in', 0, 1, pair.split('=')[0]!, pair.split('=')[1]!, i)));
  while (task.engine.process());
}

test('a failed producer connect is retried by the next task instead of failing it with the old rejection', async () => {
  const { producer, committer } = setUp();
  producer.failConnects = 1;
  await assert.rejects(committer.initializeTask(), /broker unreachable/);
  await committer.initializeTask();
  await committer.initializeTask();
  assert.equal(producer.connects, 2, 'one failed connect, then one that is kept');
});

test('a commit sends and awaits the output, commits the input offsets, then stores the changelog position in SQLite', async () => {
  const committed: Offsets[] = [];
  const { producer, committer } = setUp(async (offsets) => void committed.push(offsets));
  const task = runningTask();
  try {
    await committer.initializeTask();
    feed(task, 'a=1');
    assert.deepEqual(await committer.commit([task]), new Map());
    assert.deepEqual(lines(producer.written), ['app-store-changelog a=1', 'out a=1']);
    assert.deepEqual(committed, [[{ topic: 'in', partition: 0, offset: 1, metadata: encodePartitionTime(1) }]]);
    assert.equal(task.database.changelogOffsets().get('app-store-changelog:0'), 1);
    assert.equal(task.commitNeeded(), false);
  } finally {
    task.close();
  }
});

test('a refused record is resent alone and dropped by a continuing handler (counted); the rest may be written twice', async () => {
  const { producer, committer } = setUp();
  const task = runningTask();
  try {
    await committer.initializeTask();
    feed(task, 'a=1', 'b=too-large');
    assert.deepEqual(await committer.commit([task]), new Map());
    assert.deepEqual(lines(producer.written), [
      'app-store-changelog a=1',
      'app-store-changelog b=too-large',
      'app-store-changelog a=1',
      'out a=1',
      'app-store-changelog b=too-large',
    ]);
    assert.equal(task.productionErrors, 1);
  } finally {
    task.close();
  }
});

test('a failed offset commit is logged and the state still committed; the input stays uncommitted', async () => {
  const { committer, logger } = setUp(async () => {
    throw new Error('rebalance in progress');
  });
  const task = runningTask();
  try {
    await committer.initializeTask();
    feed(task, 'a=1');
    assert.deepEqual(await committer.commit([task]), new Map());
    assert.equal(task.database.changelogOffsets().get('app-store-changelog:0'), 1);
    assert.ok(logger.entries.some((e) => e.level === 'warn' && e.message === 'input offset commit failed; records will be processed again'));
    assert.equal(task.commitNeeded(), true, 'the consumed offsets differ from the committed ones');
  } finally {
    task.close();
  }
});
