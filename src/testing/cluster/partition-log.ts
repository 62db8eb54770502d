import type { Headers } from '../../core/headers.js';
import type { RawRecord } from '../../processing/raw-record.js';

/** Where one transaction stands; every record it wrote shares this object, so ending it settles them all. */
export interface TransactionOutcome {
  state: 'open' | 'committed' | 'aborted';
}

/** A record as a producer hands it to a partition. */
export interface AppendedRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Headers;
  readonly timestamp: number;
}

interface DataEntry extends AppendedRecord {
  readonly kind: 'data';
  readonly offset: number;
  /** Null for records of no transaction. */
  readonly transaction: TransactionOutcome | null;
  /** Cluster time of the append: tombstones are compacted away `delete.retention.ms` after it. */
  readonly appendedAt: number;
}

/** A transaction's COMMIT or ABORT marker: it takes an offset, as in Kafka, and no reader ever sees it. */
interface MarkerEntry {
  readonly kind: 'marker';
  readonly offset: number;
  readonly commit: boolean;
}

type LogEntry = DataEntry | MarkerEntry;

export type Isolation = 'read_committed' | 'read_uncommitted';

/** What one read returned: the records, and the offset the reader continues from. */
export interface LogRead {
  readonly records: RawRecord[];
  readonly next: number;
}

/**
 * One partition's log: offsets from the log start to the high watermark (the next offset), control markers
 * occupying offsets, and the last stable offset, below which no transaction is open. read_committed readers stop at
 * the last stable offset and skip aborted records; every reader skips markers and the gaps compaction leaves.
 */
export class PartitionLog {
  private entries: LogEntry[] = [];
  private startOffset = 0;
  private nextOffset = 0;
  /** The first offset of each transaction open in this partition, by producer id. */
  private readonly open = new Map<number, { firstOffset: number; outcome: TransactionOutcome }>();

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  logStartOffset(): number {
    return this.startOffset;
  }

  highWatermark(): number {
    return this.nextOffset;
  }

  /** The first offset of the earliest open transaction, or the high watermark when none is open. */
  lastStableOffset(): number {
    let stable = this.nextOffset;
    for (const { firstOffset } of this.open.values()) stable = Math.min(stable, firstOffset);
    return stable;
  }

  /** The end a reader of `isolation` reaches. */
  end(isolation: Isolation): number {
    return isolation === 'read_committed' ? this.lastStableOffset() : this.highWatermark();
  }

  /** Appends records, inside the producer's transaction when `transaction` is given; returns the last offset. */
  append(records: readonly AppendedRecord[], now: number, transaction?: { producerId: number; outcome: TransactionOutcome }): number {
    if (transaction !== undefined && !this.open.has(transaction.producerId)) {
      this.open.set(transaction.producerId, { firstOffset: this.nextOffset, outcome: transaction.outcome });
    }
    for (const record of records) {
      const { key, value, headers, timestamp } = record;
      this.entries.push({ kind: 'data', offset: this.nextOffset++, key, value, headers, timestamp, transaction: transaction?.outcome ?? null, appendedAt: now });
    }
    return this.nextOffset - 1;
  }

  /** Ends the producer's transaction in this partition with its marker (the outcome object is settled by the caller). */
  writeMarker(producerId: number, commit: boolean): void {
    if (!this.open.delete(producerId)) return;
    this.entries.push({ kind: 'marker', offset: this.nextOffset++, commit });
  }

  /**
   * ListOffsets by timestamp: the offset of the first record in offset order whose timestamp is at or after
   * `timestampMs` (aborted records count, as in Kafka's time index; markers do not), below the end a reader of
   * `isolation` reaches; `undefined` when there is none.
   */
  offsetForTimestamp(timestampMs: number, isolation: Isolation): number | undefined {
    const end = this.end(isolation);
    return this.entries.find((entry) => entry.offset < end && entry.kind === 'data' && entry.timestamp >= timestampMs)?.offset;
  }

  /** Up to `max` records from offset `from` on, as a consumer of `isolation` sees them. */
  read(from: number, isolation: Isolation, max: number): LogRead {
    const end = this.end(isolation);
    const records: RawRecord[] = [];
    let index = this.indexAtOrAfter(from);
    let next = Math.max(from, this.startOffset);
    for (; index < this.entries.length && records.length < max; index++) {
      const entry = this.entries[index]!;
      if (entry.offset >= end) break;
      next = entry.offset + 1;
      if (entry.kind === 'marker') continue;
      if (isolation === 'read_committed' && entry.transaction?.state === 'aborted') continue;
      const { topic, partition } = this;
      records.push({ topic, partition, offset: entry.offset, timestamp: entry.timestamp, key: entry.key, value: entry.value, headers: entry.headers });
    }
    // Everything up to the end was scanned: gaps left by compaction do not hold the reader back.
    if (records.length < max && next < end) next = end;
    return { records, next };
  }

  /**
   * Compacts the part below the last stable offset, as Kafka's log cleaner does (it never cleans past the first
   * unstable offset): aborted records go, a keyed record goes when a later record below that point has its key,
   * and a tombstone left as the latest of its key goes once `deleteRetentionMs` have passed since its append.
   * Offsets never change; markers stay (they take offsets, but no reader sees them).
   */
  compact(now: number, deleteRetentionMs: number): void {
    const limit = this.lastStableOffset();
    const latest = new Map<string, number>();
    for (const entry of this.entries) {
      if (entry.offset >= limit) break;
      if (entry.kind === 'data' && entry.key !== null && entry.transaction?.state !== 'aborted') latest.set(entry.key.toString('base64'), entry.offset);
    }
    this.entries = this.entries.filter((entry) => {
      if (entry.offset >= limit || entry.kind === 'marker') return true;
      if (entry.transaction?.state === 'aborted' || entry.key === null) return false;
      if (latest.get(entry.key.toString('base64')) !== entry.offset) return false;
      return entry.value !== null || entry.appendedAt + deleteRetentionMs > now;
    });
  }

  /** Moves the log start to `offset` (retention, or deleting records), dropping what lies below it. */
  truncateBefore(offset: number): void {
    this.startOffset = Math.min(Math.max(this.startOffset, offset), this.nextOffset);
    this.entries = this.entries.filter((entry) => entry.offset >= this.startOffset);
  }

  /** Index of the first entry at or after `offset` (binary search: entries are in offset order). */
  private indexAtOrAfter(offset: number): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.entries[mid]!.offset < offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
