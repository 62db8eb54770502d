import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ProcessingError } from '../../../../src/core/errors.js';
import { Headers } from '../../../../src/core/headers.js';
import type { ProcessorContext } from '../../../../src/core/processor.js';
import { Serdes } from '../../../../src/core/serdes.js';
import type { Serde } from '../../../../src/core/serde.js';
import { StateDirectory } from '../../../../src/runtime/app/state-directory.js';
import type { ChangelogReader, GroupConsumer, KafkaAdmin } from '../../../../src/runtime/client/kafka-client.js';
import { ProductionFailure } from '../../../../src/runtime/client/production-failure.js';
import type { RawRecord, TopicPartition } from '../../../../src/processing/raw-record.js';
import type { ActiveTask } from '../../../../src/runtime/tasks/active-task.js';
import type { TaskCommitter } from '../../../../src/runtime/tasks/task-committer.js';
import { TaskManager } from '../../../../src/runtime/tasks/task-manager.js';
import { silentLogger, type TaskLogger } from '../../../../src/processing/task-logger.js';
import { encodePartitionTime } from '../../../../src/runtime/tasks/partition-time-metadata.js';
import { Topology } from '../../../../src/topology/topology.js';
import { RecordingLogger, storingTopology } from './runtime-fakes.js';

/** Records what the manager asks of the consumer. */
class RecordingConsumer {
  readonly calls: string[] = [];
  pause(partitions: readonly TopicPartition[]): void {
    this.calls.push(...partitions.map((p) => `pause ${p.topic}:${p.partition}`));
  }
  resume(partitions: readonly TopicPartition[]): void {
    this.calls.push(...partitions.map((p) => `resume ${p.topic}:${p.partition}`));
  }
  seek(p: TopicPartition, offset: number): void {
    this.calls.push(`seek ${p.topic}:${p.partition} ${offset}`);
  }
}

const committedAt = 5;
const admin = {
  committedOffsets: async (_group: string, partitions: readonly TopicPartition[]) =>
    new Map(partitions.map((p) => [`${p.topic}:${p.partition}`, { offset: committedAt, metadata: null }])),
  beginningOffsets: async () => new Map<string, number>(),
  endOffsets: async () => new Map<string, number>(),
} as unknown as KafkaAdmin;
const committer: TaskCommitter = {
  transactionScope: 'task',
  entangled: (tasks: readonly ActiveTask[]) => [...tasks],
  initializeTask: async () => undefined,
  sendBuffered: async () => undefined,
  commit: async () => new Map<ActiveTask, unknown>(),
  releaseTask: async () => undefined,
  close: async () => undefined,
};
const reader: ChangelogReader = { read: async () => undefined };

const record = (offset: number): RawRecord => ({ topic: 'in', partition: 0, offset, timestamp: offset, key: Buffer.from('k'), value: Buffer.from('v'), headers: Headers.EMPTY });

interface ManagerFakes {
  readonly committer?: TaskCommitter;
  readonly reader?: ChangelogReader;
  readonly admin?: KafkaAdmin;
  readonly topology?: Topology;
  readonly logger?: TaskLogger;
  readonly subtopologyOfTopic?: ReadonlyMap<string, number>;
}

async function withManager(
  body: (manager: TaskManager, consumer: RecordingConsumer, stateDirectory: StateDirectory) => Promise<void>,
  fakes: ManagerFakes = {},
): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'kstreams-manager-'));
  const consumer = new RecordingConsumer();
  const topology = (fakes.topology ?? new Topology().addSource('in', 'in').addProcessor('sink-less', () => ({ process: () => undefined }), 'in')).build();
  const stateDirectory = new StateDirectory(root, 'app');
  const manager = new TaskManager({
    applicationId: 'app',
    topology,
    taskConfig: { applicationId: 'app', defaultKeySerde: Serdes.String() as Serde<unknown>, defaultValueSerde: Serdes.String() as Serde<unknown> },
    stateDirectory,
    admin: fakes.admin ?? admin,
    changelogReader: fakes.reader ?? reader,
    committer: fakes.committer ?? committer,
    consumer: () => consumer as unknown as GroupConsumer,
    subtopologyOfTopic: fakes.subtopologyOfTopic ?? new Map([['in', 0]]),
    partitionCount: () => 1,
    deadLetter: undefined,
    maxBufferedRecordsPerPartition: 4,
    logger: fakes.logger ?? silentLogger,
  });
  try {
    await body(manager, consumer, stateDirectory);
  } finally {
    await manager.closeAll(false);
    rmSync(root, { recursive: true, force: true });
  }
}

