import { SerdeError, StateError } from '../core/errors.js';
import type { Serde } from '../core/serde.js';
import { changelogTopicName } from './changelog.js';
import type { KeyValueIterator } from './key-value-iterator.js';
import { OpenIterators } from './open-iterators.js';
import type { StateStoreContext } from './state-store.js';
import { WrappingStore, type RestorableStore } from './wrapping-store.js';

/** The bytes layers below a typed window or session store. */
export interface RetainingBytesStore extends RestorableStore {
  readonly retentionMs: number;
}

/**
 * What the typed layers of window and session stores share: the serdes (keys and values serialized with the
 * store's changelog topic, serde failures reported as `SerdeError`s naming the store) and the iterators handed out,
 * closed with the store.
 */
export abstract class TypedWindowedStore<K, V, B extends RetainingBytesStore> extends WrappingStore<B> {
  /** How error messages name the kind of store: `window` or `session`. */
  protected abstract readonly storeKind: string;
  private readonly openIterators: OpenIterators;
  private topic = '';
  /** The last key serialized or deserialized and its bytes (see `keyBytes`). */
  private lastKey: K | undefined = undefined;
  private lastKeyBytes: Buffer | null = null;

  constructor(
    inner: B,
    private readonly keySerde: Serde<K>,
    private readonly valueSerde: Serde<V>,
  ) {
    super(inner);
    this.openIterators = new OpenIterators(inner.name);
  }

  get retentionMs(): number {
    return this.inner.retentionMs;
  }

  override init(context: StateStoreContext): void {
    this.topic = changelogTopicName(context.applicationId, this.name);
    super.init(context);
  }

  override close(): void {
    this.openIterators.closeAll();
    super.close();
  }

  /** A tracked iterator over `inner`'s entries, with keys made by `keyOf` (called first) and values deserialized. */
  protected typedEntries<KB, KT>(inner: KeyValueIterator<KB, Buffer>, keyOf: (key: KB) => KT): KeyValueIterator<KT, V> {
    return this.openIterators.open(() => {
      const entry = inner.next();
      return entry.done === true ? undefined : { key: keyOf(entry.value.key), value: this.valueFrom(entry.value.value) };
    }, () => inner.close());
  }

  /**
   * The key's bytes. An aggregation reads and writes one key several times per record (a hopping record's six
   * windows), so the bytes of the last primitive key are reused; keys that are objects could change in between.
   */
  protected keyBytes(key: K): Buffer {
    if (key === this.lastKey && this.lastKeyBytes !== null && isPrimitive(key)) return this.lastKeyBytes;
    const bytes = this.serde(() => this.keySerde.serialize(this.topic, key));
    if (bytes === null) throw new StateError('STATE_MISUSE', `${this.storeKind} store keys must not be null`, { coordinates: { store: this.name } });
    this.lastKey = key;
    this.lastKeyBytes = bytes;
    return bytes;
  }

  /** The key of `bytes`; the same buffer again (a cache reports a key's windows one after another) gives the same primitive key. */
  protected keyFrom(bytes: Buffer): K {
    if (bytes === this.lastKeyBytes && isPrimitive(this.lastKey)) return this.lastKey as K;
    const key = this.serde(() => this.keySerde.deserialize(this.topic, bytes));
    if (key === null) throw new StateError('STATE_MISUSE', `a ${this.storeKind} store key deserialized to null`, { coordinates: { store: this.name } });
    this.lastKey = key;
    this.lastKeyBytes = bytes;
    return key;
  }

  /** `null` (a delete) stays `null`. */
  protected valueBytes(value: V | null): Buffer | null {
    return value === null ? null : this.serde(() => this.valueSerde.serialize(this.topic, value));
  }

  protected valueOrNull(bytes: Buffer | null): V | null {
    return bytes === null ? null : this.valueFrom(bytes);
  }

  protected valueFrom(bytes: Buffer): V {
    return this.serde(() => this.valueSerde.deserialize(this.topic, bytes)) as V;
  }

  private serde<T>(convert: () => T): T {
    try {
      return convert();
    } catch (cause) {
      if (cause instanceof SerdeError) throw cause;
      throw new SerdeError(`${this.storeKind} store serde failed`, { cause, coordinates: { store: this.name } });
    }
  }
}

/** Strings and numbers cannot change under a reused serialization. */
function isPrimitive(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number';
}
