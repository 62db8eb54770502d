import type { ProcessorContext } from '../../core/processor.js';
import { Record } from '../../core/record.js';
import type { TimestampedKeyValueStore } from '../../state/timestamped-key-value-store.js';
import type { Change } from '../../core/change.js';

/**
 * Kafka Streams' `TimestampedTupleForwarder`: how a materialized KTable node emits its changes. With caching on,
 * the store's cache emits on flush (one change per key per commit, with the value the store held before as old
 * value) and `maybeForward` stays quiet; without caching, every update is forwarded at once. Old values are
 * blanked unless a downstream node asked for them.
 */
export class TableChangeForwarder<K, V> {
  /** Whether the store's cache emits the changes; callers may then skip building the records `maybeForward` takes. */
  readonly cachingEnabled: boolean;

  constructor(
    private readonly context: ProcessorContext<K, Change<V>>,
    private readonly sendOldValues: boolean,
    store: TimestampedKeyValueStore<K, V> | undefined,
  ) {
    this.cachingEnabled =
      store?.setFlushListener((key, newValue, oldValue, timestampMs) => {
        const change = { newValue: newValue?.value ?? null, oldValue: sendOldValues ? (oldValue?.value ?? null) : null };
        context.forward(new Record(key, change, newValue?.timestamp ?? timestampMs));
      }) ?? false;
  }

  maybeForward(record: Record<K, Change<V>>): void {
    if (this.cachingEnabled) return;
    this.context.forward(this.sendOldValues ? record : record.withValue({ newValue: record.value.newValue, oldValue: null }));
  }
}

/** The store a KTable processor was bound to, or `undefined` when the node is not materialized. */
export function openTableStore<K, V>(context: ProcessorContext<unknown, unknown>, storeName: string | undefined): TimestampedKeyValueStore<K, V> | undefined {
  return storeName === undefined ? undefined : context.getStateStore<TimestampedKeyValueStore<K, V>>(storeName);
}
