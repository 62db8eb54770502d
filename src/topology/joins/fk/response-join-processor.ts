import type { Processor, ProcessorContext, ProcessorSupplier } from '../../../core/processor.js';
import type { TableValueGetterSupplier } from '../../graph/table-value-getter.js';
import type { AnyTableJoiner } from '../table-table-join-processors.js';
import { bytesOf, type ForeignKeyJoinSerdes, pseudoTopic } from './fk-serdes.js';
import { murmur3Hash128 } from './murmur3.js';
import type { SubscriptionResponseWrapper } from './subscription-response-wrapper.js';

/**
 * Kafka Streams' `ResponseJoinProcessorSupplier` (the resolver): hashes this table's current value and drops a
 * response whose hash differs, since it answers a value that was replaced (responses may arrive out of order, and
 * the newer value's own response follows). A matching response joins: a tombstone when there is no foreign value
 * in an inner join (or no current value), otherwise `joiner(value, foreignValue, key)`, at the response's time.
 */
export function responseJoinSupplier(
  serdes: ForeignKeyJoinSerdes,
  thisTable: TableValueGetterSupplier<unknown, unknown>,
  joiner: AnyTableJoiner,
  leftJoin: boolean,
): ProcessorSupplier<unknown, SubscriptionResponseWrapper<unknown>, unknown, unknown> {
  return () => {
    const currentValues = thisTable.get();
    let context: ProcessorContext<unknown, unknown> | undefined;
    let valueTopic = '';
    return {
      init: (processorContext) => {
        context = processorContext;
        currentValues.init(processorContext);
        valueTopic = pseudoTopic(processorContext, serdes, 'vh');
      },
      process: (record) => {
        const current = currentValues.get(record.key);
        const currentBytes = current === null ? null : bytesOf(serdes.primaryValueSerde, valueTopic, current.value);
        const currentHash = currentBytes === null ? null : murmur3Hash128(currentBytes);
        const { hash, foreignValue } = record.value;
        if (hash === null ? currentHash !== null : currentHash === null || !hash.equals(currentHash)) {
          context!.recordDropped?.('staleRecord');
          return;
        }
        const tombstone = foreignValue === null && (!leftJoin || current === null);
        context!.forward(record.withValue(tombstone ? null : joiner(current?.value ?? null, foreignValue, record.key)));
      },
    } satisfies Processor<unknown, SubscriptionResponseWrapper<unknown>, unknown, unknown>;
  };
}
