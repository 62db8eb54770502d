import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StreamsError } from '../../../src/core/errors.js';
import type { ProcessorContext } from '../../../src/core/processor.js';
import type { Record } from '../../../src/core/record.js';
import { Serdes } from '../../../src/core/serdes.js';
import type { KeyValueStore } from '../../../src/state/key-value-store.js';
import { Stores } from '../../../src/state/stores.js';
import { Topology } from '../../../src/topology/topology.js';
import { processAll, raw, startTask } from './task-harness.js';

/**
 * Store failures are not about the record being processed, so the processing handler never gets to skip them, even
 * when it answers 'continue': each code keeps its one policy, and the error names where it happened.
 */

/** `in` → `put` (writes the record into the persistent store `store`; the key `null!` stands for a buggy processor). */
function storingTopology(): Topology {
  const put = () => {
    let context: ProcessorContext<string, string>;
    let store: KeyValueStore<string | null, string>;
    return {
      init(ctx: ProcessorContext<string, string>) {
        context = ctx;
        store = ctx.getStateStore<KeyValueStore<string | null, string>>('store');
      },
      process(record: Record<string, string>) {
        store.put(record.key === 'null!' ? null : record.key, record.value);
        context.forward(record);
      },
    };
  };
  return new Topology()
    .addSource('in', 'in')
    .addProcessor('put', put, 'in')
    .addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('store'), Serdes.String(), Serdes.String()), 'put')
    .addSink('out', 'out', 'put');
}

function failureOf(run: () => void): StreamsError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof StreamsError, `expected a StreamsError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the task to fail');
}

describe('store failures during processing', () => {
  it('a misused store (a null key) fails the task with STATE_MISUSE naming task, processor, record and store', () => {
    const harness = startTask(storingTopology(), { processingExceptionHandler: 'continue' }, 0, 2);
    try {
      harness.task.addRecords({ topic: 'in', partition: 2 }, [raw('in', 2, 10, 'a', '1', 7), raw('in', 2, 11, 'null!', '2', 8)]);
      const error = failureOf(() => processAll(harness.task));
      assert.equal(error.code, 'STATE_MISUSE');
      assert.deepEqual(error.coordinates, { topic: 'in', partition: 2, offset: 8, taskId: '0_2', processor: 'put', store: 'store' });
      assert.match(error.message, /store keys must not be null/);
      assert.deepEqual(harness.sentLines(), ['out a=1@10'], 'the failing record was not skipped');
    } finally {
      harness.close();
    }
  });

  it('a full disk fails the task with STATE_STORAGE_FAILED, the SQLite error as its cause, and skips nothing', () => {
    const harness = startTask(storingTopology(), { processingExceptionHandler: 'continue' });
    try {
      harness.task.addRecords({ topic: 'in', partition: 0 }, [raw('in', 0, 10, 'a', 'x'.repeat(10_000), 3)]);
      // The database may not grow by a single page: the next write that needs one fails as on a full disk.
      const pages = harness.database.sqlite.pragma('page_count', { simple: true }) as number;
      harness.database.sqlite.pragma(`max_page_count = ${pages}`);
      const error = failureOf(() => processAll(harness.task));
      assert.equal(error.code, 'STATE_STORAGE_FAILED');
      assert.match(String((error.cause as Error).message), /database or disk is full/);
      assert.deepEqual(error.coordinates, { topic: 'in', partition: 0, offset: 3, taskId: '0_0', processor: 'put' });
      assert.equal(harness.task.metrics().droppedRecords.processingErrors, 0);
    } finally {
      harness.close();
    }
  });
});
