import type { Change } from '../../../core/change.js';
import type { Processor, ProcessorContext, ProcessorSupplier } from '../../../core/processor.js';
import { Serdes } from '../../../core/serdes.js';
import { foreignKeyPrefix, primaryKeyBytesOf } from './combined-key.js';
import { type ForeignKeyJoinSerdes, pseudoTopic } from './fk-serdes.js';
import type { SubscriptionStore } from './subscription-receive-processor.js';
import { RESPONSE_WRAPPER_VERSION, type SubscriptionResponseWrapper } from './subscription-response-wrapper.js';

/**
 * Kafka Streams' `ForeignTableJoinProcessorSupplier` (foreign-join): when a foreign row changes, answers every
 * subscription to its key, in primary-key byte order, with the new value (`null` for a deletion) and the hash the
 * subscription carried, at the foreign record's timestamp. Null keys, and out-of-order updates of a versioned
 * foreign table (KIP-914), are dropped.
 */
export function foreignTableJoinSupplier(
  serdes: ForeignKeyJoinSerdes,
  storeName: string,
  versionedSemantics: boolean,
): ProcessorSupplier<unknown, Change<unknown>, unknown, SubscriptionResponseWrapper<unknown>> {
  return () => {
    let context: ProcessorContext<unknown, SubscriptionResponseWrapper<unknown>> | undefined;
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
        if (record.key === null || record.key === undefined) {
          context!.recordDropped?.('nullKey');
          return;
        }
        if (versionedSemantics && record.value.isLatest === false) {
          context!.recordDropped?.('staleRecord');
          return;
        }
        const prefix = foreignKeyPrefix(serdes.foreignKeySerde.serialize(foreignKeyTopic, record.key)!);
        // Read the subscriptions first: answering writes to a sink, never to this store, but keep the scan short.
        const subscriptions = [...store!.prefixScan(prefix, Serdes.ByteArray())];
        for (const { key, value } of subscriptions) {
          const primaryKey = serdes.primaryKeySerde.deserialize(primaryKeyTopic, primaryKeyBytesOf(key));
          const { hash, primaryPartition } = value.value;
          const response: SubscriptionResponseWrapper<unknown> = { version: RESPONSE_WRAPPER_VERSION, hash, foreignValue: record.value.newValue, primaryPartition };
          context!.forward(record.withKey(primaryKey).withValue(response));
        }
      },
    } satisfies Processor<unknown, Change<unknown>, unknown, SubscriptionResponseWrapper<unknown>>;
  };
}
