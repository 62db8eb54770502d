import type { Change } from '../core/change.js';
import type { Processor, ProcessorContext, ProcessorStateStore } from '../core/processor.js';
import type { Record } from '../core/record.js';
import type { Windowed } from '../core/windowed.js';
import type { EmitWatermark } from './emit-watermark-store.js';
import type { WindowedAggregateSettings } from './windowed-aggregate-settings.js';
import { ObservedStreamTime } from './windowed-input.js';
import { openEmitWatermark, WindowedResultForwarder } from './windowed-result-forwarder.js';

/** What a processor's cache subscription forwards each window written down with. */
export type CacheForward<K, VA> = (key: Windowed<K>, newValue: VA | null, oldValue: VA | null, timestamp: number) => void;

/** How far a windowed aggregation has got in one task: its stream time and, under `onWindowClose`, what it emitted. */
interface WindowProgress {
  readonly streamTime: ObservedStreamTime;
  readonly watermark: EmitWatermark | null;
}

/**
 * The shell of the time, sliding and session window aggregation processors: each holds its own stream time (or
 * the one it shares with the other inputs of a cogroup, see `SharedWindowProgress`), the store `S` holding its
 * aggregates and the output side, all set up the same way on `init`; a kind writes `process`.
 */
export abstract class WindowedAggregateProcessor<K, V, VA, S extends ProcessorStateStore>
  implements Processor<K, V, Windowed<K>, Change<VA>>
{
  protected context!: ProcessorContext<Windowed<K>, Change<VA>>;
  protected streamTime!: ObservedStreamTime;
  protected store!: S;
  protected output!: WindowedResultForwarder<K, VA>;

  constructor(protected readonly settings: WindowedAggregateSettings) {}

  init(context: ProcessorContext<Windowed<K>, Change<VA>>): void {
    this.context = context;
    this.store = context.getStateStore<S>(this.settings.storeName);
    const create = (): WindowProgress => ({ streamTime: new ObservedStreamTime(), watermark: openEmitWatermark(context, this.settings) });
    const progress = this.settings.sharedProgress?.forStore(this.store, create) ?? create();
    this.streamTime = progress.streamTime;
    this.streamTime.init(context);
    this.output = new WindowedResultForwarder(context, this.settings, progress.watermark);
    this.output.emitThroughCache((forward) => this.subscribeToCache(forward));
  }

  /**
   * Sets the store's flush listener to `forward` each window written down (its key, the new and old aggregates and
   * the timestamp its record carries); returns whether the store has a cache.
   */
  protected abstract subscribeToCache(forward: CacheForward<K, VA>): boolean;

  abstract process(record: Record<K, V>): void;
}