test('a new task\'s partition is paused until the task is ready, then sought to the committed offset and resumed', async () => {
  await withManager(async (manager, consumer) => {
    manager.noteAssignment([{ topic: 'in', partition: 0 }]);
    assert.deepEqual(consumer.calls, ['pause in:0']);
    await manager.applyAssignment();
    assert.deepEqual(consumer.calls, ['pause in:0', 'pause in:0', `seek in:0 ${committedAt}`, 'resume in:0']);
    assert.deepEqual(manager.runningTasks().map((t) => t.id), ['0_0']);
  });
});

test('records before the sought position are dropped as duplicates; a full buffer pauses, a drained one resumes', async () => {
  await withManager(async (manager, consumer) => {
    manager.noteAssignment([{ topic: 'in', partition: 0 }]);
    await manager.applyAssignment();
    consumer.calls.length = 0;
    const [task] = manager.runningTasks();
    manager.acceptRecords([3, 4, 5, 6].map(record));
    assert.equal(task!.engine.bufferedCount({ topic: 'in', partition: 0 }), 2, 'offsets 3 and 4 precede the committed offset');
    manager.acceptRecords([6, 7, 8].map(record));
    assert.equal(task!.engine.bufferedCount({ topic: 'in', partition: 0 }), 4, 'offset 6 was buffered already');
    assert.deepEqual(consumer.calls, ['pause in:0']);
    task!.engine.process();
    manager.resumeDrained();
    assert.deepEqual(consumer.calls, ['pause in:0'], 'three buffered records are not below half of four');
    task!.engine.process();
    task!.engine.process();
    manager.resumeDrained();
    assert.deepEqual(consumer.calls, ['pause in:0', 'resume in:0']);
  });
});

test('a kept task continues where its buffer ends after a rebalance; a revoked task is closed', async () => {
  await withManager(async (manager, consumer) => {
    manager.noteAssignment([{ topic: 'in', partition: 0 }]);
    await manager.applyAssignment();
    manager.acceptRecords([5, 6].map(record));
    await manager.suspendAll();
    consumer.calls.length = 0;
    manager.noteAssignment([{ topic: 'in', partition: 0 }]);
    assert.deepEqual(consumer.calls, ['seek in:0 7']);
    await manager.applyAssignment();
    assert.equal(manager.runningTasks().length, 1);
    manager.noteAssignment([]);
    await manager.applyAssignment();
    assert.deepEqual(manager.allTasks(), []);
  });
});

/** The default committer, except that every commit fails with `failure` for each task. */
function failingCommitter(failure: unknown): TaskCommitter & { commits: number } {
  const fake = {
    ...committer,
    commits: 0,
    commit: async (tasks: readonly ActiveTask[]) => {
      fake.commits++;
      return new Map(tasks.map((task) => [task, failure]));
    },
  };
  return fake;
}

/** Assigns `in:0` and processes one record, so the task has something to commit. */
async function runTask(manager: TaskManager): Promise<ActiveTask> {
  manager.noteAssignment([{ topic: 'in', partition: 0 }]);
  await manager.applyAssignment();
  const [task] = manager.runningTasks();
  manager.acceptRecords([record(5)]);
  assert.equal(task!.engine.process(), true);
  return task!;
}

test('a commit failing with a processing error (say, in a cache flush) fails the thread; the task is not rebuilt', async () => {
  const error = new ProcessingError('flush forwarded to a failing processor');
  await withManager(
    async (manager) => {
      const task = await runTask(manager);
      await assert.rejects(manager.commit(), (thrown: unknown) => thrown === error);
      assert.deepEqual(manager.allTasks(), [task]);
      assert.equal(manager.rebuildCount('0_0'), 0);
    },
    { committer: failingCommitter(error) },
  );
});

