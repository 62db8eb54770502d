import type { Change } from '../../../core/change.js';
import { ProcessingError, TopologyError, type ErrorCoordinates } from '../../../core/errors.js';
import type { Processor, ProcessorContext, ProcessorStateStore, ProcessorSupplier } from '../../../core/processor.js';
import { Record } from '../../../core/record.js';
import type { Windowed } from '../../../core/windowed.js';
import type { BufferConfig, Suppressed } from './suppressed.js';
import { SuppressionBuffer, type Eviction } from '../../../state/suppression/suppression-buffer.js';
import { SuppressionBufferFullError } from './suppression-buffer-full-error.js';

export interface SuppressSettings {
  readonly processorName: string;
  /** The buffer's store (`suppressionBufferStoreBuilder`), connected to this processor. */
  readonly storeName: string;
  readonly suppressed: Suppressed;
  /** untilWindowCloses only: the upstream windowed aggregation's grace; keys are then Windowed<…>. */
  readonly graceMs: number | undefined;
}

/**
 * Kafka Streams' `KTableSuppressProcessor`. Each update goes into the buffer; then every entry whose buffer time
 * is at most `streamTime - wait` is forwarded, oldest first, where stream time is the largest record timestamp
 * this processor has seen (Kafka's `observedStreamTime`, which starts afresh when the task restarts) and
 * `wait` is the grace period (final results; buffer time = window end) or the time limit (buffer time = the
 * first buffered update's timestamp). A forwarded record carries the key's latest update — its timestamp and
 * headers — as `Change(latest new value, value before the first buffered update)`: the old value is the one
 * downstream last saw for the key. (Kafka Streams forwards the latest update's own old value, which downstream
 * never saw when several updates were merged, and which a table aggregation downstream would subtract.)
 * Final results drop tombstones, as Kafka Streams does: the window was never emitted before, so there is nothing
 * to delete downstream. A strict buffer over its bounds takes the update back before failing the task, so that a
 * processing handler answering `continue` skips that record instead of leaving the buffer over its bounds.
 */
export function suppressSupplier<K, V>(settings: SuppressSettings): ProcessorSupplier<K, Change<V>, K, Change<V>> {
  const waitMs = waitOf(settings);
  return () => new SuppressProcessor<K, V>(settings, waitMs);
}

function waitOf({ suppressed, graceMs, processorName }: SuppressSettings): number {
  const coordinates = { processor: processorName };
  if (!suppressed.untilWindowCloses) {
    if (graceMs !== undefined) throw new TopologyError('a grace period applies only to Suppressed.untilWindowCloses', { coordinates });
    return suppressed.timeToWaitMs!;
  }
  if (graceMs === undefined || !Number.isSafeInteger(graceMs) || graceMs < 0) {
    throw new TopologyError(`Suppressed.untilWindowCloses needs the windowed aggregation's grace period, got ${String(graceMs)}`, {
      coordinates,
    });
  }
  return graceMs;
}

class SuppressProcessor<K, V> implements Processor<K, Change<V>, K, Change<V>> {
  private readonly config: BufferConfig;
  private context: ProcessorContext<K, Change<V>> | null = null;
  private buffer: SuppressionBuffer<K, V> | null = null;
  private observedStreamTime = -1;

  constructor(
    private readonly settings: SuppressSettings,
    private readonly waitMs: number,
  ) {
    this.config = settings.suppressed.bufferConfig;
  }

  init(context: ProcessorContext<K, Change<V>>): void {
    const store = context.getStateStore<ProcessorStateStore>(this.settings.storeName);
    if (!(store instanceof SuppressionBuffer)) {
      throw new TopologyError('the suppress processor needs a suppression buffer store', {
        coordinates: { processor: this.settings.processorName, store: this.settings.storeName, taskId: context.taskId },
      });
    }
    this.context = context;
    this.buffer = store as SuppressionBuffer<K, V>;
  }

  process(record: Record<K, Change<V>>): void {
    const buffer = this.buffer!;
    this.observedStreamTime = Math.max(this.observedStreamTime, record.timestamp);
    const write = buffer.put(this.bufferTimeOf(record), record);
    const expiryTime = this.observedStreamTime - this.waitMs;
    buffer.evictWhile(() => buffer.minTimestamp <= expiryTime, this.emit);
    if (!this.overCapacity()) return;
    if (this.config.bufferFullStrategy === 'emitEarly') {
      buffer.evictWhile(() => this.overCapacity(), this.emit);
      return;
    }
    const usage = { records: buffer.numRecords, maxRecords: this.config.maxRecords, bytes: buffer.bufferSize, maxBytes: this.config.maxBytes };
    buffer.undo(write);
    throw new SuppressionBufferFullError(usage, this.coordinates());
  }

  private readonly emit = (eviction: Eviction<K, V>): void => {
    if (eviction.change.newValue === null && this.settings.suppressed.untilWindowCloses) return;
    this.context!.forward(new Record(eviction.key, eviction.change, eviction.timestamp, eviction.headers));
  };

  private overCapacity(): boolean {
    return this.buffer!.numRecords > this.config.maxRecords || this.buffer!.bufferSize > this.config.maxBytes;
  }

  private bufferTimeOf(record: Record<K, Change<V>>): number {
    if (!this.settings.suppressed.untilWindowCloses) return record.timestamp;
    const end = (record.key as Partial<Windowed<unknown>> | null)?.window?.end;
    if (typeof end !== 'number') {
      throw new ProcessingError('Suppressed.untilWindowCloses needs windowed keys (a windowed aggregation upstream)', {
        coordinates: this.coordinates(),
      });
    }
    return end;
  }

  private coordinates(): ErrorCoordinates {
    const metadata = this.context!.recordMetadata();
    return {
      ...(metadata === null ? {} : { topic: metadata.topic, partition: metadata.partition, offset: metadata.offset }),
      taskId: this.context!.taskId,
      processor: this.settings.processorName,
      store: this.settings.storeName,
    };
  }
}
