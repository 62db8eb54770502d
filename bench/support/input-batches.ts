import { Headers } from '../../src/core/headers.js';
import type { RawRecord } from '../../src/processing/raw-record.js';

const BATCH_SIZE = 1_000;

/** One input record before it gets its topic, partition and offset. */
export interface InputRecord {
  readonly key: Buffer;
  readonly value: Buffer;
  readonly timestamp: number;
}

/**
 * Input as a consumer hands it over, in batches of serialized records on partition 0 of `topic`: `recordAt(offset)`
 * makes the record at each offset from 0, until it returns `undefined`.
 */
export function inputBatches(topic: string, recordAt: (offset: number) => InputRecord | undefined): () => RawRecord[] | undefined {
  let offset = 0;
  return () => {
    const batch: RawRecord[] = [];
    while (batch.length < BATCH_SIZE) {
      const record = recordAt(offset);
      if (record === undefined) break;
      batch.push({ topic, partition: 0, offset, timestamp: record.timestamp, key: record.key, value: record.value, headers: Headers.EMPTY });
      offset++;
    }
    return batch.length > 0 ? batch : undefined;
  };
}
