import type { KeyValue } from './key-value.js';
import { PullKeyValueIterator } from './key-value-iterator.js';
import type { KeyValueIterator } from './key-value-iterator.js';

/**
 * The iterators a store has handed out and not yet seen finish. Closing the store closes them all, so an iterator
 * a processor forgot to close cannot outlive its store, and using it afterwards fails loudly instead of reading
 * a closed table.
 */
export class OpenIterators {
  private readonly iterators = new Set<KeyValueIterator<unknown, unknown>>();

  constructor(private readonly storeName: string) {}

  /**
   * An iterator over the entries `pull` returns (`undefined` = no more), tracked until it is exhausted or closed;
   * `releaseResources` runs exactly once at that point (e.g. to close an inner iterator).
   */
  open<K, V>(pull: () => KeyValue<K, V> | undefined, releaseResources: () => void = () => {}): KeyValueIterator<K, V> {
    const iterator: KeyValueIterator<K, V> = new PullKeyValueIterator(this.storeName, pull, () => {
      this.iterators.delete(iterator);
      releaseResources();
    });
    this.iterators.add(iterator);
    return iterator;
  }

  get size(): number {
    return this.iterators.size;
  }

  closeAll(): void {
    for (const iterator of [...this.iterators]) iterator.close();
  }
}
