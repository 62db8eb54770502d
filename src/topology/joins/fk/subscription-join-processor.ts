import type { Processor, ProcessorContext, ProcessorSupplier } from '../../../core/processor.js';
import type { TableValueGetterSupplier } from '../../graph/table-value-getter.js';
import type { CombinedKey, SubscriptionChange } from './subscription-receive-processor.js';
import { RESPONSE_WRAPPER_VERSION, type SubscriptionResponseWrapper } from './subscription-response-wrapper.js';

/**
 * Kafka Streams' `SubscriptionJoinProcessorSupplier` (join-foreign): answers a subscription with the foreign table's
 * current value, at the later of both timestamps. A deletion answers with no value (the primary side deletes its
 * result), `propagateNullIfNoForeignValue` answers with or without one, `propagateOnlyIfForeignValue` only with one,
 * and `deleteNoPropagate` not at all. The answer goes back to the subscriber's partition.
 */
export function subscriptionJoinSupplier(
  foreignTable: TableValueGetterSupplier<unknown, unknown>,
): ProcessorSupplier<CombinedKey, SubscriptionChange, unknown, SubscriptionResponseWrapper<unknown>> {
  return () => {
    const foreignValues = foreignTable.get();
    let context: ProcessorContext<unknown, SubscriptionResponseWrapper<unknown>> | undefined;
    return {
      init: (processorContext) => {
        context = processorContext;
        foreignValues.init(processorContext as ProcessorContext<unknown, unknown>);
      },
      process: (record) => {
        const subscription = record.value.newValue!;
        const { instruction, hash, primaryPartition } = subscription.value;
        const { foreignKey, primaryKey } = record.key;
        const found = foreignKey === null || foreignKey === undefined ? null : foreignValues.get(foreignKey);
        const timestamp = found === null ? subscription.timestamp : Math.max(subscription.timestamp, found.timestamp);
        const answer = (foreignValue: unknown): void => {
          const response: SubscriptionResponseWrapper<unknown> = { version: RESPONSE_WRAPPER_VERSION, hash, foreignValue, primaryPartition };
          context!.forward(record.withKey(primaryKey).withValue(response).withTimestamp(timestamp));
        };
        switch (instruction) {
          case 'deleteAndPropagate':
            answer(null);
            break;
          case 'propagateNullIfNoForeignValue':
            answer(found?.value ?? null);
            break;
          case 'propagateOnlyIfForeignValue':
            if (found !== null) answer(found.value);
            break;
          case 'deleteNoPropagate':
            break;
        }
      },
    } satisfies Processor<CombinedKey, SubscriptionChange, unknown, SubscriptionResponseWrapper<unknown>>;
  };
}
