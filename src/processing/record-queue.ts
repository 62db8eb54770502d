import type { RawRecord, TopicPartition } from './raw-record.js';
import type { CurrentRecordContext } from './task-environment.js';

/**
 * A deserialized input record with the event time its source's timestamp extractor chose. It is also the record
 * context while the record is processed (the input's coordinates and headers, the chosen timestamp), so that no
 * second object is made per record for that.
 */
export interface StampedRecord extends CurrentRecordContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly raw: RawRecord;
  readonly key: unknown;
  readonly value: unknown;
  readonly timestamp: number;
}

/** The stamped record of `raw`, its coordinates and headers copied up so that it serves as the record context. */
export function stampedRecord(raw: RawRecord, key: unknown, value: unknown, timestamp: number): StampedRecord {
  return { raw, key, value, timestamp, topic: raw.topic, partition: raw.partition, offset: raw.offset, headers: raw.headers };
}

/**
 * Deserializes a raw record and extracts its timestamp; returns `null` to skip it (the decoder has already
 * counted and logged why) and throws when the record must stop the task.
 */
export type RecordDecoder = (raw: RawRecord, partitionTimeMs: number) => StampedRecord | null;

/**
 * The buffered records of one input partition. Like Kafka Streams' `RecordQueue`, only the head is decoded, so
 * a bad record is handled when it is about to be processed and partition time is known for the extractor.
 */
export class RecordQueue {
  private pending: RawRecord[] = [];
  private pendingStart = 0;
  private head: StampedRecord | null = null;
  private partitionTimeMs = -1;
  private highestSkippedOffset = -1;
  private decodeFailed = false;

  constructor(
    readonly partition: TopicPartition,
    private readonly decode: RecordDecoder,
  ) {}

  /** Appends records in offset order; returns the new buffered count. */
  add(records: readonly RawRecord[]): number {
    // One push per record: spreading a large batch into `push` arguments would overflow the stack.
    for (const record of records) this.pending.push(record);
    this.updateHead();
    return this.size();
  }

  poll(): StampedRecord | null {
    this.retryFailedDecode();
    const record = this.head;
    if (record === null) return null;
    this.head = null;
    this.partitionTimeMs = Math.max(this.partitionTimeMs, record.timestamp);
    try {
      this.updateHead();
    } catch {
      // The record taken is still processed; the one that failed stays first in line and fails the next call.
      this.decodeFailed = true;
    }
    return record;
  }

  /** Event time of the next record to process, `undefined` when empty. */
  headTimestamp(): number | undefined {
    this.retryFailedDecode();
    return this.head?.timestamp;
  }

  size(): number {
    return this.pending.length - this.pendingStart + (this.head === null ? 0 : 1);
  }

  /** The largest timestamp processed from this partition; -1 before the first. */
  partitionTime(): number {
    return this.partitionTimeMs;
  }

  /**
   * Sets the partition time carried over from the last commit (restart or migration), before any record is added,
   * so that records late before the move are late after it too.
   */
  initializePartitionTime(partitionTimeMs: number): void {
    this.partitionTimeMs = partitionTimeMs;
  }

  /** Offset of the last record skipped while decoding, so the task can commit past it; -1 if none. */
  lastSkippedOffset(): number {
    return this.highestSkippedOffset;
  }

  /** Decoding is deterministic: decoding the failed record again throws its error where it is needed. */
  private retryFailedDecode(): void {
    if (!this.decodeFailed) return;
    this.updateHead();
    this.decodeFailed = false;
  }

  /** Decodes the next record; one that throws is not consumed, so it fails again until the task stops. */
  private updateHead(): void {
    while (this.head === null && this.pendingStart < this.pending.length) {
      const raw = this.pending[this.pendingStart]!;
      this.head = this.decode(raw, this.partitionTimeMs);
      this.pendingStart++;
      if (this.head === null) this.highestSkippedOffset = Math.max(this.highestSkippedOffset, raw.offset);
    }
    if (this.pendingStart === this.pending.length) {
      this.pending.length = 0;
      this.pendingStart = 0;
    } else if (this.pendingStart > 1024 && this.pendingStart * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.pendingStart);
      this.pendingStart = 0;
    }
  }
}
