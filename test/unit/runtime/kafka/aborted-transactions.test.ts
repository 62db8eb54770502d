import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { abortedRecordIndexes, type FetchedRecord } from '../../../../src/runtime/kafka/aborted-transactions.js';

const controlKey = (type: 0 | 1) => Buffer.from([0, 0, 0, type]);

/** A partition's log, one entry per offset from `base`: `[producer, 'data' | 'abort' | 'commit' | 'plain']`. */
function log(entries: ReadonlyArray<readonly [string, 'data' | 'abort' | 'commit' | 'plain']>, base = 0): FetchedRecord[] {
  return entries.map(([producerId, kind], i) => ({
    offset: String(base + i),
    key: kind === 'abort' ? controlKey(0) : kind === 'commit' ? controlKey(1) : Buffer.from('k'),
    isControlRecord: kind === 'abort' || kind === 'commit',
    batchContext: { producerId, inTransaction: kind !== 'plain' },
  }));
}

const offsetsOf = (records: FetchedRecord[], indexes: number[]) => indexes.map((i) => Number(records[i]!.offset));

describe('abortedRecordIndexes', () => {
  it('drops interleaved aborted transactions listed in marker order (the second to start aborted first)', () => {
    // Producers 1 and 2 write interleaved, 2 aborts before 1, then producer 3 commits one record.
    const records = log([['1', 'data'], ['2', 'data'], ['1', 'data'], ['2', 'data'], ['2', 'abort'], ['1', 'abort'], ['3', 'data'], ['3', 'commit']]);
    const aborted = [{ producerId: '2', firstOffset: '1' }, { producerId: '1', firstOffset: '0' }];
    assert.deepEqual(offsetsOf(records, abortedRecordIndexes(records, aborted)), [0, 1, 2, 3]);
  });

  it('activates every transaction that started before the fetched range at the first record', () => {
    // The fetch starts at offset 10, inside the aborted transactions of producers 7, 8 and 9.
    const records = log([['8', 'data'], ['7', 'data'], ['9', 'data'], ['9', 'abort'], ['7', 'abort'], ['8', 'abort'], ['5', 'data']], 10);
    const aborted = [{ producerId: '9', firstOffset: '4' }, { producerId: '7', firstOffset: '2' }, { producerId: '8', firstOffset: '3' }];
    assert.deepEqual(offsetsOf(records, abortedRecordIndexes(records, aborted)), [10, 11, 12]);
  });

  it("keeps a producer's committed transaction before and after its aborted one", () => {
    const records = log([['1', 'data'], ['1', 'commit'], ['1', 'data'], ['1', 'data'], ['1', 'abort'], ['1', 'data'], ['1', 'commit']]);
    assert.deepEqual(offsetsOf(records, abortedRecordIndexes(records, [{ producerId: '1', firstOffset: '2' }])), [2, 3]);
  });

  it('drops two aborted transactions of one producer in one fetch', () => {
    const records = log([['1', 'data'], ['1', 'abort'], ['2', 'data'], ['1', 'data'], ['1', 'abort'], ['2', 'commit']]);
    const aborted = [{ producerId: '1', firstOffset: '3' }, { producerId: '1', firstOffset: '0' }];
    assert.deepEqual(offsetsOf(records, abortedRecordIndexes(records, aborted)), [0, 3]);
  });

  it('never drops records written outside transactions, nor anything when nothing was aborted', () => {
    const records = log([['-1', 'plain'], ['1', 'data'], ['-1', 'plain'], ['1', 'abort']]);
    assert.deepEqual(offsetsOf(records, abortedRecordIndexes(records, [{ producerId: '1', firstOffset: '1' }])), [1]);
    assert.deepEqual(abortedRecordIndexes(records, []), []);
  });
});
