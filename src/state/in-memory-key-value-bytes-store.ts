import { StateError } from '../core/errors.js';
import { isEmptyRange } from './bytes-range.js';
import type { BytesRange, KeyBound } from './bytes-range.js';
import type { ChangelogRecord } from './changelog.js';
import type { KeyValue } from './key-value.js';
import type { KeyValueBytesStore } from './key-value-bytes-store.js';
import type { KeyValueIterator } from './key-value-iterator.js';
import { OpenIterators } from './open-iterators.js';
import { SortedKeyIndex, byteString } from './sorted-key-index.js';
import type { StateStoreContext } from './state-store.js';

/**
 * Entries kept in process memory: a hash map for point reads and writes, plus a `SortedKeyIndex` for ranges in
 * byte order. Not covered by the task's SQLite transaction: after a rollback (or a crash) the runtime must rebuild
 * this store from its changelog, as Kafka Streams does for its in-memory stores.
 *
 * Iterators read live data: a write during iteration is seen if it lands ahead of the iterator's position.
 */
export class InMemoryKeyValueBytesStore implements KeyValueBytesStore {
  readonly persistent = false;
  /** By byte string (see `SortedKeyIndex`), which identifies a key's bytes exactly. */
  private readonly entries = new Map<string, { readonly key: Buffer; value: Buffer }>();
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
    return this.entries.get(byteString(key))?.value ?? null;
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
    return this.entries.size;
  }

  restoreBatch(records: ReadonlyArray<ChangelogRecord>): void {
    this.ensureOpen();
    for (const { key, value } of records) this.write(key, value);
  }

  flush(): void {
    // Nothing is buffered: every write is already in memory.
  }

  close(): void {
    if (!this.open) return;
    this.openIterators.closeAll();
    this.entries.clear();
    this.open = false;
  }

  isOpen(): boolean {
    return this.open;
  }

  private write(key: Buffer, value: Buffer | null): void {
    const id = byteString(key);
    const existing = this.entries.get(id);
    if (value === null) {
      if (existing === undefined) return;
      this.entries.delete(id);
      this.index.remove(id);
    } else if (existing === undefined) {
      // The key is copied: iterators hand it out, and a caller reusing its buffer must not change a stored key.
      this.entries.set(id, { key: Buffer.from(key), value });
      this.index.insert(id);
    } else {
      existing.value = value;
    }
  }

  /** Pulls entries upwards from the range's lower end; seeks again past the last key whenever the index changed. */
  private ascendingCursor(range: BytesRange): () => KeyValue<Buffer, Buffer> | undefined {
    const index = this.index;
    const lower = idBound(range.lower);
    const upper = idBound(range.upper);
    const seekFirst = () => index.seek(lower?.id ?? null, lower !== null && !lower.inclusive);
    let position = seekFirst();
    let seenVersion = index.version;
    let lastId: string | null = null;
    return () => {
      if (index.version !== seenVersion) position = lastId === null ? seekFirst() : index.seek(lastId, true);
      seenVersion = index.version;
      const id = index.keyAt(position);
      if (id === undefined || (upper !== null && (id > upper.id || (id === upper.id && !upper.inclusive)))) return undefined;
      position = index.after(position);
      lastId = id;
      return this.entryAt(id);
    };
  }

  private descendingCursor(range: BytesRange): () => KeyValue<Buffer, Buffer> | undefined {
    const index = this.index;
    const lower = idBound(range.lower);
    const upper = idBound(range.upper);
    const seekFirst = () => index.before(upper === null ? index.end() : index.seek(upper.id, upper.inclusive));
    let position = seekFirst();
    let seenVersion = index.version;
    let lastId: string | null = null;
    return () => {
      if (index.version !== seenVersion) position = lastId === null ? seekFirst() : index.before(index.seek(lastId, false));
      seenVersion = index.version;
      const id = position === null ? undefined : index.keyAt(position);
      if (id === undefined || position === null) return undefined;
      if (lower !== null && (id < lower.id || (id === lower.id && !lower.inclusive))) return undefined;
      position = index.before(position);
      lastId = id;
      return this.entryAt(id);
    };
  }

  /** A copy, so an entry handed out does not change when the key is written again. */
  private entryAt(id: string): KeyValue<Buffer, Buffer> {
    const { key, value } = this.entries.get(id)!;
    return { key, value };
  }

  private ensureOpen(): void {
    if (!this.open) throw new StateError('STATE_MISUSE', 'store is not open', { coordinates: { store: this.name } });
  }
}

/** A range bound in the byte-string form the index compares (`<` on byte strings is unsigned byte order). */
function idBound(bound: KeyBound): { id: string; inclusive: boolean } | null {
  return bound === null ? null : { id: byteString(bound.key), inclusive: bound.inclusive };
}
