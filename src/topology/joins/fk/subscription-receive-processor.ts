import type { Change } from '../../../core/change.js';
import type { Processor, ProcessorContext, ProcessorSupplier } from '../../../core/processor.js';
import type { TimestampedKeyValueStore } from '../../../state/timestamped-key-value-store.js';
import type { ValueAndTimestamp } from '../../../state/value-and-timestamp.js';
import { combinedKeyBytes } from './combined-key.js';
import { bytesOf, type ForeignKeyJoinSerdes, pseudoTopic } from './fk-serdes.js';
import type { SubscriptionWrapper } from './subscription-wrapper.js';

/** A subscription's key between the receive and join-foreign processors (Kafka Streams' `CombinedKey`). */
export interface CombinedKey {
  readonly foreignKey: unknown;
  readonly primaryKey: unknown;
}

/** The subscription store: combined key bytes → the latest subscription and its timestamp. */
export type SubscriptionStore = TimestampedKeyValueStore<Buffer, SubscriptionWrapper<unknown>>;

export type SubscriptionChange = Change<ValueAndTimestamp<SubscriptionWrapper<unknown>>>;

/**
 * Kafka Streams' `SubscriptionReceiveProcessorSupplier`: keeps each subscription under `(foreign key, primary key)`,
 * removing it on either delete instruction, and passes it on with the one it replaced. A subscription without a
 * foreign key is dropped, except a left join's request for an answer, which is passed on without being kept.
 */
export function subscriptionReceiveSupplier(
  serdes: ForeignKeyJoinSerdes,
  storeName: string,
): ProcessorSupplier<unknown, SubscriptionWrapper<unknown>, CombinedKey, SubscriptionChange> {
  return () => {
    let context: ProcessorContext<CombinedKey, SubscriptionChange> | undefined;
    let store: SubscriptionStore | undefined;
    let foreignKeyTopic = '';
    let primaryKeyTopic = '';
    return {
      init: (processorContext) => {
        context = processorContext;
        store = processorContext.getStateStore<SubscriptionStore>(storeName);
        foreignKeyTopic = pseudoTopic(processorContext as ProcessorContext<unknown, unknown>, serdes, 'fk');
        primaryKeyTopic = pseudoTopic(processorContext as ProcessorContext<unknown, unknown>, serdes, 'pk');
      },
      process: (record) => {
        const wrapper = record.value;
        const key: CombinedKey = { foreignKey: record.key, primaryKey: wrapper.primaryKey };
        const subscription = { value: wrapper, timestamp: record.timestamp };
        const foreignKey = bytesOf(serdes.foreignKeySerde, foreignKeyTopic, record.key);
        if (foreignKey === null) {
          if (wrapper.instruction !== 'propagateNullIfNoForeignValue') {
            context!.recordDropped?.('nullKey');
            return;
          }
          context!.forward(record.withKey(key).withValue({ newValue: subscription, oldValue: null }));
          return;
        }
        const storeKey = combinedKeyBytes(foreignKey, serdes.primaryKeySerde.serialize(primaryKeyTopic, wrapper.primaryKey)!);
        const previous = store!.get(storeKey);
        const deletes = wrapper.instruction === 'deleteAndPropagate' || wrapper.instruction === 'deleteNoPropagate';
        store!.put(storeKey, deletes ? null : subscription);
        context!.forward(record.withKey(key).withValue({ newValue: subscription, oldValue: previous }));
      },
    } satisfies Processor<unknown, SubscriptionWrapper<unknown>, CombinedKey, SubscriptionChange>;
  };
}
