import { TopologyError } from '../../core/errors.js';
import type { Change } from '../../core/change.js';
import type { Processor, ProcessorContext } from '../../core/processor.js';
import { PUT_RETURN_CODE_NOT_PUT, PUT_RETURN_CODE_VALID_TO_UNDEFINED } from '../../state/versioned-key-value-store.js';
import type { VersionedKeyValueStore } from '../../state/versioned-key-value-store.js';
import type { StoreSpec, SupplierFactory } from '../graph/graph-node.js';
import type { VersionedTableOptions } from './dsl-options.js';

/**
 * `KTableSource` over a versioned store (KIP-914). Every update is put as a version at its record's timestamp; an
 * update older than the key's latest version goes into history without changing the table's current value, and is
 * forwarded with `isLatest: false`. An update older than the history retention is refused by the store and dropped
 * (counted as late), as Kafka Streams does not forward what it did not put.
 */
export function versionedTableSourceSupplier<K, V>(): SupplierFactory {
  return (binding) => () => {
    let context: ProcessorContext<K, Change<V>> | undefined;
    let store: VersionedKeyValueStore<K, V> | undefined;
    return {
      init: (processorContext) => {
        context = processorContext;
        store = processorContext.getStateStore<VersionedKeyValueStore<K, V>>(binding.storeName!);
      },
      process: (record) => {
        if (record.key === null || record.key === undefined) {
          context!.recordDropped?.('nullKey');
          return;
        }
        const oldValue = binding.sendOldValues ? (store!.get(record.key)?.value ?? null) : null;
        const putResult = store!.put(record.key, record.value, record.timestamp);
        if (putResult === PUT_RETURN_CODE_NOT_PUT) {
          context!.recordDropped?.('lateRecord');
          return;
        }
        const change: Change<V> = { newValue: record.value, oldValue };
        context!.forward(record.withValue(putResult === PUT_RETURN_CODE_VALID_TO_UNDEFINED ? change : { ...change, isLatest: false }));
      },
    } satisfies Processor<K, V, K, Change<V>>;
  };
}

/**
 * The store of a table built with `versioned`: a versioned store, which is never cached. Like Kafka Streams, where a
 * versioned store is named by its supplier, it needs the user's `storeName`.
 */
export function withVersionedStore(spec: StoreSpec, options: VersionedTableOptions & { readonly storeName?: string }, where: string): StoreSpec {
  const versioned = options.versioned;
  if (versioned === undefined) return spec;
  if (options.storeName === undefined) {
    throw new TopologyError(`${where}: a versioned table needs a storeName`);
  }
  const { historyRetentionMs, segmentIntervalMs } = versioned;
  if (!Number.isSafeInteger(historyRetentionMs) || historyRetentionMs < 0) {
    throw new TopologyError(`${where}: historyRetentionMs must be a non-negative integer, got ${historyRetentionMs}`, {
      coordinates: { store: options.storeName },
    });
  }
  return { ...spec, caching: false, versioned: { historyRetentionMs, segmentIntervalMs } };
}
