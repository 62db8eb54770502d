import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodePartitionTime, encodePartitionTime } from '../../../../src/runtime/tasks/partition-time-metadata.js';

test("encodes partition time as Kafka Streams does: base64 of version 1 and the big-endian int64", () => {
  assert.equal(encodePartitionTime(1000), 'AQAAAAAAAAPo');
  assert.equal(encodePartitionTime(0), 'AQAAAAAAAAAA');
  for (const time of [0, 1, 1000, 1_700_000_000_123, Number.MAX_SAFE_INTEGER]) assert.equal(decodePartitionTime(encodePartitionTime(time)), time);
});

test('reads version 2 (newer Kafka Streams: the time, then processor metadata it ignores)', () => {
  assert.equal(decodePartitionTime('AgAAAYvP5WgAAAAAAXh5eg=='), 1_700_000_000_000);
});

test('finds no partition time in empty, foreign, unknown-version or negative metadata', () => {
  for (const metadata of [null, '', 'not base64 at all', 'AQAA', 'AwAAAAAAAAPo', 'Af/////////7']) {
    assert.equal(decodePartitionTime(metadata), undefined, String(metadata));
  }
});
