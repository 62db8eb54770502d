import type { FixedKeyProcessorContext, FixedKeyProcessorSupplier } from '../../core/processor.js';
import type { KeyValueStore } from '../../state/key-value-store.js';
import type { ChangeEvent } from './change-event.js';
import { isNewer, withApplied, type AppliedPositions, type ChangePositionOf } from './change-position.js';

/**
 * Passes each change event on only when it is newer than the last one applied for its key, by the source's
 * position (see `AppliedPositions`): a connector restarted after a crash sends again what it sent since its last
 * flushed offset, and those duplicates must not roll a row back. Debezium's tombstone after a delete (a `null`
 * value, there for log compaction) is dropped here; both drops are counted, as the engine counts every record a
 * processor drops on purpose. Events without a key or a position cannot be ordered and pass unguarded.
 */
export function changePositionGuard<K, V>(storeName: string, positionOf: ChangePositionOf<V>): FixedKeyProcessorSupplier<K, ChangeEvent<V> | null, ChangeEvent<V>> {
  return () => {
    let context: FixedKeyProcessorContext<K, ChangeEvent<V>> | undefined;
    let store: KeyValueStore<K, AppliedPositions> | undefined;
    return {
      init: (processorContext) => {
        context = processorContext;
        store = processorContext.getStateStore<KeyValueStore<K, AppliedPositions>>(storeName);
      },
      process: (record) => {
        const event = record.value;
        if (event === null) {
          context!.recordDropped?.('nullValue');
          return;
        }
        const position = record.key === null ? null : positionOf(event);
        if (position !== null) {
          const snapshotRead = event.op === 'r';
          const applied = store!.get(record.key) ?? null;
          if (!isNewer(applied, snapshotRead, position)) {
            context!.recordDropped?.('staleRecord');
            return;
          }
          store!.put(record.key, withApplied(applied, snapshotRead, position));
        }
        context!.forward(record.withValue(event));
      },
    };
  };
}
