import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRecordsBatch } from '@platformatic/kafka';
import { Headers } from '../../../../src/core/headers.js';
import type { OutgoingRecord } from '../../../../src/processing/record-collector.js';
import { refusal, RefusedBeforeSending, singleRecordBatchBytes } from '../../../../src/runtime/platformatic/platformatic-produce-limits.js';
import { toMessages } from '../../../../src/runtime/platformatic/platformatic-produce-records.js';
import { SeededRandom } from '../../../../src/testing/seeded-random.js';

function randomRecord(random: SeededRandom): OutgoingRecord {
  const bytes = (length: number) => Buffer.from(Array.from({ length }, () => random.int(0, 255)));
  // Lengths around the varint steps (63/64, 8191/8192 bytes) change the size of the length fields.
  const length = () => random.pick([0, 1, 63, 64, 65, 200, 8_191, 8_192, random.int(0, 20_000)]);
  let headers = Headers.EMPTY;
  for (let i = random.int(0, 3); i > 0; i--) headers = headers.add(`h${'x'.repeat(random.int(0, 70))}`, random.chance(0.2) ? null : bytes(length()));
  return {
    topic: 'out',
    partition: 0,
    key: random.chance(0.2) ? null : bytes(length()),
    value: random.chance(0.1) ? null : bytes(length()),
    headers,
    timestamp: 1_700_000_000_000,
  };
}

test('the size of a batch of one record is the size of the batch the library encodes for it', () => {
  const random = new SeededRandom(896);
  for (let i = 0; i < 300; i++) {
    const record = randomRecord(random);
    const batch = createRecordsBatch(toMessages([record]).map((m) => ({ ...m, partition: 0 })) as never, { producerId: 1n, producerEpoch: 0, sequences: undefined } as never);
    assert.equal(singleRecordBatchBytes(record), batch.length, `record ${i}`);
  }
});

test('a record over max.message.bytes, or without a key for a compacted topic, is refused before sending, as the broker would', () => {
  const record = { topic: 'out', partition: 0, key: Buffer.from('k'), value: Buffer.alloc(1_000), headers: Headers.EMPTY, timestamp: 0 };
  const size = singleRecordBatchBytes(record);
  assert.equal(refusal(record, { maxBatchBytes: size, compacted: true }), undefined);
  const tooLarge = refusal(record, { maxBatchBytes: size - 1, compacted: false });
  assert.ok(tooLarge instanceof RefusedBeforeSending && tooLarge.kind === 'record' && !tooLarge.retriable);
  assert.match(tooLarge.message, /MESSAGE_TOO_LARGE.*max\.message\.bytes/);
  assert.match(refusal({ ...record, key: null }, { maxBatchBytes: size, compacted: true })!.message, /INVALID_RECORD/);
  assert.equal(refusal({ ...record, key: null }, { maxBatchBytes: size, compacted: false }), undefined);
});
