import type { Change } from '../core/change.js';
import type { Processor, ProcessorContext, ProcessorStateStore } from '../core/processor.js';
import type { Record } from '../core/record.js';
import type { Windowed } from '../core/windowed.js';
import type { WindowedAggregateSettings } from './windowed-aggregate-settings.js';
import { ObservedStreamTime } from './windowed-input.js';
import { WindowedResultForwarder } from './windowed-result-forwarder.js';

/**
 * The shell of the time, sliding and session window aggregation processors: each holds its own stream time, the
 * store `S` holding its aggregates and the output side, all set up the same way on `init`; a kind writes `process`.
 */
export abstract class WindowedAggregateProcessor<K, V, VA, S extends ProcessorStateStore>
  implements Processor<K, V, Windowed<K>, Change<VA>>
{
  protected context!: ProcessorContext<Windowed<K>, Change<VA>>;
  protected readonly streamTime = new ObservedStreamTime();
  protected store!: S;
  protected output!: WindowedResultForwarder<K, VA>;

  constructor(protected readonly settings: WindowedAggregateSettings) {}

  init(context: ProcessorContext<Windowed<K>, Change<VA>>): void {
    this.context = context;
    this.streamTime.init(context);
    this.store = context.getStateStore<S>(this.settings.storeName);
    this.output = new WindowedResultForwarder(context, this.settings);
  }

  abstract process(record: Record<K, V>): void;
}
