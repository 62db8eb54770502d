import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Headers } from '../../../../src/core/headers.js';
import { Serdes } from '../../../../src/core/serdes.js';
import type { Serde } from '../../../../src/core/serde.js';
import { StreamsError } from '../../../../src/core/errors.js';
import { StateDirectory } from '../../../../src/runtime/app/state-directory.js';
import { BrokerFailure } from '../../../../src/runtime/client/broker-failure.js';
import type { GroupConsumer, KafkaAdmin } from '../../../../src/runtime/client/kafka-client.js';
import { ProductionFailure } from '../../../../src/runtime/client/production-failure.js';
import type { TopicPartition } from '../../../../src/processing/raw-record.js';
import { silentLogger } from '../../../../src/processing/task-logger.js';
import type { ActiveTask } from '../../../../src/runtime/tasks/active-task.js';
import type { TaskCommitter } from '../../../../src/runtime/tasks/task-committer.js';
import { TaskManager } from '../../../../src/runtime/tasks/task-manager.js';
import type { RetryPolicy } from '../../../../src/runtime/tasks/task-retries.js';
import { Topology } from '../../../../src/topology/topology.js';

/**
 * How the task manager rides out broker outages: creation retried with backoff, lost tasks closed without a commit
 * and created afresh, and a bounded number of seconds of failing before the thread fails.
 */

const IN_0: TopicPartition = { topic: 'in', partition: 0 };
const coordinatorLoading = new BrokerFailure('reading committed offsets failed (GROUP_LOAD_IN_PROGRESS)', { retriable: true });
/** Long enough that a test can see a task is not retried before its backoff. */
const SLOW_BACKOFF: RetryPolicy = { timeoutMs: 3_600_000, initialBackoffMs: 3_600_000, maxBackoffMs: 3_600_000 };

/** An admin whose `committedOffsets` fails with the next error of `failures` while there are any. */
function flakyAdmin(failures: unknown[]): KafkaAdmin & { reads: number } {
  const admin = {
    reads: 0,
    committedOffsets: async (_group: string, partitions: readonly TopicPartition[]) => {
      admin.reads++;
      const failure = failures.shift();
      if (failure !== undefined) throw failure;
      return new Map(partitions.map((p) => [`${p.topic}:${p.partition}`, { offset: 5, metadata: null }]));
    },
    beginningOffsets: async () => new Map<string, number>(),
    endOffsets: async () => new Map<string, number>(),
  };
  return admin as unknown as KafkaAdmin & { reads: number };
}

/** Counts commits and releases (with whether the transaction was aborted); `commitFailures` fail the next commits. */
function recordingCommitter(commitFailures: unknown[] = []): TaskCommitter & { commits: number; releases: string[] } {
  const committer = {
    commits: 0,
    releases: [] as string[],
    transactionScope: 'task' as const,
    entangled: (tasks: readonly ActiveTask[]) => [...tasks],
    initializeTask: async () => undefined,
    sendBuffered: async () => undefined,
    commit: async (tasks: readonly ActiveTask[]) => {
      committer.commits++;
      const failure = commitFailures.shift();
      return new Map(failure === undefined ? [] : tasks.map((task) => [task, failure]));
    },
    releaseTask: async (task: ActiveTask, abort: boolean) => void committer.releases.push(`${task.id} ${abort ? 'aborted' : 'clean'}`),
    close: async () => undefined,
  };
  return committer;
}

interface Fakes {
  readonly admin?: KafkaAdmin;
  readonly committer?: TaskCommitter;
  readonly retryPolicy?: RetryPolicy;
}

async function withManager(fakes: Fakes, body: (manager: TaskManager, calls: string[]) => Promise<void>): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'kstreams-outages-'));
  const calls: string[] = [];
  const consumer = {
    pause: (ps: readonly TopicPartition[]) => calls.push(...ps.map((p) => `pause ${p.topic}:${p.partition}`)),
    resume: (ps: readonly TopicPartition[]) => calls.push(...ps.map((p) => `resume ${p.topic}:${p.partition}`)),
    seek: (p: TopicPartition, offset: number) => calls.push(`seek ${p.topic}:${p.partition} ${offset}`),
  };
  const manager = new TaskManager({
    applicationId: 'app',
    topology: new Topology().addSource('in', 'in').addProcessor('p', () => ({ process: () => undefined }), 'in').build(),
    taskConfig: { applicationId: 'app', defaultKeySerde: Serdes.String() as Serde<unknown>, defaultValueSerde: Serdes.String() as Serde<unknown> },
    stateDirectory: new StateDirectory(root, 'app'),
    admin: fakes.admin ?? flakyAdmin([]),
    changelogReader: { read: async () => undefined },
    committer: fakes.committer ?? recordingCommitter(),
    consumer: () => consumer as unknown as GroupConsumer,
    subtopologyOfTopic: new Map([['in', 0]]),
    partitionCount: () => 1,
    deadLetter: undefined,
    maxBufferedRecordsPerPartition: 100,
    logger: silentLogger,
    ...(fakes.retryPolicy === undefined ? {} : { retryPolicy: fakes.retryPolicy }),
  });
  try {
    await body(manager, calls);
  } finally {
    await manager.closeAll(false);
    rmSync(root, { recursive: true, force: true });
  }
}

/** Feeds one record at offset 5 to the running task and processes it, so that it has something to commit. */
function processOne(manager: TaskManager): ActiveTask {
  const [task] = manager.runningTasks();
  manager.acceptRecords([{ ...IN_0, offset: 5, timestamp: 5, key: Buffer.from('k'), value: Buffer.from('v'), headers: Headers.EMPTY }]);
  assert.equal(task!.engine.process(), true);
  return task!;
}

