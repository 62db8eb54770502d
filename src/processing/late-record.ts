import type { OutgoingRecord } from './record-collector.js';
import type { RawRecord } from './raw-record.js';

export const LATE_RECORD_HEADERS = {
  topic: '__kstreams.late.topic',
  partition: '__kstreams.late.partition',
  offset: '__kstreams.late.offset',
  /** The event time the processor judged late (the extracted timestamp, not necessarily the Kafka one). */
  timestamp: '__kstreams.late.timestamp',
  processor: '__kstreams.late.processor',
} as const;

/**
 * The late-records copy of an input record: its original key, value, timestamp and headers, plus headers naming
 * where it came from, the event time that was too late, and the processor that dropped it. The producer picks the
 * partition from the key.
 */
export function lateRecord(lateRecordsTopic: string, record: RawRecord, eventTimeMs: number, processor: string): OutgoingRecord {
  const headers = record.headers
    .add(LATE_RECORD_HEADERS.topic, record.topic)
    .add(LATE_RECORD_HEADERS.partition, String(record.partition))
    .add(LATE_RECORD_HEADERS.offset, String(record.offset))
    .add(LATE_RECORD_HEADERS.timestamp, String(eventTimeMs))
    .add(LATE_RECORD_HEADERS.processor, processor);
  return { topic: lateRecordsTopic, key: record.key, value: record.value, headers, timestamp: record.timestamp };
}
