import type { ErrorHandlerContext } from '../../processing/exception-handlers.js';
import type { RawRecord } from '../../processing/raw-record.js';
import type { OutgoingRecord } from '../../processing/record-collector.js';

export const DEAD_LETTER_HEADERS = {
  topic: '__kstreams.error.topic',
  partition: '__kstreams.error.partition',
  offset: '__kstreams.error.offset',
  exception: '__kstreams.error.exception',
  message: '__kstreams.error.message',
} as const;

/**
 * The dead-letter copy of a skipped input record: its original key, value, timestamp and headers, plus headers
 * naming where it came from and what went wrong. The producer picks the partition from the key.
 */
export function deadLetterRecord(deadLetterTopic: string, record: RawRecord, context: ErrorHandlerContext): OutgoingRecord {
  const { error } = context;
  const exception = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? error.message : String(error);
  const headers = record.headers
    .add(DEAD_LETTER_HEADERS.topic, record.topic)
    .add(DEAD_LETTER_HEADERS.partition, String(record.partition))
    .add(DEAD_LETTER_HEADERS.offset, String(record.offset))
    .add(DEAD_LETTER_HEADERS.exception, exception)
    .add(DEAD_LETTER_HEADERS.message, message);
  return { topic: deadLetterTopic, key: record.key, value: record.value, headers, timestamp: record.timestamp };
}
