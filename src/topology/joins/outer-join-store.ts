import type { Serde } from '../../core/serde.js';
import { changelogTopicName } from '../../state/changelog.js';
import type { KeyValueIterator } from '../../state/key-value-iterator.js';
import type { ListValueStore } from '../../state/list-value-store.js';

/** A record of a left or outer join still without a partner, as the shared store keeps it. */
export interface UnjoinedRecord {
  readonly timestamp: number;
  readonly isLeftSide: boolean;
  readonly key: unknown;
  /** The value of its side; the other side's is `null`. */
  readonly leftValue: unknown;
  readonly rightValue: unknown;
  /** The stored key bytes, to delete the entry with. */
  readonly storeKey: Buffer;
}

const TIMESTAMP_BYTES = 8;

/**
 * The typed view of a left or outer join's shared store (Kafka Streams' `KSTREAM-OUTERSHARED-…-store`). Keys are
 * `[8-byte timestamp][1 byte: 1 = left side, 0 = right][key bytes]` (`TimestampedKeyAndJoinSideSerializer`), so
 * iteration runs by timestamp, right side before left, then key bytes, and each key's list in insertion order.
 * Values are `[1 byte: 1 = left][value bytes]` (`LeftOrRightValueSerializer`). Serdes see the store's changelog
 * topic, as in every typed store.
 */
export class OuterJoinStore {
  private readonly topic: string;

  constructor(
    private readonly store: ListValueStore,
    applicationId: string,
    private readonly keySerde: Serde<unknown>,
    private readonly leftValueSerde: Serde<unknown>,
    private readonly rightValueSerde: Serde<unknown>,
  ) {
    this.topic = changelogTopicName(applicationId, store.name);
  }

  add(timestamp: number, isLeftSide: boolean, key: unknown, value: unknown): void {
    const serde = isLeftSide ? this.leftValueSerde : this.rightValueSerde;
    const valueBytes = serde.serialize(this.topic, value) ?? Buffer.alloc(0);
    this.store.add(this.storeKey(timestamp, isLeftSide, key), Buffer.concat([Buffer.of(isLeftSide ? 1 : 0), valueBytes]));
  }

  /** Drops the entries of a record that found a partner, if any (Kafka Streams' `putIfAbsent(key, null)`). */
  deleteIfPresent(timestamp: number, isLeftSide: boolean, key: unknown): void {
    this.store.deleteIfPresent(this.storeKey(timestamp, isLeftSide, key));
  }

  deleteAll(storeKey: Buffer): void {
    this.store.deleteAll(storeKey);
  }

  /** Every waiting record, in the store's order; read lazily, so deleting entries already passed is safe. */
  *all(): Generator<UnjoinedRecord, void, undefined> {
    const entries: KeyValueIterator<Buffer, Buffer> = this.store.all();
    try {
      for (const { key, value } of entries) yield this.decode(key, value);
    } finally {
      entries.close();
    }
  }

  private storeKey(timestamp: number, isLeftSide: boolean, key: unknown): Buffer {
    const keyBytes = this.keySerde.serialize(this.topic, key) ?? Buffer.alloc(0);
    const prefix = Buffer.alloc(TIMESTAMP_BYTES + 1);
    prefix.writeBigInt64BE(BigInt(timestamp));
    prefix.writeUInt8(isLeftSide ? 1 : 0, TIMESTAMP_BYTES);
    return Buffer.concat([prefix, keyBytes]);
  }

  private decode(storeKey: Buffer, value: Buffer): UnjoinedRecord {
    const timestamp = Number(storeKey.readBigInt64BE(0));
    const isLeftSide = storeKey.readUInt8(TIMESTAMP_BYTES) === 1;
    const key = this.keySerde.deserialize(this.topic, storeKey.subarray(TIMESTAMP_BYTES + 1));
    const valueIsLeft = value.readUInt8(0) === 1;
    const serde = valueIsLeft ? this.leftValueSerde : this.rightValueSerde;
    const sideValue = serde.deserialize(this.topic, value.subarray(1));
    return {
      timestamp,
      isLeftSide,
      key,
      leftValue: valueIsLeft ? sideValue : null,
      rightValue: valueIsLeft ? null : sideValue,
      storeKey,
    };
  }
}
