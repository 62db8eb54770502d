import type { Processor, ProcessorContext, ProcessorSupplier } from '../../core/processor.js';
import { Record } from '../../core/record.js';
import type { KeyValue } from '../../state/key-value.js';
import type { Change } from '../../core/change.js';
import type { ForeachAction, KeyValueMapper, Predicate, ValueMapper } from './dsl-functions.js';

type Supplier = ProcessorSupplier<unknown, unknown, unknown, unknown>;

/**
 * A stateless processor: `step` gets each record and a `forward` bound to the processor's context. Every
 * stateless DSL operation is one of these, so each stays a one-liner.
 */
function statelessSupplier<K, V, KR, VR>(step: (record: Record<K, V>, forward: (record: Record<KR, VR>) => void) => void): Supplier {
  return (): Processor<K, V, KR, VR> => {
    let context: ProcessorContext<KR, VR> | undefined;
    const forward = (record: Record<KR, VR>): void => context!.forward(record);
    return {
      init: (processorContext) => {
        context = processorContext;
      },
      process: (record) => step(record, forward),
    };
  };
}

/** `KStreamFilter`: `filterNot` keeps the records the predicate rejects. */
export function filterSupplier<K, V>(predicate: Predicate<K, V>, filterNot: boolean): Supplier {
  return statelessSupplier<K, V, K, V>((record, forward) => {
    if (predicate(record.key, record.value) !== filterNot) forward(record);
  });
}

/** `KStreamMap`. */
export function mapSupplier<K, V, KR, VR>(mapper: KeyValueMapper<K, V, KeyValue<KR, VR>>): Supplier {
  return statelessSupplier<K, V, KR, VR>((record, forward) => {
    const { key, value } = mapper(record.key, record.value);
    forward(new Record(key, value, record.timestamp, record.headers));
  });
}

/** `selectKey` and the key selector of `groupBy`: a new key, the same value. */
export function selectKeySupplier<K, V, KR>(selector: KeyValueMapper<K, V, KR>): Supplier {
  return statelessSupplier<K, V, KR, V>((record, forward) => forward(record.withKey(selector(record.key, record.value))));
}

export function mapValuesSupplier<K, V, VR>(mapper: ValueMapper<K, V, VR>): Supplier {
  return statelessSupplier<K, V, K, VR>((record, forward) => forward(record.withValue(mapper(record.value, record.key))));
}

export function flatMapSupplier<K, V, KR, VR>(mapper: KeyValueMapper<K, V, Iterable<KeyValue<KR, VR>>>): Supplier {
  return statelessSupplier<K, V, KR, VR>((record, forward) => {
    for (const { key, value } of mapper(record.key, record.value)) forward(new Record(key, value, record.timestamp, record.headers));
  });
}

export function flatMapValuesSupplier<K, V, VR>(mapper: ValueMapper<K, V, Iterable<VR>>): Supplier {
  return statelessSupplier<K, V, K, VR>((record, forward) => {
    for (const value of mapper(record.value, record.key)) forward(record.withValue(value));
  });
}

/** `KStreamPeek` (forwards the record after the action) and `ForeachProcessor` (a terminal node). */
export function peekSupplier<K, V>(action: ForeachAction<K, V>, forwardAfterAction: boolean): Supplier {
  return statelessSupplier<K, V, K, V>((record, forward) => {
    action(record.key, record.value);
    if (forwardAfterAction) forward(record);
  });
}

/** `KTable.toStream`: a table's changes as a record stream of their new values (`null` for deletions). */
export const toStreamSupplier: Supplier = statelessSupplier<unknown, Change<unknown>, unknown, unknown>((record, forward) =>
  forward(record.withValue(record.value.newValue)),
);
