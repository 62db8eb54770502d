import type { Change } from '../../core/change.js';
import type { Processor, ProcessorContext, ProcessorSupplier } from '../../core/processor.js';
import type { Record } from '../../core/record.js';
import type { ValueAndTimestamp } from '../../state/value-and-timestamp.js';
import type { SupplierBinding, TableJoinType } from '../graph/graph-node.js';
import type { TableValueGetter, TableValueGetterSupplier } from '../graph/table-value-getter.js';
import { openTableStore, TableChangeForwarder } from '../dsl/table-change-forwarder.js';

/** A joiner over untyped values: `(thisValue, otherValue, key)`, either value `null` where the join allows it. */
export type AnyTableJoiner = (value: unknown, otherValue: unknown, key: unknown) => unknown;

/**
 * How one side of a table-table join combines a change with the other side's current value: Kafka Streams'
 * `KTableKTableInnerJoin`, `…LeftJoin` (this side of a left join), `…RightJoin` (the other side of a left join,
 * whose joiner is reversed) and `…OuterJoin`.
 */
export type TableJoinSide = 'inner' | 'left' | 'right' | 'outer';

/** Kafka Streams' `ConsumerRecord.NO_TIMESTAMP`, the timestamp of a missing other side in a left join. */
const UNKNOWN_TIMESTAMP = -1;

/** The sides' processors of a join type: this side's, then the other side's. */
export function joinSidesOf(joinType: TableJoinType): readonly [TableJoinSide, TableJoinSide] {
  if (joinType === 'inner') return ['inner', 'inner'];
  if (joinType === 'left') return ['left', 'right'];
  return ['outer', 'outer'];
}

/** The joiner the other side's processor calls: its own value first, as `KTableImpl.reverseJoiner` does. */
export function reversed(joiner: AnyTableJoiner): AnyTableJoiner {
  return (otherValue, value, key) => joiner(value, otherValue, key);
}

/**
 * One side's join processor: looks the key up on the other side (`binding.valueGetters[lookedUp]`) and emits the
 * joined change at the later of both timestamps. Old values are joined only when the merger asked for them.
 */
export function tableJoinSideSupplier(
  side: TableJoinSide,
  joiner: AnyTableJoiner,
  binding: SupplierBinding,
  lookedUp: number,
): ProcessorSupplier<unknown, Change<unknown>, unknown, Change<unknown>> {
  const getterSupplier = binding.valueGetters[lookedUp]!;
  return () => {
    const getter = getterSupplier.get();
    let context: ProcessorContext<unknown, Change<unknown>> | undefined;
    return {
      init: (processorContext) => {
        context = processorContext;
        getter.init(processorContext as ProcessorContext<unknown, unknown>);
      },
      process: (record) => {
        if (record.key === null || record.key === undefined) {
          context!.recordDropped?.('nullKey');
          return;
        }
        const joined = joinChange(side, joiner, binding.sendOldValues, record, getter.get(record.key));
        if (joined !== null) context!.forward(joined);
      },
    } satisfies Processor<unknown, Change<unknown>, unknown, Change<unknown>>;
  };
}

/** The per-change rules of Kafka Streams' four join processors; `null` when the change joins nothing. */
function joinChange(
  side: TableJoinSide,
  joiner: AnyTableJoiner,
  sendOldValues: boolean,
  record: Record<unknown, Change<unknown>>,
  found: ValueAndTimestamp<unknown> | null,
): Record<unknown, Change<unknown>> | null {
  const { newValue, oldValue } = record.value;
  const other = found?.value ?? null;
  const join = (value: unknown): unknown => joiner(value, other, record.key);
  const joinedAt = (timestamp: number, change: Change<unknown>): Record<unknown, Change<unknown>> =>
    record.withValue(change).withTimestamp(timestamp);
  switch (side) {
    case 'inner':
      if (found === null) return null;
      return joinedAt(Math.max(record.timestamp, found.timestamp), {
        newValue: newValue === null ? null : join(newValue),
        oldValue: sendOldValues && oldValue !== null ? join(oldValue) : null,
      });
    case 'left':
      if (found === null && newValue === null && oldValue === null) return null;
      return joinedAt(Math.max(record.timestamp, found?.timestamp ?? UNKNOWN_TIMESTAMP), {
        newValue: newValue === null ? null : join(newValue),
        oldValue: sendOldValues && oldValue !== null ? join(oldValue) : null,
      });
    case 'right':
      // The other side of a left join: without a value on this join's left there is no result to change.
      if (found === null) return null;
      return joinedAt(Math.max(record.timestamp, found.timestamp), {
        newValue: join(newValue),
        oldValue: sendOldValues ? join(oldValue) : null,
      });
    case 'outer':
      if (found === null && newValue === null && oldValue === null) return null;
      return joinedAt(found === null ? record.timestamp : Math.max(record.timestamp, found.timestamp), {
        newValue: found !== null || newValue !== null ? join(newValue) : null,
        oldValue: sendOldValues && (found !== null || oldValue !== null) ? join(oldValue) : null,
      });
  }
}

