import { StateError } from '../core/errors.js';
import { isAboveLower, isBelowUpper, isEmptyRange } from './bytes-range.js';
import type { BytesRange } from './bytes-range.js';
import type { KeyValue } from './key-value.js';
import type { KeyValueBytesStore, RestoreRecord } from './key-value-bytes-store.js';
import type { KeyValueIterator } from './key-value-iterator.js';
import { OpenIterators } from './open-iterators.js';
import { SortedKeyIndex } from './sorted-key-index.js';
import type { KeyPosition } from './sorted-key-index.js';
import type { StateStoreContext } from './state-store.js';

/** Map keys: a `latin1` string holds one character per byte, so it identifies a key's bytes exactly. */
function mapKey(key: Buffer): string {
  return key.toString('latin1');
}

/**
 * Entries kept in process memory: a hash map for point reads and writes, plus a `SortedKeyIndex` for ranges in
 * byte order. Not covered by the task's SQLite transaction: after a rollback (or a crash) the runtime must rebuild
 * this store from its changelog, as Kafka Streams does for its in-memory stores.
 *
 * Iterators read live data: a write during iteration is seen if it lands ahead of the iterator's position.
 */
export class InMemoryKeyValueBytesStore implements KeyValueBytesStore {
  readonly persistent = false;
  private readonly values = new Map<string, Buffer>();
  private readonly index = new SortedKeyIndex();
  private readonly openIterators: OpenIterators;
  private open = false;

  constructor(readonly name: string) {
    this.openIterators = new OpenIterators(name);
  }

  init(_context: StateStoreContext): void {
    this.open = true;
  }

  get(key: Buffer): Buffer | null {
    this.ensureOpen();
    return this.values.get(mapKey(key)) ?? null;
  }

  put(key: Buffer, value: Buffer | null): void {
    this.ensureOpen();
    this.write(key, value);
  }

  putIfAbsent(key: Buffer, value: Buffer | null): Buffer | null {
    const previous = this.get(key);
    if (previous === null) this.write(key, value);
    return previous;
  }

  putAll(entries: ReadonlyArray<KeyValue<Buffer, Buffer | null>>): void {
    this.ensureOpen();
    for (const { key, value } of entries) this.write(key, value);
  }

  delete(key: Buffer): Buffer | null {
    const previous = this.get(key);
    if (previous !== null) this.write(key, null);
    return previous;
  }

  iterate(range: BytesRange, reverse: boolean): KeyValueIterator<Buffer, Buffer> {
    this.ensureOpen();
    if (isEmptyRange(range)) return this.openIterators.open<Buffer, Buffer>(() => undefined);
    return this.openIterators.open(reverse ? this.descendingCursor(range) : this.ascendingCursor(range));
  }

  approximateNumEntries(): number {
    this.ensureOpen();
    return this.values.size;
  }

  restoreBatch(records: ReadonlyArray<RestoreRecord>): void {
    this.ensureOpen();
    for (const { key, value } of records) this.write(key, value);
  }

  flush(): void {
    // Nothing is buffered: every write is already in memory.
  }

  close(): void {
    if (!this.open) return;
    this.openIterators.closeAll();
    this.values.clear();
    this.open = false;
  }

  isOpen(): boolean {
    return this.open;
  }

  private write(key: Buffer, value: Buffer | null): void {
    const id = mapKey(key);
    if (value === null) {
      if (this.values.delete(id)) this.index.remove(key);
      return;
    }
    if (!this.values.has(id)) {
      // Copied because the index orders by these bytes: a caller reusing its buffer must not reorder the index.
      this.index.insert(Buffer.from(key));
    }
    this.values.set(id, value);
  }

  /** Pulls entries upwards from the range's lower end; seeks again past the last key whenever the index changed. */
  private ascendingCursor(range: BytesRange): () => KeyValue<Buffer, Buffer> | undefined {
    const index = this.index;
    let position = index.seek(range.lower?.key ?? null, range.lower !== null && !range.lower.inclusive);
    let seenVersion = index.version;
    let lastKey: Buffer | null = null;
    return () => {
      if (index.version !== seenVersion && lastKey !== null) position = index.seek(lastKey, true);
      seenVersion = index.version;
      const key = index.keyAt(position);
      if (key === undefined || !isBelowUpper(key, range.upper)) return undefined;
      position = index.after(position);
      lastKey = key;
      return { key, value: this.values.get(mapKey(key))! };
    };
  }

  private descendingCursor(range: BytesRange): () => KeyValue<Buffer, Buffer> | undefined {
    const index = this.index;
    const upper = range.upper;
    let position: KeyPosition | null = index.before(upper === null ? index.end() : index.seek(upper.key, upper.inclusive));
    let seenVersion = index.version;
    let lastKey: Buffer | null = null;
    return () => {
      if (index.version !== seenVersion && lastKey !== null) position = index.before(index.seek(lastKey, false));
      seenVersion = index.version;
      const key = position === null ? undefined : index.keyAt(position);
      if (key === undefined || position === null || !isAboveLower(key, range.lower)) return undefined;
      position = index.before(position);
      lastKey = key;
      return { key, value: this.values.get(mapKey(key))! };
    };
  }

  private ensureOpen(): void {
    if (!this.open) throw new StateError('store is not open', { coordinates: { store: this.name } });
  }
}
