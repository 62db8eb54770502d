import { ALL_KEYS } from './bytes-range.js';
import { ChangeLoggingKeyValueBytesStore } from './change-logging-key-value-bytes-store.js';
import type { KeyValue } from './key-value.js';
import type { KeyValueBytesStore, KeyValueBytesStoreSupplier } from './key-value-bytes-store.js';
import type { KeyValueIterator } from './key-value-iterator.js';
import { PullKeyValueIterator } from './key-value-iterator.js';
import { KeyValueStoreBuilder } from './key-value-store-builder.js';
import { WrappingStore } from './wrapping-store.js';

/** Bytes of the length in front of each value of a stored list. */
const LENGTH_BYTES = 4;

/**
 * A key-value store whose keys each hold a list of values (Kafka Streams' `ListValueStore`, which keeps the
 * records of a left or outer stream-stream join that found no partner yet): `add` appends to the key's list,
 * `deleteAll` drops the whole list, and `all` returns every value on its own, by key and then in the order they
 * were added. The inner store holds each list as one value (`[4-byte length][value]…`), so change-logging below
 * this layer logs the whole list after each write, and restoring replays lists, as in Kafka Streams.
 */
export class ListValueStore extends WrappingStore<KeyValueBytesStore> {
  /** Appends `value` to the key's list. */
  add(key: Buffer, value: Buffer): void {
    const list = this.inner.get(key);
    const length = Buffer.alloc(LENGTH_BYTES);
    length.writeUInt32BE(value.length);
    this.inner.put(key, list === null ? Buffer.concat([length, value]) : Buffer.concat([list, length, value]));
  }

  /** Drops the key's list, without reading it (a blind delete). */
  deleteAll(key: Buffer): void {
    this.inner.put(key, null);
  }

  /** Drops the key's list if it has one; writes nothing otherwise (Kafka Streams' `putIfAbsent(key, null)`). */
  deleteIfPresent(key: Buffer): void {
    if (this.inner.get(key) !== null) this.inner.put(key, null);
  }

  /**
   * Every value with its key, ascending by key bytes. Lists are read as the iteration reaches them, so deleting a
   * key already passed is safe while iterating.
   */
  all(): KeyValueIterator<Buffer, Buffer> {
    const lists = this.inner.iterate(ALL_KEYS, false);
    let pending: Array<KeyValue<Buffer, Buffer>> = [];
    const pull = (): KeyValue<Buffer, Buffer> | undefined => {
      while (pending.length === 0) {
        const next = lists.next();
        if (next.done === true) return undefined;
        pending = splitList(next.value.key, next.value.value);
      }
      return pending.shift();
    };
    return new PullKeyValueIterator(this.name, pull, () => lists.close());
  }

  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }
}

function splitList(key: Buffer, list: Buffer): Array<KeyValue<Buffer, Buffer>> {
  const values: Array<KeyValue<Buffer, Buffer>> = [];
  for (let offset = 0; offset < list.length; ) {
    const length = list.readUInt32BE(offset);
    offset += LENGTH_BYTES;
    values.push({ key, value: list.subarray(offset, offset + length) });
    offset += length;
  }
  return values;
}

/** Builds a list-value store per task over `supplier`'s bytes store; change-logged (compacted) unless turned off. */
export function listValueStoreBuilder(supplier: KeyValueBytesStoreSupplier): KeyValueStoreBuilder<ListValueStore> {
  return new KeyValueStoreBuilder(supplier, {
    changeLogging: (inner) => new ChangeLoggingKeyValueBytesStore(inner),
    typed: (inner) => new ListValueStore(inner),
  });
}
