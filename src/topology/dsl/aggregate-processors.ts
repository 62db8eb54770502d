import { ProcessingError } from '../../core/errors.js';
import type { ProcessorContext, ProcessorSupplier } from '../../core/processor.js';
import { Record } from '../../core/record.js';
import type { TimestampedKeyValueStore } from '../../state/timestamped-key-value-store.js';
import type { ValueAndTimestamp } from '../../state/value-and-timestamp.js';
import type { SupplierBinding, SupplierFactory } from '../graph/graph-node.js';
import type { Change } from '../../core/change.js';
import type { Aggregator, Initializer, Reducer } from './dsl-functions.js';
import { processorCoordinates } from './processor-coordinates.js';
import { TableChangeForwarder } from './table-change-forwarder.js';

/** What an aggregation computed for one record: the new aggregate (`null` deletes it) and its timestamp. */
interface Update<VA> {
  readonly aggregate: VA | null;
  readonly timestamp: number;
  /**
   * The old value forwarded with the update when it is not the stored one: Kafka Streams' `KStreamAggregate` sends
   * the initializer's value as a new key's old value.
   */
  readonly oldValue?: VA;
}

/** The parts of its context that decide whether an aggregation takes a record. */
type AcceptContext = Pick<ProcessorContext, 'taskId' | 'recordMetadata' | 'recordDropped'>;

/**
 * The shared shell of every DSL aggregation: skips the records `accepts` refuses, reads the key's current
 * aggregate from its timestamped store, lets `step` compute the update, writes it and emits the change.
 */
function aggregateSupplier<K, VIn, VA>(
  binding: SupplierBinding,
  accepts: (record: Record<K, VIn>, context: AcceptContext) => boolean,
  step: (record: Record<K, VIn>, current: ValueAndTimestamp<VA> | null) => Update<VA>,
): ProcessorSupplier<K, VIn, K, Change<VA>> {
  return () => {
    let context: ProcessorContext<K, Change<VA>> | undefined;
    let store: TimestampedKeyValueStore<K, VA> | undefined;
    let forwarder: TableChangeForwarder<K, VA> | undefined;
    return {
      init: (processorContext: ProcessorContext<K, Change<VA>>) => {
        context = processorContext;
        store = processorContext.getStateStore<TimestampedKeyValueStore<K, VA>>(binding.storeName!);
        forwarder = new TableChangeForwarder(processorContext, binding.sendOldValues, store);
      },
      process: (record) => {
        if (!accepts(record, context!)) return;
        const current = store!.get(record.key);
        const update = step(record, current);
        store!.put(record.key, update.aggregate === null ? null : { value: update.aggregate, timestamp: update.timestamp });
        if (forwarder!.cachingEnabled) return;
        const change = { newValue: update.aggregate, oldValue: update.oldValue ?? current?.value ?? null };
        forwarder!.maybeForward(new Record(record.key, change, update.timestamp, record.headers));
      },
    };
  };
}

/** A stream record without key or value cannot be aggregated; Kafka Streams drops it, counted and logged. */
function hasKeyAndValue(record: Record<unknown, unknown>, context: AcceptContext): boolean {
  if (record.key === null || record.key === undefined) context.recordDropped?.('nullKey');
  else if (record.value === null || record.value === undefined) context.recordDropped?.('nullValue');
  else return true;
  return false;
}

/** The aggregate's timestamp is the latest of the records folded into it. */
function latest(record: Record<unknown, unknown>, current: ValueAndTimestamp<unknown> | null): number {
  return current === null ? record.timestamp : Math.max(record.timestamp, current.timestamp);
}

/** `KStreamAggregate` (also `count`): starts from `initializer()` for a new key. */
export function streamAggregateSupplier<K, V, VA>(initializer: Initializer<VA>, aggregator: Aggregator<K, V, VA>): SupplierFactory {
  return (binding) =>
    aggregateSupplier<K, V, VA>(binding, hasKeyAndValue, (record, current) => {
      const oldValue = current === null ? initializer() : current.value;
      return { aggregate: aggregator(record.key, record.value, oldValue), timestamp: latest(record, current), oldValue };
    });
}

/** `KStreamReduce`: the first value of a key is its aggregate as is. */
export function streamReduceSupplier<K, V>(reducer: Reducer<V>): SupplierFactory {
  return (binding) =>
    aggregateSupplier<K, V, V>(binding, hasKeyAndValue, (record, current) => {
      return { aggregate: current === null ? record.value : reducer(current.value, record.value), timestamp: latest(record, current) };
    });
}

/**
 * `KTableAggregate` (also `KGroupedTable.count`): subtracts the old value first, then adds the new one, so a
 * change that stays in its group is one update. An emptied group keeps its aggregate (e.g. a count of 0).
 */
export function tableAggregateSupplier<K, V, VA>(
  initializer: Initializer<VA>,
  adder: Aggregator<K, V, VA>,
  subtractor: Aggregator<K, V, VA>,
): SupplierFactory {
  return (binding) =>
    aggregateSupplier<K, Change<V>, VA>(binding, requireKey(binding), (record, current) => {
      const { newValue, oldValue } = record.value;
      let aggregate: VA | null = current?.value ?? null;
      let timestamp = record.timestamp;
      if (oldValue !== null && aggregate !== null) {
        aggregate = subtractor(record.key, oldValue, aggregate);
        timestamp = latest(record, current);
      }
      if (newValue !== null) {
        aggregate = adder(record.key, newValue, aggregate ?? initializer());
        if (current !== null) timestamp = latest(record, current);
      }
      return { aggregate, timestamp };
    });
}

/** `KTableReduce`: like `tableAggregateSupplier`, with the first value as the starting aggregate. */
export function tableReduceSupplier<K, V>(adder: Reducer<V>, subtractor: Reducer<V>): SupplierFactory {
  return (binding) =>
    aggregateSupplier<K, Change<V>, V>(binding, requireKey(binding), (record, current) => {
      const { newValue, oldValue } = record.value;
      let aggregate: V | null = current?.value ?? null;
      let timestamp = record.timestamp;
      if (oldValue !== null && aggregate !== null) {
        aggregate = subtractor(aggregate, oldValue);
        timestamp = latest(record, current);
      }
      if (newValue !== null) {
        if (aggregate === null) {
          aggregate = newValue;
        } else {
          aggregate = adder(aggregate, newValue);
          timestamp = latest(record, current);
        }
      }
      return { aggregate, timestamp };
    });
}

/** Grouped-table records always have a key (the repartition map never sends null keys); one without is a bug. */
function requireKey(binding: SupplierBinding): (record: Record<unknown, unknown>, context: AcceptContext) => boolean {
  return (record, context) => {
    if (record.key !== null && record.key !== undefined) return true;
    throw new ProcessingError(`Record key for KTable aggregate operator with state ${binding.storeName} should not be null`, {
      coordinates: processorCoordinates(context, binding.name, binding.storeName),
    });
  };
}
