import { TopologyError } from '../../core/errors.js';
import type { Processor, ProcessorContext, ProcessorSupplier } from '../../core/processor.js';
import type { Record } from '../../core/record.js';
import type { TimeOrderedBuffer } from '../../state/time-ordered-buffer-store.js';
import type { TableValueGetter, TableValueGetterSupplier } from '../graph/table-value-getter.js';

/** `(streamValue, tableValue, key)`: the table value is `null` in a left join without a match. */
export type StreamTableJoiner<K, V, VT, VR> = (streamValue: V, tableValue: VT | null, key: K) => VR;

/** What a stream-table (or stream–GlobalKTable) join processor needs. */
export interface StreamTableJoinSettings<K, V, KT, VT, VR> {
  /** The processor's name, for errors. */
  readonly name: string;
  /** Maps a stream record to the table key it joins with (the key itself for a KTable, the user's selector for a GlobalKTable). */
  readonly keyMapper: (key: K, value: V) => KT | null | undefined;
  readonly getter: TableValueGetterSupplier<KT, VT>;
  readonly joiner: StreamTableJoiner<K, V, VT, VR>;
  readonly leftJoin: boolean;
  /** KIP-923: hold stream records this long in the named buffer store, then join them as of their own time. */
  readonly grace?: { readonly gracePeriodMs: number; readonly bufferStoreName: string };
}

/**
 * Kafka Streams' `KStreamKTableJoinProcessor` (4.1): joins each stream record with the table's value for its mapped
 * key and forwards `joiner(value, tableValue, key)` with the stream record's timestamp and headers. Table updates
 * never reach it (it only looks the table up), so they never emit.
 *
 * - A record without a value, or whose mapped key is null, is dropped and counted — except that a left join joins a
 *   null mapped key with `null` (KIP-962).
 * - A versioned table is looked up as of the stream record's timestamp; any other table gives its current value.
 * - With a grace period the table must be versioned. Records are buffered and joined in timestamp order once the
 *   buffer's stream time passes their timestamp plus the grace; one older than that is joined at once. Records
 *   whose mapped key is null (left join) are joined at once too: Kafka's buffer cannot hold them.
 */
export function streamTableJoinSupplier<K, V, KT, VT, VR>(settings: StreamTableJoinSettings<K, V, KT, VT, VR>): ProcessorSupplier<K, V, K, VR> {
  const { keyMapper, joiner, leftJoin, grace } = settings;
  return () => {
    let context: ProcessorContext<K, VR> | undefined;
    let getter: TableValueGetter<KT, VT> | undefined;
    let buffer: TimeOrderedBuffer<K, V> | undefined;

    const join = (record: Record<K, V>): void => {
      const mappedKey = keyMapper(record.key, record.value);
      const found = mappedKey === null || mappedKey === undefined ? null : lookup(getter!, mappedKey, record.timestamp);
      const tableValue = found === null ? null : found.value;
      if (leftJoin || tableValue !== null) context!.forward(record.withValue(joiner(record.value, tableValue, record.key)));
    };

    return {
      init: (processorContext) => {
        context = processorContext;
        getter = settings.getter.get();
        getter.init(processorContext as ProcessorContext<unknown, unknown>);
        if (grace === undefined) return;
        if (!getter.isVersioned()) {
          throw new TopologyError('KTable must be versioned to use a grace period in a stream table join.', {
            coordinates: { processor: settings.name },
          });
        }
        buffer = processorContext.getStateStore<TimeOrderedBuffer<K, V>>(grace.bufferStoreName);
      },
      process: (record) => {
        // A record without a value is dropped before the key mapper sees it, so a GlobalKTable key selector need
        // not handle null values (Kafka Streams calls it first, and drops the record all the same). Without a key
        // either, it counts as a null key, as the stream-table join (whose mapped key is the key) always counted it.
        if (record.value === null || record.value === undefined) {
          context!.recordDropped?.(record.key === null || record.key === undefined ? 'nullKey' : 'nullValue');
          return;
        }
        const mappedKey = keyMapper(record.key, record.value);
        const keyless = mappedKey === null || mappedKey === undefined;
        if (keyless && !leftJoin) {
          context!.recordDropped?.('nullKey');
          return;
        }
        if (buffer === undefined || keyless || !buffer.put(record)) {
          join(record);
          return;
        }
        buffer.evictExpired(join);
      },
    } satisfies Processor<K, V, K, VR>;
  };
}

function lookup<KT, VT>(getter: TableValueGetter<KT, VT>, key: KT, timestamp: number): { value: VT } | null {
  return getter.isVersioned() ? getter.get(key, timestamp) : getter.get(key);
}
