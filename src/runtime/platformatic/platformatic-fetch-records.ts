import type { fetchV17, KafkaRecord, RecordsBatch } from '@platformatic/kafka';
import { Headers, type Header } from '../../core/headers.js';
import type { RawRecord } from '../../processing/raw-record.js';
import { committedDataBatches, isControlBatch } from './platformatic-aborted-transactions.js';

/** Bit 3 of a batch's attributes: the broker stamped the batch's records with its append time (`maxTimestamp`). */
const LOG_APPEND_TIME = 1 << 3;

/** What one partition of a fetch response gives the reader: its records and where reading goes on. */
export interface FetchedPartition {
  readonly records: RawRecord[];
  /** The offset after the last batch the broker returned (data, control or aborted); `undefined` when none came. */
  readonly nextOffset: number | undefined;
}

function headersOf(record: KafkaRecord): Headers {
  if (record.headers.length === 0) return Headers.EMPTY;
  const entries: Header[] = [];
  for (const [key, value] of record.headers) entries.push({ key: key === null ? '' : key.toString(), value });
  return Headers.of(entries);
}

/**
 * Appends the records of one data batch at or past `fromOffset` (a batch may start before the offset asked for:
 * the broker returns whole batches). Key, value and header values stay views into the response's buffer.
 */
function appendBatch(out: RawRecord[], topic: string, partition: number, batch: RecordsBatch, fromOffset: number): void {
  const firstOffset = Number(batch.firstOffset);
  const logAppendTime = (batch.attributes & LOG_APPEND_TIME) !== 0;
  const firstTimestamp = Number(batch.firstTimestamp);
  const maxTimestamp = Number(batch.maxTimestamp);
  for (const record of batch.records) {
    const offset = firstOffset + record.offsetDelta;
    if (offset < fromOffset) continue;
    out.push({
      topic,
      partition,
      offset,
      timestamp: logAppendTime ? maxTimestamp : firstTimestamp + Number(record.timestampDelta),
      key: record.key,
      value: record.value,
      headers: headersOf(record),
    });
  }
}

/**
 * Decodes one partition of a fetch response that asked for `fromOffset`. Under read_committed the aborted
 * transactions are filtered here (`committedDataBatches`); control batches never become records, but they and
 * aborted batches still move the position, so a read ending on a marker makes progress.
 */
export function decodeFetchedPartition(topic: string, partition: number, fromOffset: number, response: fetchV17.FetchResponsePartition, readCommitted: boolean): FetchedPartition {
  const batches = response.records ?? [];
  const last = batches.at(-1);
  if (last === undefined) return { records: [], nextOffset: undefined };
  const data = readCommitted ? committedDataBatches(batches, response.abortedTransactions) : batches.filter((b: RecordsBatch) => !isControlBatch(b));
  const records: RawRecord[] = [];
  for (const batch of data) appendBatch(records, topic, partition, batch, fromOffset);
  return { records, nextOffset: Math.max(fromOffset, Number(last.firstOffset) + last.lastOffsetDelta + 1) };
}
