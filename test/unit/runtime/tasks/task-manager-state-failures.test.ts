import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { StreamsError } from '../../../../src/core/errors.js';
import { Headers } from '../../../../src/core/headers.js';
import { Serdes } from '../../../../src/core/serdes.js';
import type { Serde } from '../../../../src/core/serde.js';
import { StateDirectory } from '../../../../src/runtime/app/state-directory.js';
import type { GroupConsumer, KafkaAdmin, KafkaClient } from '../../../../src/runtime/client/kafka-client.js';
import type { TopicPartition } from '../../../../src/processing/raw-record.js';
import { silentLogger } from '../../../../src/processing/task-logger.js';
import type { ActiveTask } from '../../../../src/runtime/tasks/active-task.js';
import { ExactlyOnceCommitter } from '../../../../src/runtime/tasks/exactly-once-committer.js';
import { TaskManager } from '../../../../src/runtime/tasks/task-manager.js';
import type { RetryPolicy } from '../../../../src/runtime/tasks/task-retries.js';
import { StreamsBuilder } from '../../../../src/topology/dsl/streams-builder.js';
import { BufferConfig, Suppressed } from '../../../../src/topology/dsl/suppress/suppressed.js';
import type { Topology } from '../../../../src/topology/topology.js';
import { FakeTransactionalProducer, lines, storingTopology } from './runtime-fakes.js';

/**
 * What a store failure does to a task under the task manager, with the real exactly-once committer: a full disk
 * (STATE_STORAGE_FAILED) rebuilds the task from its changelog, with backoff, until the task timeout; a full strict
 * suppression buffer (STATE_CAPACITY_EXCEEDED) fails the thread at once, since a rebuild would fill it again.
 */

const IN_0: TopicPartition = { topic: 'in', partition: 0 };
const COMMITTED = 5;

const admin = {
  committedOffsets: async (_group: string, partitions: readonly TopicPartition[]) => new Map(partitions.map((p) => [`${p.topic}:${p.partition}`, { offset: COMMITTED, metadata: null }])),
  beginningOffsets: async () => new Map<string, number>(),
  endOffsets: async () => new Map<string, number>(),
} as unknown as KafkaAdmin;

interface Setup {
  readonly topology: Topology;
  readonly retryPolicy?: RetryPolicy;
  readonly clock?: () => number;
}

async function withManager(setup: Setup, body: (manager: TaskManager, producer: FakeTransactionalProducer) => Promise<void>): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'kstreams-state-failures-'));
  const producer = new FakeTransactionalProducer();
  const client = { transactionalProducer: () => producer } as unknown as KafkaClient;
  const consumer = { pause: () => undefined, resume: () => undefined, seek: () => undefined };
  const manager = new TaskManager({
    applicationId: 'app',
    topology: setup.topology.build(),
    taskConfig: { applicationId: 'app', defaultKeySerde: Serdes.String() as Serde<unknown>, defaultValueSerde: Serdes.String() as Serde<unknown> },
    stateDirectory: new StateDirectory(root, 'app'),
    admin,
    changelogReader: { read: async () => undefined },
    committer: new ExactlyOnceCommitter(client, 'app', () => 'fail'),
    consumer: () => consumer as unknown as GroupConsumer,
    subtopologyOfTopic: new Map([['in', 0]]),
    partitionCount: () => 1,
    deadLetter: undefined,
    maxBufferedRecordsPerPartition: 100,
    logger: silentLogger,
    ...(setup.retryPolicy === undefined ? {} : { retryPolicy: setup.retryPolicy }),
    ...(setup.clock === undefined ? {} : { clock: setup.clock }),
  });
  try {
    manager.noteAssignment([IN_0]);
    await manager.applyAssignment();
    await body(manager, producer);
  } finally {
    await manager.closeAll(false);
    rmSync(root, { recursive: true, force: true });
  }
}

/** Hands the running task records at the committed offset onwards, as the consumer would after a seek. */
function feed(manager: TaskManager, keys: readonly string[], value = 'v'): ActiveTask {
  const [task] = manager.runningTasks();
  assert.ok(task !== undefined, 'a running task');
  manager.acceptRecords(keys.map((key, i) => ({ ...IN_0, offset: COMMITTED + i, timestamp: COMMITTED + i, key: Buffer.from(key), value: Buffer.from(value), headers: Headers.EMPTY })));
  return task;
}

