import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Headers } from '../../../src/core/headers.js';
import type { RawRecord } from '../../../src/processing/raw-record.js';
import { RecordQueue, stampedRecord, type RecordDecoder } from '../../../src/processing/record-queue.js';

const raw = (offset: number): RawRecord => ({ topic: 't', partition: 0, offset, timestamp: offset * 10, key: null, value: null, headers: Headers.EMPTY });

describe('RecordQueue', () => {
  it('hands out the record it took even when the next one fails to decode, then fails on that one', () => {
    const decode: RecordDecoder = (record) => {
      if (record.offset === 1) throw new Error('invalid timestamp at offset 1');
      return stampedRecord(record, null, null, record.timestamp);
    };
    const queue = new RecordQueue({ topic: 't', partition: 0 }, decode);
    queue.add([raw(0), raw(1), raw(2)]);
    assert.equal(queue.poll()?.raw.offset, 0);
    assert.equal(queue.size(), 2, 'the failed record stays first in line');
    assert.throws(() => queue.headTimestamp(), /offset 1/);
    assert.throws(() => queue.poll(), /offset 1/);
  });
});
