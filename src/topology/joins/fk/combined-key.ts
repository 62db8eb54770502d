import { SerdeError } from '../../../core/errors.js';

/**
 * Kafka Streams' `CombinedKeySchema`: the subscription store's key, `[foreign key length, 4 bytes][foreign key][primary
 * key]`, so that all subscriptions to one foreign key are one prefix scan, in primary-key byte order.
 */
export function combinedKeyBytes(foreignKey: Buffer, primaryKey: Buffer): Buffer {
  return Buffer.concat([foreignKeyPrefix(foreignKey), primaryKey]);
}

/** The prefix every combined key of `foreignKey` starts with. */
export function foreignKeyPrefix(foreignKey: Buffer): Buffer {
  const prefix = Buffer.allocUnsafe(4 + foreignKey.length);
  prefix.writeInt32BE(foreignKey.length, 0);
  foreignKey.copy(prefix, 4);
  return prefix;
}

/** The primary key's bytes of a combined key. */
export function primaryKeyBytesOf(combinedKey: Buffer): Buffer {
  const foreignKeyLength = combinedKey.length >= 4 ? combinedKey.readInt32BE(0) : -1;
  if (foreignKeyLength < 0 || 4 + foreignKeyLength > combinedKey.length) {
    throw new SerdeError(`Combined key of ${combinedKey.length} bytes has no valid foreign key length`);
  }
  return combinedKey.subarray(4 + foreignKeyLength);
}