/**
 * Kafka Streams' `KTableKTableJoinMerger`: both sides' results become one table. Materialized, it keeps them in
 * its store and emits through it (so caching merges updates); otherwise it forwards them, old values blanked
 * unless asked for.
 */
export function tableJoinMergerSupplier(binding: SupplierBinding): ProcessorSupplier<unknown, Change<unknown>, unknown, Change<unknown>> {
  return () => {
    let context: ProcessorContext<unknown, Change<unknown>> | undefined;
    let forwarder: TableChangeForwarder<unknown, unknown> | undefined;
    let put: ((key: unknown, value: unknown, timestamp: number) => void) | undefined;
    return {
      init: (processorContext) => {
        context = processorContext;
        const store = openTableStore<unknown, unknown>(processorContext as ProcessorContext<unknown, unknown>, binding.storeName);
        if (store === undefined) return;
        forwarder = new TableChangeForwarder(processorContext, binding.sendOldValues, store);
        put = (key, value, timestamp) => store.put(key, value === null ? null : { value, timestamp });
      },
      process: (record) => {
        if (put !== undefined) {
          put(record.key, record.value.newValue, record.timestamp);
          forwarder!.maybeForward(record);
          return;
        }
        context!.forward(binding.sendOldValues ? record : record.withValue({ newValue: record.value.newValue, oldValue: null }));
      },
    } satisfies Processor<unknown, Change<unknown>, unknown, Change<unknown>>;
  };
}

/**
 * How an unmaterialized join result is looked up (the merger's `view()`): this table's view joined with the
 * other's on the fly, by the rule of this side's processor. The result is never versioned (KIP-914).
 */
export function joinedGetterSupplier(
  joinType: TableJoinType,
  joiner: AnyTableJoiner,
  thisTable: TableValueGetterSupplier<unknown, unknown>,
  otherTable: TableValueGetterSupplier<unknown, unknown>,
): TableValueGetterSupplier<unknown, unknown> {
  return {
    storeNames: [...new Set([...thisTable.storeNames, ...otherTable.storeNames])],
    get: () => {
      const thisGetter = thisTable.get();
      const otherGetter = otherTable.get();
      return {
        init: (context) => {
          thisGetter.init(context);
          otherGetter.init(context);
        },
        get: (key) => joinedValue(joinType, joiner, key, thisGetter, otherGetter),
        isVersioned: () => false,
      };
    },
  };
}

function joinedValue(
  joinType: TableJoinType,
  joiner: AnyTableJoiner,
  key: unknown,
  thisGetter: TableValueGetter<unknown, unknown>,
  otherGetter: TableValueGetter<unknown, unknown>,
): ValueAndTimestamp<unknown> | null {
  const found = thisGetter.get(key);
  if (found === null && joinType !== 'outer') return null;
  const other = otherGetter.get(key);
  if (found === null && other === null) return null;
  if (other === null && joinType === 'inner') return null;
  const value = joiner(found?.value ?? null, other?.value ?? null, key);
  if (value === null || value === undefined) return null;
  return { value, timestamp: Math.max(found?.timestamp ?? UNKNOWN_TIMESTAMP, other?.timestamp ?? UNKNOWN_TIMESTAMP) };
}
