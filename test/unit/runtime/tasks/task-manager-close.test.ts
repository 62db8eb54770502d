import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { StreamsError } from '../../../../src/core/errors.js';
import type { ProcessorContext } from '../../../../src/core/processor.js';
import { Serdes } from '../../../../src/core/serdes.js';
import type { Serde } from '../../../../src/core/serde.js';
import { StateDirectory } from '../../../../src/runtime/app/state-directory.js';
import type { GroupConsumer, KafkaAdmin } from '../../../../src/runtime/client/kafka-client.js';
import type { TopicPartition } from '../../../../src/processing/raw-record.js';
import { silentLogger } from '../../../../src/processing/task-logger.js';
import type { ActiveTask } from '../../../../src/runtime/tasks/active-task.js';
import type { TaskCommitter } from '../../../../src/runtime/tasks/task-committer.js';
import { TaskManager } from '../../../../src/runtime/tasks/task-manager.js';
import { Stores } from '../../../../src/state/stores.js';
import { Topology } from '../../../../src/topology/topology.js';

/** `in` → `closes` (its `close()` throws in the tasks of `failing` partitions) → `parent-closes`, with a store. */
function topology(failing: ReadonlySet<number>, closed: string[]): Topology {
  const closes = (name: string, throws: boolean) => () => {
    let context: ProcessorContext<string, string>;
    return {
      init: (ctx: ProcessorContext<string, string>) => void (context = ctx),
      process: () => undefined,
      close: () => {
        closed.push(`${context.taskId} ${name}`);
        if (throws && failing.has(Number(context.taskId.split('_')[1]))) throw new Error(`${name} cannot close in ${context.taskId}`);
      },
    };
  };
  return new Topology()
    .addSource('in', 'in')
    .addProcessor('parent', closes('parent', false), 'in')
    .addProcessor('child', closes('child', true), 'parent')
    .addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore('store'), Serdes.String(), Serdes.String()), 'child');
}

const admin = {
  committedOffsets: async () => new Map(),
  beginningOffsets: async (partitions: readonly TopicPartition[]) => new Map(partitions.map((p) => [`${p.topic}:${p.partition}`, 0])),
  endOffsets: async () => new Map<string, number>(),
} as unknown as KafkaAdmin;

function recordingCommitter(releases: string[]): TaskCommitter {
  return {
    transactionScope: 'task',
    entangled: (tasks: readonly ActiveTask[]) => [...tasks],
    initializeTask: async () => undefined,
    sendBuffered: async () => undefined,
    commit: async () => new Map<ActiveTask, unknown>(),
    releaseTask: async (task: ActiveTask) => void releases.push(task.id),
    close: async () => undefined,
  };
}

/** Two tasks, `0_0` and `0_1`, whose `child` processor throws in `close()` in task `0_0`. */
async function withTwoTasks(body: (manager: TaskManager, closed: string[], releases: string[]) => Promise<void>): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'kstreams-close-'));
  const closed: string[] = [];
  const releases: string[] = [];
  const manager = new TaskManager({
    applicationId: 'app',
    topology: topology(new Set([0]), closed).build(),
    taskConfig: { applicationId: 'app', defaultKeySerde: Serdes.String() as Serde<unknown>, defaultValueSerde: Serdes.String() as Serde<unknown> },
    stateDirectory: new StateDirectory(root, 'app'),
    admin,
    changelogReader: { read: async () => undefined },
    committer: recordingCommitter(releases),
    consumer: () => ({ pause: () => undefined, resume: () => undefined, seek: () => undefined }) as unknown as GroupConsumer,
    subtopologyOfTopic: new Map([['in', 0]]),
    partitionCount: () => 2,
    deadLetter: undefined,
    maxBufferedRecordsPerPartition: 100,
    logger: silentLogger,
  });
  try {
    manager.noteAssignment([0, 1].map((partition) => ({ topic: 'in', partition })));
    await manager.applyAssignment();
    assert.deepEqual(manager.allTasks().map((t) => t.id), ['0_0', '0_1']);
    await body(manager, closed, releases);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function assertAllClosed(tasks: readonly ActiveTask[], closed: readonly string[], releases: readonly string[]): void {
  assert.deepEqual(closed, ['0_0 child', '0_0 parent', '0_1 child', '0_1 parent'], "the parent closes after its child's failure, and so does the next task");
  assert.deepEqual(tasks.map((t) => t.state), ['closed', 'closed']);
  assert.deepEqual(tasks.map((t) => t.engine.stateStore('store')!.isOpen()), [false, false]);
  assert.deepEqual(tasks.map((t) => t.database.isOpen), [false, false]);
  assert.deepEqual(releases, ['0_0', '0_1']);
}

test('a clean closeAll closes every task, processor and store when a processor throws in close(), then rejects naming it', async () => {
  await withTwoTasks(async (manager, closed, releases) => {
    const tasks = manager.allTasks();
    await assert.rejects(manager.closeAll(true), (error: unknown) => {
      assert.ok(error instanceof StreamsError);
      assert.match(error.message, /closing processor child failed: Error: child cannot close in 0_0/);
      assert.deepEqual(error.coordinates, { taskId: '0_0', processor: 'child' });
      return true;
    });
    assertAllClosed(tasks, closed, releases);
    assert.deepEqual(manager.allTasks(), []);
  });
});

test('closing without a commit (the thread failed already) closes everything too, and keeps to the first failure by logging this one', async () => {
  await withTwoTasks(async (manager, closed, releases) => {
    const tasks = manager.allTasks();
    await manager.closeAll(false);
    assertAllClosed(tasks, closed, releases);
  });
});
