import { latin1Text } from '../core/serdes.js';

/** Chunks split in two past this size: small enough that inserting is a short array move, large enough to be few. */
const CHUNK_SPLIT_SIZE = 1024;

/** A slot in the index; only valid until the next insert or remove (see `version`). */
export interface KeyPosition {
  readonly chunk: number;
  readonly offset: number;
}

/**
 * Keys kept in unsigned byte order, in sorted chunks of at most `CHUNK_SPLIT_SIZE` keys. Finding a key is a binary
 * search over chunks then within one; inserting or removing moves at most one chunk's elements, so a million keys
 * stay cheap to update, unlike one sorted array where every insert shifts half of it.
 *
 * Keys are byte strings: each byte of the serialized key as one `latin1` character (`byteString`). JavaScript
 * compares such strings by character code, i.e. exactly in unsigned byte order, shorter prefix first, and does it
 * far faster than `Buffer.compare`, whose native call dominates a binary search.
 */
export class SortedKeyIndex {
  private readonly chunks: string[][] = [];
  private modifications = 0;

  /** Changes on every insert and remove, so cursors holding a `KeyPosition` know to seek again. */
  get version(): number {
    return this.modifications;
  }

  /** Adds a key the index does not hold yet. */
  insert(key: string): void {
    this.modifications++;
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      return;
    }
    const chunkIndex = Math.min(this.firstChunkEndingAtOrAfter(key, false), this.chunks.length - 1);
    const chunk = this.chunks[chunkIndex]!;
    chunk.splice(firstIndexAtOrAfter(chunk, key, false), 0, key);
    if (chunk.length > CHUNK_SPLIT_SIZE) {
      this.chunks.splice(chunkIndex + 1, 0, chunk.splice(chunk.length >> 1));
    }
  }

  remove(key: string): boolean {
    const chunkIndex = this.firstChunkEndingAtOrAfter(key, false);
    const chunk = this.chunks[chunkIndex];
    if (chunk === undefined) return false;
    const offset = firstIndexAtOrAfter(chunk, key, false);
    if (chunk[offset] !== key) return false;
    this.modifications++;
    chunk.splice(offset, 1);
    if (chunk.length === 0) this.chunks.splice(chunkIndex, 1);
    return true;
  }

  /** The first key above `key` (`strict`) or at/above it; `null` key means the very first. May be the end. */
  seek(key: string | null, strict: boolean): KeyPosition {
    if (key === null) return { chunk: 0, offset: 0 };
    const chunkIndex = this.firstChunkEndingAtOrAfter(key, strict);
    const chunk = this.chunks[chunkIndex];
    return chunk === undefined ? this.end() : { chunk: chunkIndex, offset: firstIndexAtOrAfter(chunk, key, strict) };
  }

  /** The position just past the last key. */
  end(): KeyPosition {
    return { chunk: this.chunks.length, offset: 0 };
  }

  keyAt(position: KeyPosition): string | undefined {
    return this.chunks[position.chunk]?.[position.offset];
  }

  after(position: KeyPosition): KeyPosition {
    const chunk = this.chunks[position.chunk];
    if (chunk !== undefined && position.offset + 1 < chunk.length) return { chunk: position.chunk, offset: position.offset + 1 };
    return { chunk: position.chunk + 1, offset: 0 };
  }

  /** The position before `position`, or `null` when it is the first. */
  before(position: KeyPosition): KeyPosition | null {
    if (position.offset > 0) return { chunk: position.chunk, offset: position.offset - 1 };
    const previous = this.chunks[position.chunk - 1];
    return previous === undefined ? null : { chunk: position.chunk - 1, offset: previous.length - 1 };
  }

  /** Index of the first chunk whose last key is above (`strict`) or at/above `key`; `chunks.length` if none. */
  private firstChunkEndingAtOrAfter(key: string, strict: boolean): number {
    let low = 0;
    let high = this.chunks.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const chunk = this.chunks[middle]!;
      if (qualifies(compare(chunk[chunk.length - 1]!, key), strict)) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}

/** A key's bytes as a string of `latin1` characters, one per byte: the form `SortedKeyIndex` orders. */
export function byteString(key: Buffer): string {
  return latin1Text(key);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function qualifies(order: number, strict: boolean): boolean {
  return strict ? order > 0 : order >= 0;
}

function firstIndexAtOrAfter(chunk: readonly string[], key: string, strict: boolean): number {
  let low = 0;
  let high = chunk.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (qualifies(compare(chunk[middle]!, key), strict)) high = middle;
    else low = middle + 1;
  }
  return low;
}