test('a commit failing in the broker closes the task dirty and creates it again at once', async () => {
  await withManager(
    async (manager, consumer) => {
      const task = await runTask(manager);
      consumer.calls.length = 0;
      assert.equal(await manager.commit(), 0);
      assert.equal(task.state, 'closed');
      const [rebuilt] = manager.runningTasks();
      assert.ok(rebuilt !== undefined && rebuilt !== task);
      assert.equal(manager.rebuildCount('0_0'), 1);
      assert.deepEqual(consumer.calls, ['pause in:0', `seek in:0 ${committedAt}`, 'resume in:0']);
    },
    { committer: failingCommitter(new ProductionFailure('other', 'request timed out')) },
  );
});

test('a fenced task is closed with its input paused, and created again only when a new assignment says it is ours', async () => {
  await withManager(
    async (manager, consumer) => {
      const task = await runTask(manager);
      consumer.calls.length = 0;
      assert.equal(await manager.commit(), 0);
      assert.equal(task.state, 'closed');
      assert.deepEqual(manager.allTasks(), [], 'not re-created: that would fence the instance that owns it now');
      assert.deepEqual(consumer.calls, ['pause in:0']);
      manager.resumeDrained();
      await manager.sendLargeBuffers(0);
      assert.deepEqual(manager.allTasks(), []);

      manager.noteAssignment([{ topic: 'in', partition: 0 }]);
      await manager.applyAssignment();
      assert.equal(manager.runningTasks().length, 1);
      assert.equal(manager.rebuildCount('0_0'), 1);
    },
    { committer: failingCommitter(new ProductionFailure('fenced', 'producer fenced')) },
  );
});

test('a stateless task keeps no SQLite file, so the assignor does not take it for state on disk', async () => {
  await withManager(async (manager, _consumer, stateDirectory) => {
    manager.noteAssignment([{ topic: 'in', partition: 0 }]);
    await manager.applyAssignment();
    assert.equal(manager.runningTasks().length, 1);
    assert.deepEqual(stateDirectory.tasksWithState(), []);
  });
});

test('interrupting (the thread stops) ends a restoration in progress; its task is closed without a commit', async () => {
  let readStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (readStarted = resolve));
  const endless: ChangelogReader = {
    read: (_requests, _onRecords, signal) =>
      new Promise((_resolve, reject) => {
        signal?.addEventListener('abort', () => reject(signal.reason));
        readStarted();
      }),
  };
  const withChangelog = { ...admin, endOffsets: async (partitions: readonly TopicPartition[]) => new Map(partitions.map((p) => [`${p.topic}:${p.partition}`, 10])) } as KafkaAdmin;
  const counting = failingCommitter(undefined);
  await withManager(
    async (manager) => {
      manager.noteAssignment([{ topic: 'in', partition: 0 }]);
      const applying = manager.applyAssignment();
      await started;
      const [task] = manager.allTasks();
      assert.equal(task?.state, 'restoring');
      manager.interrupt();
      await assert.rejects(applying, { name: 'AbortError' });
      await manager.closeAll(true);
      assert.equal(task.state, 'closed');
      assert.equal(counting.commits, 0);
    },
    { topology: storingTopology(), reader: endless, admin: withChangelog, committer: counting },
  );
});

/** Committed offsets of `in:0` at `committedAt`, with `metadata`. */
function committedWith(metadata: string | null): KafkaAdmin {
  return { ...admin, committedOffsets: async () => new Map([['in:0', { offset: committedAt, metadata }]]) } as KafkaAdmin;
}

/** Forwards nothing; remembers the stream time each record saw. */
function streamTimeRecorder(seen: number[]): Topology {
  return new Topology().addSource('in', 'in').addProcessor('recorder', () => {
    let context: ProcessorContext<string, string>;
    return {
      init: (ctx: ProcessorContext<string, string>) => void (context = ctx),
      process: () => void seen.push(context.currentStreamTimeMs()),
    };
  }, 'in');
}

