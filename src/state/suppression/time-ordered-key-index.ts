import { writeInt64BE } from '../../core/int64.js';
import { byteString, SortedKeyIndex } from '../sorted-key-index.js';

/** One buffered key as the index knows it: no values, so a large persistent buffer does not live in memory. */
export interface IndexedKey {
  /** The key's bytes as a byte string (`byteString`), which identifies them exactly. */
  readonly keyId: string;
  readonly keyBytes: Buffer;
  readonly bufferTime: number;
  /** Key bytes plus stored entry bytes, counted towards the buffer's `maxBytes`. */
  readonly size: number;
}

const TIME_PREFIX_LENGTH = 8;

/**
 * The suppression buffer's keys in eviction order: buffer time, then key bytes (unsigned), as Kafka Streams orders
 * its buffer. Kept in memory beside the store and rebuilt from it, so the oldest key and the totals the bounds
 * are checked against cost no store read.
 */
export class TimeOrderedKeyIndex {
  /** By the key's byte string. */
  private readonly keys = new Map<string, IndexedKey>();
  /** Order ids: the buffer time's sortable bytes followed by the key's byte string. */
  private readonly order = new SortedKeyIndex();
  private bytes = 0;

  get count(): number {
    return this.keys.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  get(keyId: string): IndexedKey | undefined {
    return this.keys.get(keyId);
  }

  /** The key with the smallest buffer time, `undefined` when empty. */
  oldest(): IndexedKey | undefined {
    const first = this.order.keyAt(this.order.seek(null, false));
    return first === undefined ? undefined : this.keys.get(first.slice(TIME_PREFIX_LENGTH));
  }

  /** Adds the key, or replaces what the index held for it (moving it if its buffer time changed). */
  set(entry: IndexedKey): void {
    const keyId = entry.keyId;
    const previous = this.keys.get(keyId);
    if (previous !== undefined) {
      this.bytes -= previous.size;
      if (previous.bufferTime !== entry.bufferTime) this.order.remove(orderId(previous.bufferTime, keyId));
    }
    if (previous === undefined || previous.bufferTime !== entry.bufferTime) this.order.insert(orderId(entry.bufferTime, keyId));
    this.keys.set(keyId, entry);
    this.bytes += entry.size;
  }

  remove(keyId: string): void {
    const previous = this.keys.get(keyId);
    if (previous === undefined) return;
    this.keys.delete(keyId);
    this.order.remove(orderId(previous.bufferTime, keyId));
    this.bytes -= previous.size;
  }
}

/** Two's complement with the sign bit flipped orders as unsigned bytes exactly as the signed times do. */
function orderId(bufferTime: number, keyId: string): string {
  const time = Buffer.allocUnsafe(TIME_PREFIX_LENGTH);
  writeInt64BE(time, bufferTime);
  time[0] = time[0]! ^ 0x80;
  return byteString(time) + keyId;
}
