import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { fetchV17, RecordsBatch } from '@platformatic/kafka';
import { decodeFetchedPartition } from '../../../../src/runtime/platformatic/platformatic-fetch-records.js';
import { batch } from './record-batches.js';

const partitionResponse = (records: RecordsBatch[], abortedTransactions: fetchV17.FetchResponsePartitionAbortedTransaction[] | null = null): fetchV17.FetchResponsePartition => ({
  partitionIndex: 0,
  errorCode: 0,
  highWatermark: 100n,
  lastStableOffset: 100n,
  logStartOffset: 0n,
  abortedTransactions,
  preferredReadReplica: -1,
  records,
});

describe('decodeFetchedPartition', () => {
  it('turns records into raw records with offsets, timestamps, headers and the key and value bytes as they came', () => {
    const written = batch(4, -1, 'plain', 3);
    written.firstTimestamp = 5_000n;
    written.records[1]!.headers = [[Buffer.from('origin'), Buffer.from('test')], [Buffer.from('empty'), null]];
    const { records, nextOffset } = decodeFetchedPartition('t', 0, 4, partitionResponse([written]), true);
    assert.deepEqual(records.map((r) => [r.offset, r.timestamp, r.value?.toString()]), [[4, 5_000, 'v4'], [5, 5_001, 'v5'], [6, 5_002, 'v6']]);
    assert.equal(records[1]!.key, written.records[1]!.key, 'the key is the response’s buffer, not a copy');
    assert.deepEqual(records[1]!.headers.toArray(), [{ key: 'origin', value: Buffer.from('test') }, { key: 'empty', value: null }]);
    assert.equal(records[0]!.headers.size, 0);
    assert.equal(nextOffset, 7);
  });

  it('skips the records of a batch before the offset asked for', () => {
    const { records } = decodeFetchedPartition('t', 0, 6, partitionResponse([batch(4, -1, 'plain', 3)]), false);
    assert.deepEqual(records.map((r) => r.offset), [6]);
  });

  it('stamps every record of a log-append-time batch with the broker’s time', () => {
    const appended = batch(0, -1, 'plain', 2, 1 << 3);
    appended.maxTimestamp = 9_000n;
    assert.deepEqual(decodeFetchedPartition('t', 0, 0, partitionResponse([appended]), false).records.map((r) => r.timestamp), [9_000, 9_000]);
  });

  it('moves past markers and aborted batches under read_committed, handing over only committed records', () => {
    const response = partitionResponse([batch(0, 1, 'data'), batch(1, 2, 'data'), batch(2, 1, 'commit'), batch(3, 2, 'abort')], [{ producerId: 2n, firstOffset: 1n }]);
    const { records, nextOffset } = decodeFetchedPartition('t', 0, 0, response, true);
    assert.deepEqual(records.map((r) => r.offset), [0]);
    assert.equal(nextOffset, 4);
  });

  it('reads uncommitted data too under read_uncommitted, never the markers', () => {
    const response = partitionResponse([batch(0, 2, 'data'), batch(1, 2, 'abort')], [{ producerId: 2n, firstOffset: 0n }]);
    assert.deepEqual(decodeFetchedPartition('t', 0, 0, response, false).records.map((r) => r.offset), [0]);
  });

  it('reports no position when the broker returned no batch', () => {
    assert.equal(decodeFetchedPartition('t', 0, 3, partitionResponse([]), true).nextOffset, undefined);
  });
});
