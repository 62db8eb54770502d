import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RecordsBatch } from '@platformatic/kafka';
import { committedDataBatches } from '../../../../src/runtime/platformatic/platformatic-aborted-transactions.js';
import { batch, type Kind } from './record-batches.js';

const log = (entries: ReadonlyArray<readonly [number, Kind]>, base = 0) => entries.map(([producer, kind], i) => batch(base + i, producer, kind));
const kept = (batches: RecordsBatch[]) => batches.map((b) => Number(b.firstOffset));
const aborted = (...list: Array<[producerId: number, firstOffset: number]>) => list.map(([producerId, firstOffset]) => ({ producerId: BigInt(producerId), firstOffset: BigInt(firstOffset) }));

describe('committedDataBatches', () => {
  it('drops interleaved aborted transactions of two producers listed in marker order (the second to start aborted first)', () => {
    const batches = log([[1, 'data'], [2, 'data'], [1, 'data'], [2, 'data'], [2, 'abort'], [1, 'abort'], [3, 'data'], [3, 'commit']]);
    assert.deepEqual(kept(committedDataBatches(batches, aborted([2, 1], [1, 0]))), [6]);
  });

  it('drops two aborted transactions of one producer in one fetch and keeps its committed one between them', () => {
    // @platformatic/kafka's own filter keeps one range per producer: the first aborted transaction here leaks.
    const batches = log([[1, 'data'], [1, 'abort'], [1, 'data'], [1, 'commit'], [1, 'data'], [1, 'abort']]);
    assert.deepEqual(kept(committedDataBatches(batches, aborted([1, 0], [1, 4]))), [2]);
  });

  it('activates every transaction that began before the fetched range at the first batch', () => {
    const batches = log([[8, 'data'], [7, 'data'], [9, 'data'], [9, 'abort'], [7, 'abort'], [8, 'abort'], [5, 'data']], 10);
    assert.deepEqual(kept(committedDataBatches(batches, aborted([9, 4], [7, 2], [8, 3]))), [16]);
  });

  it('keeps non-transactional writes of a producer id, and a transaction whose abort marker lies past the fetch is dropped', () => {
    const batches = log([[4, 'plain'], [1, 'data'], [4, 'plain'], [1, 'data']]);
    assert.deepEqual(kept(committedDataBatches(batches, aborted([1, 1]))), [0, 2]);
  });

  it('returns no control batch, with or without aborted transactions', () => {
    const batches = log([[1, 'data'], [1, 'commit'], [2, 'data'], [2, 'abort']]);
    assert.deepEqual(kept(committedDataBatches(batches, null)), [0, 2]);
    assert.deepEqual(kept(committedDataBatches(batches, aborted([2, 2]))), [0]);
  });

  it('keeps a later committed transaction of a producer whose earlier one was aborted', () => {
    const batches = log([[1, 'data'], [2, 'data'], [1, 'abort'], [1, 'data'], [2, 'commit'], [1, 'commit']]);
    assert.deepEqual(kept(committedDataBatches(batches, aborted([1, 0]))), [1, 3]);
  });
});