test('a new task restores the partition time committed with its offset, so stream time survives a restart', async () => {
  const seen: number[] = [];
  await withManager(
    async (manager) => {
      manager.noteAssignment([{ topic: 'in', partition: 0 }]);
      await manager.applyAssignment();
      const [task] = manager.runningTasks();
      assert.equal(task!.engine.streamTime(), 500);
      assert.equal(task!.engine.partitionTime({ topic: 'in', partition: 0 }), 500);
      manager.acceptRecords([record(5), record(6)]);
      while (task!.engine.process());
      assert.deepEqual(seen, [500, 500], 'records older than the committed partition time do not move stream time back');
    },
    { admin: committedWith(encodePartitionTime(500)), topology: streamTimeRecorder(seen) },
  );
});

test('metadata without a partition time we can read leaves stream time unknown, with a warning', async () => {
  for (const [metadata, warnings] of [[null, 0], ['', 0], ['written by someone else', 1]] as const) {
    const logger = new RecordingLogger();
    await withManager(
      async (manager) => {
        manager.noteAssignment([{ topic: 'in', partition: 0 }]);
        await manager.applyAssignment();
        assert.equal(manager.runningTasks()[0]!.engine.streamTime(), -1);
        assert.equal(logger.entries.filter((entry) => entry.level === 'warn').length, warnings, String(metadata));
      },
      { admin: committedWith(metadata), logger },
    );
  }
});

/** Orders and a table topic in one sub-topology; the processor notes what it processed, in order. */
function ordersAndTable(seen: string[]): Topology {
  return new Topology()
    .addSource('orders', 'orders')
    .addSource('table', 'table')
    .addProcessor('note', () => ({ process: (r: { key: unknown; value: unknown }) => void seen.push(`${String(r.key)}=${String(r.value)}`) }), 'orders', 'table');
}

const at = (topic: string, offset: number, timestamp: number, value: string): RawRecord => ({ topic, partition: 0, offset, timestamp, key: Buffer.from(topic), value: Buffer.from(value), headers: Headers.EMPTY });

test('a new task waits for the backlog it knows is on the broker: orders wait until the table records before them are fetched', async () => {
  const seen: string[] = [];
  // Committed at 5 everywhere; the table partition ends at 8 (three records before the task reads anything).
  const backlogAdmin = { ...admin, endOffsets: async () => new Map([['table:0', 8], ['orders:0', 5]]) } as unknown as KafkaAdmin;
  await withManager(
    async (manager) => {
      manager.noteAssignment([{ topic: 'orders', partition: 0 }, { topic: 'table', partition: 0 }]);
      await manager.applyAssignment();
      manager.acceptRecords([at('orders', 5, 100, 'o1'), at('orders', 6, 300, 'o2')]);
      assert.equal(await manager.process(100), 0, 'the table partition is empty and has three records on the broker');
      manager.acceptRecords([at('table', 5, 50, 't1'), at('table', 6, 200, 't2')]);
      assert.equal(await manager.process(1), 1, 'buffered table records let the task go on');
      // Offset 7 is a transaction marker: the consumer's position passes it, though no record comes.
      manager.noteFetchPosition({ topic: 'table', partition: 0 }, 8);
      assert.equal(await manager.process(100), 3);
      assert.deepEqual(seen, ['table=t1', 'orders=o1', 'table=t2', 'orders=o2']);
    },
    { admin: backlogAdmin, topology: ordersAndTable(seen), subtopologyOfTopic: new Map([['orders', 0], ['table', 0]]) },
  );
});

test('without a backlog on the broker, a new task processes what it has, as before', async () => {
  const seen: string[] = [];
  await withManager(
    async (manager) => {
      manager.noteAssignment([{ topic: 'orders', partition: 0 }, { topic: 'table', partition: 0 }]);
      await manager.applyAssignment();
      manager.acceptRecords([at('orders', 5, 100, 'o1')]);
      assert.equal(await manager.process(100), 1);
      assert.deepEqual(seen, ['orders=o1']);
    },
    { topology: ordersAndTable(seen), subtopologyOfTopic: new Map([['orders', 0], ['table', 0]]) },
  );
});
