import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Headers } from '../../../../src/core/headers.js';
import { Serdes } from '../../../../src/core/serdes.js';
import type { Serde } from '../../../../src/core/serde.js';
import { StateDirectory } from '../../../../src/runtime/app/state-directory.js';
import type { ChangelogReader, GroupConsumer, KafkaAdmin } from '../../../../src/runtime/client/kafka-client.js';
import type { RawRecord, TopicPartition } from '../../../../src/runtime/task/raw-record.js';
import type { ActiveTask } from '../../../../src/runtime/tasks/active-task.js';
import type { TaskCommitter } from '../../../../src/runtime/tasks/task-committer.js';
import { TaskManager } from '../../../../src/runtime/tasks/task-manager.js';
import { silentLogger } from '../../../../src/runtime/task/task-logger.js';
import { Topology } from '../../../../src/topology/topology.js';

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
  committedOffsets: async (_group: string, partitions: readonly TopicPartition[]) => new Map(partitions.map((p) => [`${p.topic}:${p.partition}`, committedAt])),
  beginningOffsets: async () => new Map<string, number>(),
  endOffsets: async () => new Map<string, number>(),
} as unknown as KafkaAdmin;
const committer: TaskCommitter = {
  initializeTask: async () => undefined,
  sendBuffered: async () => undefined,
  commit: async () => new Map<ActiveTask, unknown>(),
  releaseTask: async () => undefined,
  close: async () => undefined,
};
const reader: ChangelogReader = { read: async () => undefined };

const record = (offset: number): RawRecord => ({ topic: 'in', partition: 0, offset, timestamp: offset, key: Buffer.from('k'), value: Buffer.from('v'), headers: Headers.EMPTY });

async function withManager(body: (manager: TaskManager, consumer: RecordingConsumer) => Promise<void>): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'kstreams-manager-'));
  const consumer = new RecordingConsumer();
  const topology = new Topology().addSource('in', 'in').addProcessor('sink-less', () => ({ process: () => undefined }), 'in').build();
  const manager = new TaskManager({
    applicationId: 'app',
    topology,
    taskConfig: { applicationId: 'app', defaultKeySerde: Serdes.String() as Serde<unknown>, defaultValueSerde: Serdes.String() as Serde<unknown> },
    stateDirectory: new StateDirectory(root, 'app'),
    admin,
    changelogReader: reader,
    committer,
    consumer: () => consumer as unknown as GroupConsumer,
    subtopologyOfTopic: new Map([['in', 0]]),
    partitionCount: () => 1,
    deadLetter: undefined,
    maxBufferedRecordsPerPartition: 4,
    logger: silentLogger,
  });
  try {
    await body(manager, consumer);
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
    assert.equal(task!.stream.bufferedCount({ topic: 'in', partition: 0 }), 2, 'offsets 3 and 4 precede the committed offset');
    manager.acceptRecords([6, 7, 8].map(record));
    assert.equal(task!.stream.bufferedCount({ topic: 'in', partition: 0 }), 4, 'offset 6 was buffered already');
    assert.deepEqual(consumer.calls, ['pause in:0']);
    task!.stream.process();
    manager.resumeDrained();
    assert.deepEqual(consumer.calls, ['pause in:0'], 'three buffered records are not below half of four');
    task!.stream.process();
    task!.stream.process();
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
