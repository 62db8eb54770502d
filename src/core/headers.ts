/** One record header. Values are raw bytes, as on the wire; `null` is a header without a value. */
export interface Header {
  readonly key: string;
  readonly value: Buffer | null;
}

/**
 * Record headers: an ordered, immutable list in which a key may repeat (as in Kafka).
 * Every change returns a new `Headers`, so a record forwarded to two children cannot be altered by either.
 */
export class Headers implements Iterable<Header> {
  static readonly EMPTY = new Headers([]);

  private constructor(private readonly entries: readonly Header[]) {}

  static of(entries: Iterable<Header> = []): Headers {
    return new Headers([...entries]);
  }

  /** Headers from a Kafka client's `{ key: value | value[] }` map. */
  static fromMap(map: { readonly [key: string]: Buffer | string | null | undefined | ReadonlyArray<Buffer | string> }): Headers {
    const entries: Header[] = [];
    for (const [key, raw] of Object.entries(map)) {
      for (const value of Array.isArray(raw) ? raw : [raw]) {
        entries.push({ key, value: value == null ? null : Buffer.isBuffer(value) ? value : Buffer.from(value) });
      }
    }
    return new Headers(entries);
  }

  add(key: string, value: Buffer | string | null): Headers {
    const bytes = typeof value === 'string' ? Buffer.from(value) : value;
    return new Headers([...this.entries, { key, value: bytes }]);
  }

  remove(key: string): Headers {
    return new Headers(this.entries.filter((h) => h.key !== key));
  }

  lastHeader(key: string): Header | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i]!;
      if (entry.key === key) return entry;
    }
    return undefined;
  }

  headers(key: string): Header[] {
    return this.entries.filter((h) => h.key === key);
  }

  get size(): number {
    return this.entries.length;
  }

  toArray(): Header[] {
    return [...this.entries];
  }

  [Symbol.iterator](): Iterator<Header> {
    return this.entries[Symbol.iterator]();
  }
}
