import { ProcessingError } from '../../core/errors.js';
import type { Processor, ProcessorContext, ProcessorSupplier } from '../../core/processor.js';
import type { Record } from '../../core/record.js';
import type { KeyValue } from '../../state/key-value.js';
import type { TimestampedKeyValueStore } from '../../state/timestamped-key-value-store.js';
import type { SupplierBinding, SupplierFactory } from '../graph/graph-node.js';
import { withLatestFlagOf, type Change } from '../../core/change.js';
import type { KeyValueMapper, Predicate, ValueMapper } from './dsl-functions.js';
import { processorCoordinates } from './processor-coordinates.js';
import { openTableStore, TableChangeForwarder } from './table-change-forwarder.js';

type AnyContext = ProcessorContext<unknown, unknown>;

/**
 * A KTable processor that may keep a store: `onRecord` runs per record with the store (when the node is
 * materialized) and the change forwarder the binding calls for.
 */
function tableSupplier<K, VIn, VOut>(
  binding: SupplierBinding,
  onRecord: (record: Record<K, VIn>, tools: TableTools<K, VOut>) => void,
): ProcessorSupplier<K, VIn, K, Change<VOut>> {
  return () => {
    let tools: TableTools<K, VOut> | undefined;
    return {
      init: (context) => {
        const store = openTableStore<K, VOut>(context as AnyContext, binding.storeName);
        tools = { context, store, forwarder: new TableChangeForwarder(context, binding.sendOldValues, store), sendOldValues: binding.sendOldValues };
      },
      process: (record) => onRecord(record, tools!),
    } satisfies Processor<K, VIn, K, Change<VOut>>;
  };
}

interface TableTools<K, V> {
  readonly context: ProcessorContext<K, Change<V>>;
  readonly store: TimestampedKeyValueStore<K, V> | undefined;
  readonly forwarder: TableChangeForwarder<K, V>;
  readonly sendOldValues: boolean;
}

/**
 * `KTableSource` (`builder.table`, `KStream.toTable`): keeps the latest value per key when materialized and emits
 * each update as a change. Records without a key cannot update a table and are dropped.
 */
export function tableSourceSupplier<K, V>(): SupplierFactory {
  return (binding) =>
    tableSupplier<K, V, V>(binding, (record, { context, store, forwarder }) => {
      if (record.key === null || record.key === undefined) {
        context.recordDropped?.('nullKey');
        return;
      }
      if (store === undefined) {
        context.forward(record.withValue({ newValue: record.value, oldValue: null }));
        return;
      }
      const oldValue = store.get(record.key)?.value ?? null;
      store.put(record.key, record.value === null ? null : { value: record.value, timestamp: record.timestamp });
      forwarder.maybeForward(record.withValue({ newValue: record.value, oldValue }));
    });
}

/**
 * `KTableFilter`: a filtered-out value becomes a deletion; with old values at hand, deleting nothing is skipped,
 * except over a versioned table (`versionedSemantics`, KIP-914), where every change is forwarded.
 */
export function tableFilterSupplier<K, V>(predicate: Predicate<K, V>, filterNot: boolean, versionedSemantics = false): SupplierFactory {
  const keep = (key: K, value: V | null): V | null => (value !== null && predicate(key, value) !== filterNot ? value : null);
  return (binding) =>
    tableSupplier<K, Change<V>, V>(binding, (record, { context, sendOldValues }) => {
      const newValue = keep(record.key, record.value.newValue);
      const oldValue = sendOldValues ? keep(record.key, record.value.oldValue) : null;
      if (!versionedSemantics && sendOldValues && newValue === null && oldValue === null) return;
      context.forward(record.withValue(withLatestFlagOf({ newValue, oldValue }, record.value)));
    });
}

/** `KTableMapValues`: maps new and (when asked for) old values; deletions stay deletions. */
export function tableMapValuesSupplier<K, V, VR>(mapper: ValueMapper<K, V, VR>): SupplierFactory {
  const map = (key: K, value: V | null): VR | null => (value === null ? null : mapper(value, key));
  return (binding) =>
    tableSupplier<K, Change<V>, VR>(binding, (record, { context, sendOldValues }) => {
      const oldValue = sendOldValues ? map(record.key, record.value.oldValue) : null;
      context.forward(record.withValue(withLatestFlagOf({ newValue: map(record.key, record.value.newValue), oldValue }, record.value)));
    });
}

/**
 * `KTableRepartitionMap` (`KTable.groupBy`): maps a change to the grouping key. When old and new map to the same
 * key, one record carries both, so the aggregation subtracts and adds in one step (Kafka Streams 3.4+); otherwise
 * the old pair's retraction goes first, then the new pair. Pairs with a null key or value are not sent. Over a
 * versioned table (`versionedSemantics`, KIP-914) an out-of-order change (`isLatest: false`) is skipped: the
 * aggregate keeps the latest-by-timestamp values only.
 */
export function tableGroupBySupplier<K, V, KR, VR>(selector: KeyValueMapper<K, V, KeyValue<KR, VR> | null>, versionedSemantics = false): SupplierFactory {
  const select = (key: K, value: V | null): KeyValue<KR, VR> | null => {
    if (value === null) return null;
    const pair = selector(key, value);
    return pair === null || pair.key === null || pair.key === undefined || pair.value === null || pair.value === undefined ? null : pair;
  };
  return (binding): ProcessorSupplier<K, Change<V>, KR, Change<VR>> => () => {
    let context: ProcessorContext<KR, Change<VR>> | undefined;
    return {
      init: (processorContext) => {
        context = processorContext;
      },
      process: (record) => {
        if (record.key === null || record.key === undefined) {
          throw new ProcessingError('Record key for the grouping KTable should not be null', {
            coordinates: processorCoordinates(context!, binding.name),
          });
        }
        if (versionedSemantics && record.value.isLatest === false) return;
        const newPair = select(record.key, record.value.newValue);
        const oldPair = select(record.key, record.value.oldValue);
        if (oldPair !== null && newPair !== null && sameKey(oldPair.key, newPair.key)) {
          context!.forward(record.withKey(newPair.key).withValue({ newValue: newPair.value, oldValue: oldPair.value }));
          return;
        }
        if (oldPair !== null) context!.forward(record.withKey(oldPair.key).withValue({ newValue: null, oldValue: oldPair.value }));
        if (newPair !== null) context!.forward(record.withKey(newPair.key).withValue({ newValue: newPair.value, oldValue: null }));
      },
    };
  };
}

/** Java's `equals` for the key types grouping keys have: primitives by value, buffers by content. */
function sameKey(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b);
}
