import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Serdes } from '../../../../src/core/serdes.js';
import type { ChangelogReader, KafkaAdmin } from '../../../../src/runtime/client/kafka-client.js';
import type { TopicPartition } from '../../../../src/processing/raw-record.js';
import { restoreTasks } from '../../../../src/runtime/tasks/task-restorer.js';
import { Stores } from '../../../../src/state/stores.js';
import { Topology } from '../../../../src/topology/topology.js';
import { raw } from '../task-harness.js';
import { RecordingLogger, runningTask } from './runtime-fakes.js';

/** One processor with two logged stores, so the task restores two changelog partitions. */
function twoStores(): Topology {
  const store = (name: string) => Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.String());
  return new Topology()
    .addSource('in', 'in')
    .addProcessor('p', () => ({ process: () => undefined }), 'in')
    .addStateStore(store('one'), 'p')
    .addStateStore(store('two'), 'p');
}

const ONE = 'app-one-changelog';
const TWO = 'app-two-changelog';
const admin = {
  endOffsets: async (partitions: readonly TopicPartition[]) => new Map(partitions.map((p) => [`${p.topic}:${p.partition}`, p.topic === ONE ? 4 : 1])),
  beginningOffsets: async () => new Map<string, number>(),
} as unknown as KafkaAdmin;

test('restoration counts per changelog partition, and skips keyless records (counted, logged with coordinates) but moves past them', async () => {
  const logger = new RecordingLogger();
  const task = runningTask(twoStores(), logger);
  const reader: ChangelogReader = {
    read: async (_requests, onRecords) => {
      onRecords([raw(ONE, 0, 1, 'a', '1', 0), raw(ONE, 0, 1, null, 'orphan', 1), raw(ONE, 0, 1, 'b', '2', 2)]);
      onRecords([raw(TWO, 0, 1, 'x', '9', 0)]);
      onRecords([raw(ONE, 0, 1, null, 'orphan', 3)]);
    },
  };
  try {
    assert.deepEqual(await restoreTasks([task], admin, reader), []);
    const restored = logger.entries.filter((e) => e.message === 'store restored').map((e) => e.fields as { store: string; restored: number; total: number });
    assert.deepEqual(restored.map(({ store, restored, total }) => ({ store, restored, total })), [
      { store: 'one', restored: 2, total: 4 },
      { store: 'two', restored: 1, total: 1 },
    ]);
    assert.equal(task.restoredRecords, 3);
    assert.equal(task.skippedRestoredRecords, 2);
    const skipped = logger.entries.filter((e) => e.message === 'skipping changelog record without a key').map((e) => e.fields);
    assert.deepEqual(skipped, [
      { topic: ONE, partition: 0, offset: 1 },
      { topic: ONE, partition: 0, offset: 3 },
    ]);
    assert.equal(task.database.changelogOffsets().get(`${ONE}:0`), 4, 'a batch of keyless records still moves the position');
    assert.equal(task.engine.stateStore('one')?.persistent, true);
  } finally {
    task.close();
  }
});

test('a failing replay (the reader rejects with what onRecords threw) fails the restoration', async () => {
  const task = runningTask(twoStores());
  const reader: ChangelogReader = {
    read: async (_requests, onRecords) => onRecords([raw('not-a-changelog', 0, 1, 'a', '1', 0)]),
  };
  const failing: ChangelogReader = {
    read: async () => {
      throw new Error('store write failed');
    },
  };
  try {
    assert.deepEqual(await restoreTasks([task], admin, reader), [], 'records of unknown partitions are ignored');
    await assert.rejects(restoreTasks([task], admin, failing), /store write failed/);
  } finally {
    task.close();
  }
});