test('a task whose creation fails on a retriable error is closed and created again: at once, then after a backoff', async () => {
  const admin = flakyAdmin([coordinatorLoading, coordinatorLoading]);
  const committer = recordingCommitter();
  await withManager({ admin, committer, retryPolicy: SLOW_BACKOFF }, async (manager) => {
    manager.noteAssignment([IN_0]);
    await manager.applyAssignment();
    assert.deepEqual(manager.allTasks(), [], 'the half-created task is closed again');
    assert.deepEqual(committer.releases, ['0_0 aborted']);
    await manager.createDueTasks();
    assert.equal(admin.reads, 2, 'the first failure is retried at once');
    assert.deepEqual(manager.allTasks(), []);
    await manager.createDueTasks();
    await manager.createDueTasks();
    assert.equal(admin.reads, 2, 'the second failure waits for its backoff: no hot loop');
    manager.noteAssignment([IN_0]);
    await manager.applyAssignment();
    assert.deepEqual(manager.runningTasks().map((t) => t.id), ['0_0'], 'a new assignment tries at once');
  });
});

test('a creation failure no retry can fix still fails the thread', async () => {
  const final = new BrokerFailure('reading committed offsets failed (GROUP_AUTHORIZATION_FAILED)', { retriable: false });
  await withManager({ admin: flakyAdmin([final]) }, async (manager) => {
    manager.noteAssignment([IN_0]);
    await assert.rejects(manager.applyAssignment(), (error: unknown) => error === final);
  });
});

test('a task failing for longer than the task timeout fails the thread with an error naming it', async () => {
  await withManager({ admin: flakyAdmin([coordinatorLoading]), retryPolicy: { ...SLOW_BACKOFF, timeoutMs: 0 } }, async (manager) => {
    manager.noteAssignment([IN_0]);
    await assert.rejects(
      manager.applyAssignment(),
      (error: unknown) => error instanceof StreamsError && error.code === 'BROKER_UNAVAILABLE' && /task 0_0 .*creating the task failed/.test(error.message),
    );
  });
});

test('a task whose commits keep failing is rebuilt at once the first time, then only after a backoff', async () => {
  const timedOut = new ProductionFailure('other', 'commit failed: connect ECONNREFUSED', { retriable: true });
  const committer = recordingCommitter([timedOut, timedOut]);
  await withManager({ committer, retryPolicy: SLOW_BACKOFF }, async (manager) => {
    manager.noteAssignment([IN_0]);
    await manager.applyAssignment();
    const first = processOne(manager);
    assert.equal(await manager.commit(), 0);
    const [rebuilt] = manager.runningTasks();
    assert.ok(rebuilt !== undefined && rebuilt !== first, 'rebuilt at once');
    processOne(manager);
    assert.equal(await manager.commit(), 0);
    await manager.createDueTasks();
    assert.deepEqual(manager.allTasks(), [], 'the second failure in a row waits for the backoff');
    assert.equal(manager.rebuildCount('0_0'), 1);
  });
});

test('lost tasks stop at once, are closed without a commit, and only a new assignment creates them again', async () => {
  const committer = recordingCommitter();
  await withManager({ committer }, async (manager, calls) => {
    manager.noteAssignment([IN_0]);
    await manager.applyAssignment();
    processOne(manager);
    manager.noteLost();
    assert.deepEqual(manager.runningTasks(), [], 'a lost task neither processes nor commits');
    assert.equal(await manager.commit(), 0);
    await manager.closeLost();
    assert.equal(committer.commits, 0);
    assert.deepEqual(committer.releases, ['0_0 aborted']);
    await manager.createDueTasks();
    assert.deepEqual(manager.allTasks(), [], 'nothing is ours until the next assignment');
    calls.length = 0;
    manager.noteAssignment([IN_0]);
    await manager.applyAssignment();
    assert.deepEqual(calls, ['pause in:0', 'pause in:0', 'seek in:0 5', 'resume in:0'], 'created afresh: fenced, sought to the committed offset');
    assert.deepEqual(manager.runningTasks().map((t) => t.id), ['0_0']);
  });
});

/** Two ways a held task's ownership is interrupted before the loop applies the assignment that gives it back. */
const INTERRUPTIONS: ReadonlyArray<[string, (manager: TaskManager) => void]> = [
  ['the member lost its place in the group', (manager) => manager.noteLost()],
  ['an assignment took the task away (someone else may have owned it since)', (manager) => manager.noteAssignment([])],
];

for (const [interruption, interrupt] of INTERRUPTIONS) {
  test(`a task given back right after ${interruption} is not kept, but closed without a commit and created afresh`, async () => {
    const committer = recordingCommitter();
    await withManager({ committer }, async (manager, calls) => {
      manager.noteAssignment([IN_0]);
      await manager.applyAssignment();
      const task = processOne(manager);
      calls.length = 0;
      interrupt(manager);
      manager.noteAssignment([IN_0]);
      assert.deepEqual(calls, ['pause in:0'], 'not sought to where its buffer ended');
      await manager.applyAssignment();
      assert.equal(task.state, 'closed');
      assert.equal(committer.commits, 0, 'its work is redone by the new task, not committed');
      assert.deepEqual(committer.releases, ['0_0 aborted']);
      assert.notEqual(manager.runningTasks()[0], task);
      assert.deepEqual(manager.runningTasks().map((t) => t.id), ['0_0']);
    });
  });
}
