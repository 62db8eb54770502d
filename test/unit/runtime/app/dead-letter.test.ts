import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SerdeError } from '../../../../src/core/errors.js';
import { Headers } from '../../../../src/core/headers.js';
import { DEAD_LETTER_HEADERS, deadLetterRecord } from '../../../../src/runtime/tasks/dead-letter.js';

test('a dead-letter record keeps the original key, value, timestamp and headers and adds where and why', () => {
  const raw = { topic: 'orders', partition: 2, offset: 41, timestamp: 1_000, key: Buffer.from('k'), value: Buffer.from('v'), headers: Headers.EMPTY.add('trace', 't-1') };
  const record = deadLetterRecord('orders-dlt', raw, {
    kind: 'deserialization', error: new SerdeError('bad bytes'), taskId: '0_2', processorNodeId: 'source',
    topic: 'orders', partition: 2, offset: 41, timestamp: 1_000, headers: raw.headers,
  });
  assert.equal(record.topic, 'orders-dlt');
  assert.equal(record.partition, undefined);
  assert.equal(record.key, raw.key);
  assert.equal(record.value, raw.value);
  assert.equal(record.timestamp, 1_000);
  const header = (key: string) => record.headers.lastHeader(key)?.value?.toString();
  assert.equal(header('trace'), 't-1');
  assert.equal(header(DEAD_LETTER_HEADERS.topic), 'orders');
  assert.equal(header(DEAD_LETTER_HEADERS.partition), '2');
  assert.equal(header(DEAD_LETTER_HEADERS.offset), '41');
  assert.equal(header(DEAD_LETTER_HEADERS.exception), 'SerdeError');
  assert.equal(header(DEAD_LETTER_HEADERS.message), 'bad bytes');
});