/** Lets the task's SQLite database grow by no page at all: its next write that needs one fails as on a full disk. */
function fillDisk(task: ActiveTask): void {
  const pages = task.database.sqlite.pragma('page_count', { simple: true }) as number;
  task.database.sqlite.pragma(`max_page_count = ${pages}`);
}

const big = 'x'.repeat(10_000);

test('a strict suppression buffer that fills during the commit flush fails the thread at once, naming task and store', async () => {
  const builder = new StreamsBuilder();
  builder
    .stream<string, string>('in', { keySerde: Serdes.String(), valueSerde: Serdes.String() })
    .groupByKey()
    .count({ name: 'counts', keySerde: Serdes.String() })
    .suppress(Suppressed.untilTimeLimit(60_000, BufferConfig.maxRecords(1).shutDownWhenFull()).withName('limit'))
    .toStream()
    .to('out');
  await withManager({ topology: builder.build() }, async (manager) => {
    const task = feed(manager, ['a', 'b']);
    while (task.engine.process());
    // The cache holds both counts until the commit flushes them into the one-record buffer.
    await assert.rejects(manager.commit(), (error: unknown) => {
      assert.ok(error instanceof StreamsError);
      assert.equal(error.code, 'STATE_CAPACITY_EXCEEDED');
      assert.equal(error.coordinates.taskId, '0_0');
      assert.match(String(error.coordinates.store), /limit/);
      return true;
    });
    assert.equal(manager.rebuildCount('0_0'), 0, 'not rebuilt: it would fill the same buffer again');
    assert.equal(task.state, 'running', 'left for the thread to close');
  });
});

test('a full disk while processing rebuilds the task from its changelog and committed offsets, and nothing is lost or doubled', async () => {
  await withManager({ topology: storingTopology() }, async (manager, producer) => {
    const first = feed(manager, ['a'], big);
    fillDisk(first);
    assert.equal(await manager.process(100), 0);
    const [rebuilt] = manager.runningTasks();
    assert.ok(rebuilt !== undefined && rebuilt !== first, 'rebuilt at once');
    assert.equal(first.state, 'closed');
    assert.equal(producer.aborts, 1, "the failed task's transaction was aborted");
    assert.equal(manager.rebuildCount('0_0'), 1);
    feed(manager, ['a'], big);
    assert.equal(await manager.process(100), 1);
    assert.equal(await manager.commit(), 1);
    assert.deepEqual(
      lines(producer.committed).map((line) => line.replace(big, '<big>')),
      ['app-store-changelog a=<big>', 'out a=<big>'],
    );
  });
});

test('a disk that stays full is retried with backoff, then fails the thread with the storage failure as the cause', async () => {
  let now = 1_000_000;
  const policy: RetryPolicy = { timeoutMs: 60_000, initialBackoffMs: 1_000, maxBackoffMs: 30_000 };
  await withManager({ topology: storingTopology(), retryPolicy: policy, clock: () => now }, async (manager) => {
    const failOnce = async (): Promise<void> => {
      fillDisk(feed(manager, ['a'], big));
      await manager.process(100);
    };
    await failOnce();
    await failOnce();
    await manager.createDueTasks();
    assert.deepEqual(manager.allTasks(), [], 'the second failure in a row waits for its backoff');
    now += 1_000;
    await manager.createDueTasks();
    now += 59_000;
    await assert.rejects(failOnce(), (error: unknown) => {
      assert.ok(error instanceof StreamsError);
      assert.equal(error.code, 'STATE_STORAGE_FAILED');
      assert.equal(error.coordinates.taskId, '0_0');
      assert.match(error.message, /task 0_0 kept failing for 60\.0 s \(3 attempts/);
      assert.ok(error.cause instanceof StreamsError && error.cause.code === 'STATE_STORAGE_FAILED');
      assert.match(String((error.cause.cause as Error).message), /database or disk is full/);
      return true;
    });
    assert.equal(manager.rebuildCount('0_0'), 2);
  });
});
