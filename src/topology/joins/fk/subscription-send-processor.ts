import type { Change } from '../../../core/change.js';
import type { Processor, ProcessorContext, ProcessorSupplier } from '../../../core/processor.js';
import type { Record } from '../../../core/record.js';
import { bytesOf, type ForeignKeyJoinSerdes, pseudoTopic, taskPartition } from './fk-serdes.js';
import { murmur3Hash128 } from './murmur3.js';
import { SUBSCRIPTION_WRAPPER_VERSION, type SubscriptionInstruction, type SubscriptionWrapper } from './subscription-wrapper.js';

/** `(value, key) => foreign key`; `null` (or `undefined`) means the row refers to no foreign row. */
export type AnyForeignKeyExtractor = (value: unknown, key: unknown) => unknown;

export interface SubscriptionSendSettings {
  readonly serdes: ForeignKeyJoinSerdes;
  readonly foreignKey: AnyForeignKeyExtractor;
  readonly leftJoin: boolean;
  /** KIP-914: this table is versioned, so out-of-order updates are skipped. */
  readonly versionedSemantics: boolean;
}

type Output = ProcessorContext<unknown, SubscriptionWrapper<unknown>>;

/**
 * Kafka Streams 4.1's `SubscriptionSendProcessorSupplier`: turns each change of this table into subscriptions keyed by
 * foreign key. A changed foreign key unsubscribes the old one without an answer (`deleteNoPropagate`) and subscribes
 * the new one asking for an answer even without a foreign row, so the old result is replaced. Every subscription
 * carries the Murmur3 hash of the new value (`null` for a deletion) and the task's partition, where the answer goes.
 */
export function subscriptionSendSupplier(settings: SubscriptionSendSettings): ProcessorSupplier<unknown, Change<unknown>, unknown, SubscriptionWrapper<unknown>> {
  const { serdes, leftJoin } = settings;
  return () => {
    let context: Output | undefined;
    let foreignKeyTopic = '';
    let valueTopic = '';
    let partition = 0;
    const extract = (record: Record<unknown, Change<unknown>>, value: unknown): unknown => {
      const foreignKey = value === null ? null : settings.foreignKey(value, record.key);
      return foreignKey === undefined ? null : foreignKey;
    };
    const changed = (newForeignKey: unknown, oldForeignKey: unknown): boolean => {
      const newBytes = bytesOf(serdes.foreignKeySerde, foreignKeyTopic, newForeignKey);
      const oldBytes = bytesOf(serdes.foreignKeySerde, foreignKeyTopic, oldForeignKey);
      return newBytes === null || oldBytes === null ? newBytes !== oldBytes : !newBytes.equals(oldBytes);
    };
    const send = (record: Record<unknown, Change<unknown>>, hash: Buffer | null, foreignKey: unknown, instruction: SubscriptionInstruction): void => {
      const wrapper: SubscriptionWrapper<unknown> = { version: SUBSCRIPTION_WRAPPER_VERSION, hash, instruction, primaryKey: record.key, primaryPartition: partition };
      context!.forward(record.withKey(foreignKey).withValue(wrapper));
    };
    return {
      init: (processorContext) => {
        context = processorContext;
        foreignKeyTopic = pseudoTopic(processorContext as ProcessorContext<unknown, unknown>, serdes, 'fk');
        valueTopic = pseudoTopic(processorContext as ProcessorContext<unknown, unknown>, serdes, 'vh');
        partition = taskPartition(processorContext as ProcessorContext<unknown, unknown>);
      },
      process: (record) => {
        if (settings.versionedSemantics && record.value.isLatest === false) {
          context!.recordDropped?.('staleRecord');
          return;
        }
        const { newValue, oldValue } = record.value;
        // Deleting a row that is not there changes no result.
        if (newValue === null && oldValue === null) return;
        let hash: Buffer | null | undefined;
        const hashOfNewValue = (): Buffer | null => {
          if (hash !== undefined) return hash;
          const valueBytes = bytesOf(serdes.primaryValueSerde, valueTopic, newValue);
          hash = valueBytes === null ? null : murmur3Hash128(valueBytes);
          return hash;
        };
        const oldForeignKey = extract(record, oldValue);
        const newForeignKey = extract(record, newValue);
        const subscribe = (foreignKey: unknown, instruction: SubscriptionInstruction): void => send(record, hashOfNewValue(), foreignKey, instruction);
        if (leftJoin) {
          // Every change asks for an answer, a deletion too (with a null foreign key, which subscribes nowhere), so
          // that a left-join result always follows this table.
          if (oldForeignKey !== null && changed(newForeignKey, oldForeignKey)) subscribe(oldForeignKey, 'deleteNoPropagate');
          subscribe(newForeignKey, 'propagateNullIfNoForeignValue');
          return;
        }
        // Kafka Streams 4.1.2's inner-join rules (checked in its bytecode): only a row that refers to no foreign
        // row before and after the change is a dropped record; one that stops referring unsubscribes with an answer.
        if (oldForeignKey === null && newForeignKey === null) {
          context!.recordDropped?.('nullKey');
        } else if (oldForeignKey === null) {
          subscribe(newForeignKey, 'propagateOnlyIfForeignValue');
        } else if (newForeignKey === null) {
          subscribe(oldForeignKey, 'deleteAndPropagate');
        } else if (changed(newForeignKey, oldForeignKey)) {
          subscribe(oldForeignKey, 'deleteNoPropagate');
          subscribe(newForeignKey, 'propagateNullIfNoForeignValue');
        } else {
          // The same foreign key: had it no row before, the old value did not join either.
          subscribe(newForeignKey, 'propagateOnlyIfForeignValue');
        }
      },
    } satisfies Processor<unknown, Change<unknown>, unknown, SubscriptionWrapper<unknown>>;
  };
}
