import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Headers } from '../../../../src/core/headers.js';
import type { OutgoingRecord } from '../../../../src/processing/record-collector.js';
import { lastWrittenOffsets, toMessages } from '../../../../src/runtime/platformatic/platformatic-produce-records.js';

const record = (partition: number | undefined, key: string | null, value: string | null, headers = Headers.EMPTY): OutgoingRecord => ({
  topic: 'out',
  ...(partition === undefined ? {} : { partition }),
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
  headers,
  timestamp: 1_700_000_000_123,
});

test('repeated header names stay separate headers, in their order; a header without a value stays one', () => {
  const headers = Headers.EMPTY.add('trace', 'a').add('origin', 'x').add('trace', 'b').add('empty', null);
  const [message] = toMessages([record(0, 'k', 'v', headers)]);
  const sent = [...(message!.headers as Map<Buffer, Buffer | null>)].map(([key, value]) => [key.toString(), value?.toString() ?? null]);
  assert.deepEqual(sent, [['trace', 'a'], ['origin', 'x'], ['trace', 'b'], ['empty', null]]);
});

test('a tombstone keeps its null value, a record without a key has none for the partitioner, timestamps are exact', () => {
  const [tombstone, unkeyed] = toMessages([record(1, 'k', null), record(undefined, null, 'v')]);
  assert.equal(tombstone!.value, null);
  assert.equal(tombstone!.partition, 1);
  assert.equal('key' in unkeyed!, false);
  assert.equal('partition' in unkeyed!, false);
  assert.equal(unkeyed!.timestamp, 1_700_000_000_123n);
  assert.equal(unkeyed!.headers, undefined);
});

test('the last written offset per partition is the batch base offset plus the records sent there, for explicit partitions only', () => {
  const records = [record(0, 'a', 'a'), record(0, 'b', 'b'), record(2, 'c', 'c'), record(undefined, 'd', 'd')];
  const result = { offsets: [{ topic: 'out', partition: 0, offset: 41n }, { topic: 'out', partition: 2, offset: 7n }, { topic: 'out', partition: 1, offset: 3n }] };
  assert.deepEqual(Object.fromEntries(lastWrittenOffsets(records, result)), { 'out:0': 42, 'out:2': 7 });
});
