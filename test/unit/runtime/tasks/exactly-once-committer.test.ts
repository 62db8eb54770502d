import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamsError } from '../../../../src/core/errors.js';
import type { KafkaClient } from '../../../../src/runtime/client/kafka-client.js';
import { ProductionFailure } from '../../../../src/runtime/client/production-failure.js';
import type { ActiveTask } from '../../../../src/runtime/tasks/active-task.js';
import { ExactlyOnceCommitter } from '../../../../src/runtime/tasks/exactly-once-committer.js';
import { encodePartitionTime } from '../../../../src/runtime/tasks/partition-time-metadata.js';
import type { ProductionExceptionHandler } from '../../../../src/runtime/tasks/production-exception-handler.js';
import { raw } from '../task-harness.js';
import { FakeTransactionalProducer, lines, runningTask } from './runtime-fakes.js';

const TOO_LARGE = 'too-large';

function setUp(handler: ProductionExceptionHandler = 'continue') {
  const producer = new FakeTransactionalProducer();
  producer.log.refuses = (record) => record.topic === 'out' && record.value?.toString() === TOO_LARGE;
  const client = { transactionalProducer: () => producer } as unknown as KafkaClient;
  return { producer, committer: new ExactlyOnceCommitter(client, 'app', handler), task: runningTask() };
}

let offset = 0;
/** Processes `key=value` input records at the next offsets of `in:0`. */
function feed(task: ActiveTask, ...pairs: string[]): void {
  task.engine.addRecords({ topic: 'in', partition: 0 }, pairs.map((pair) => raw('in', 0, 1, pair.split('=')[0]!, pair.split('=')[1]!, offset++)));
  while (task.engine.process());
}

test('one transaction holds the output, the changelog records and the input offsets; SQLite stores the changelog position', async () => {
  const { producer, committer, task } = setUp();
  offset = 0;
  try {
    await committer.initializeTask(task);
    feed(task, 'a=1', 'b=2');
    assert.deepEqual(await committer.commit([task]), new Map());
    assert.deepEqual(lines(producer.committed), ['app-store-changelog a=1', 'app-store-changelog b=2', 'out a=1', 'out b=2']);
    assert.deepEqual(producer.committedOffsets, [{ topic: 'in', partition: 0, offset: 2, metadata: encodePartitionTime(1) }]);
    assert.equal(task.database.changelogOffsets().get('app-store-changelog:0'), 2);
    assert.equal(producer.begun, 2, 'the next transaction is begun right after the commit');
  } finally {
    task.close();
  }
});

test('a refused record aborts the transaction and sends all uncommitted output again, each record exactly once', async () => {
  const { producer, committer, task } = setUp();
  offset = 0;
  try {
    await committer.initializeTask(task);
    feed(task, 'a=1', 'b=2');
    await committer.sendBuffered(task);
    // This send writes the changelog batch, then the broker refuses the output batch holding the large record.
    feed(task, `c=${TOO_LARGE}`, 'd=4');
    assert.deepEqual(await committer.commit([task]), new Map());
    assert.equal(producer.aborts, 1);
    assert.deepEqual(lines(producer.committed), [
      'app-store-changelog a=1',
      'out a=1',
      'app-store-changelog b=2',
      'out b=2',
      `app-store-changelog c=${TOO_LARGE}`,
      'app-store-changelog d=4',
      'out d=4',
    ]);
    assert.deepEqual(producer.committedOffsets, [{ topic: 'in', partition: 0, offset: 4, metadata: encodePartitionTime(1) }]);
    assert.equal(task.productionErrors, 1);
    // Aborted records take offsets too: 0-3 were aborted, the resent changelog records are 4-7.
    assert.equal(task.database.changelogOffsets().get('app-store-changelog:0'), 8);
  } finally {
    task.close();
  }
});

test('a refused record in an early send starts the transaction over at once; the commit adds to the new one', async () => {
  const { producer, committer, task } = setUp();
  offset = 0;
  try {
    await committer.initializeTask(task);
    feed(task, 'a=1', `b=${TOO_LARGE}`);
    await committer.sendBuffered(task);
    feed(task, 'c=3');
    assert.deepEqual(await committer.commit([task]), new Map());
    assert.equal(producer.aborts, 1);
    assert.deepEqual(lines(producer.committed), ['app-store-changelog a=1', 'out a=1', `app-store-changelog b=${TOO_LARGE}`, 'app-store-changelog c=3', 'out c=3']);
  } finally {
    task.close();
  }
});

test("a refused record the handler fails on fails the task's commit with PRODUCTION_FAILED and commits nothing", async () => {
  const { producer, committer, task } = setUp('fail');
  offset = 0;
  try {
    await committer.initializeTask(task);
    feed(task, `a=${TOO_LARGE}`);
    const failures = await committer.commit([task]);
    const error = failures.get(task);
    assert.ok(error instanceof StreamsError && error.code === 'PRODUCTION_FAILED', String(error));
    assert.deepEqual(producer.committed, []);
    await committer.releaseTask(task, true);
    assert.equal(producer.disconnected, true);
  } finally {
    task.close();
  }
});

test('a fenced producer fails the commit with a fenced ProductionFailure', async () => {
  const { producer, committer, task } = setUp();
  offset = 0;
  try {
    await committer.initializeTask(task);
    feed(task, 'a=1');
    producer.fenced = true;
    const error = (await committer.commit([task])).get(task);
    assert.ok(error instanceof ProductionFailure && error.kind === 'fenced');
  } finally {
    task.close();
  }
});
