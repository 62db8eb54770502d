import type { Processor, ProcessorContext, ProcessorSupplier } from '../../core/processor.js';
import type { Record } from '../../core/record.js';
import type { WindowStore } from '../../state/window-store.js';

/**
 * One side of a stream-stream join (Kafka Streams' `KStreamJoinWindow`): forwards each record to the side's join
 * processor first, then puts it into the side's window store, so a record never joins itself. A record without a
 * key could never join, so it is not stored, nor is a record without a value (the store ignores it).
 *
 * A record older than the store's retention (stream time − size − grace) is joined but not kept, and counted as
 * a late record where Kafka Streams counts it in `dropped-records`: for in-memory stores, every such record
 * (`InMemoryWindowStore.put`); for persistent ones, only a record whose whole RocksDB segment expired
 * (`AbstractRocksDBSegmentedBytesStore.put`, segments of `max(retention / 2, 60 s)`), so the counts match.
 */
export function joinWindowSupplier(storeName: string, persistent: boolean): ProcessorSupplier<unknown, unknown, unknown, unknown> {
  return () => new JoinWindowProcessor(storeName, persistent);
}

/** Kafka Streams' default segment interval of persistent window stores: `max(retention / 2, 60 s)`. */
function segmentIntervalMs(retentionMs: number): number {
  return Math.max(Math.trunc(retentionMs / 2), 60_000);
}

class JoinWindowProcessor implements Processor<unknown, unknown, unknown, unknown> {
  private context!: ProcessorContext<unknown, unknown>;
  private store!: WindowStore<unknown, unknown>;
  /** The latest timestamp this side stored: the store's stream time, as it is the only writer. */
  private observedStreamTime = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly storeName: string,
    private readonly persistent: boolean,
  ) {}

  init(context: ProcessorContext<unknown, unknown>): void {
    this.context = context;
    this.store = context.getStateStore(this.storeName);
  }

  process(record: Record<unknown, unknown>): void {
    this.context.forward(record);
    if (record.key === null || record.key === undefined) return;
    // A store keeping duplicates ignores null values; the join processor counted the record as dropped already.
    if (record.value === null || record.value === undefined) return;
    if (record.timestamp > this.observedStreamTime) this.observedStreamTime = record.timestamp;
    if (this.countsAsDropped(record.timestamp)) this.context.recordDropped?.('lateRecord');
    this.store.put(record.key, record.value, record.timestamp);
  }

  private countsAsDropped(timestamp: number): boolean {
    const minLive = this.observedStreamTime - this.store.retentionMs;
    if (!this.persistent) return timestamp <= minLive;
    const interval = segmentIntervalMs(this.store.retentionMs);
    return Math.trunc(timestamp / interval) < Math.trunc(minLive / interval);
  }
}
