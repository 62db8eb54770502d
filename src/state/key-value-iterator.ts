import { StateError } from '../core/errors.js';
import type { KeyValue } from './key-value.js';

/**
 * An iterator over store entries, in the serialized keys' unsigned byte order (or its reverse). It is also an
 * iterable, so `for (const { key, value } of store.range(a, b))` works; leaving such a loop early (`break`,
 * `return`, a throw) closes the iterator. Otherwise close it with `close()`; the store closes whatever is still
 * open when it closes. Once closed, every call but `close()` throws a `StateError`.
 */
export interface KeyValueIterator<K, V> extends IterableIterator<KeyValue<K, V>> {
  /** The key the next `next()` returns, without consuming it; `undefined` when there is none. */
  peekNextKey(): K | undefined;
  hasNext(): boolean;
  close(): void;
}

type IteratorState = 'open' | 'exhausted' | 'closed';

/** A `KeyValueIterator` over a pull function; `release` runs once, when the iterator is exhausted or closed. */
export class PullKeyValueIterator<K, V> implements KeyValueIterator<K, V> {
  private state: IteratorState = 'open';
  private buffered: KeyValue<K, V> | undefined;

  constructor(
    private readonly storeName: string,
    private readonly pull: () => KeyValue<K, V> | undefined,
    private readonly release: () => void,
  ) {}

  next(): IteratorResult<KeyValue<K, V>, undefined> {
    const entry = this.peek();
    this.buffered = undefined;
    return entry === undefined ? { done: true, value: undefined } : { done: false, value: entry };
  }

  peekNextKey(): K | undefined {
    return this.peek()?.key;
  }

  hasNext(): boolean {
    return this.peek() !== undefined;
  }

  close(): void {
    if (this.state === 'closed') return;
    const holdsResources = this.state === 'open';
    this.state = 'closed';
    this.buffered = undefined;
    if (holdsResources) this.release();
  }

  /** Called by `for...of` when a loop ends early. */
  return(): IteratorResult<KeyValue<K, V>, undefined> {
    this.close();
    return { done: true, value: undefined };
  }

  [Symbol.iterator](): this {
    return this;
  }

  private peek(): KeyValue<K, V> | undefined {
    if (this.state === 'closed') {
      throw new StateError('STATE_MISUSE', 'iterator used after it was closed', { coordinates: { store: this.storeName } });
    }
    if (this.buffered === undefined && this.state === 'open') {
      this.buffered = this.pull();
      if (this.buffered === undefined) {
        this.state = 'exhausted';
        this.release();
      }
    }
    return this.buffered;
  }
}
