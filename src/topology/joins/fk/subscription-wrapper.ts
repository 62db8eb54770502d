import { SerdeError } from '../../../core/errors.js';
import type { Serde } from '../../../core/serde.js';

/**
 * What the primary side asks of the foreign side for one primary key (Kafka Streams' `SubscriptionWrapper.Instruction`,
 * whose byte values travel on the subscription topic): drop the subscription and answer nothing, drop it and answer
 * with a deletion, keep it and answer even without a foreign value, keep it and answer only with one.
 */
export type SubscriptionInstruction = 'deleteNoPropagate' | 'deleteAndPropagate' | 'propagateNullIfNoForeignValue' | 'propagateOnlyIfForeignValue';

const INSTRUCTION_BYTES: { readonly [instruction in SubscriptionInstruction]: number } = {
  deleteNoPropagate: 0,
  deleteAndPropagate: 1,
  propagateNullIfNoForeignValue: 2,
  propagateOnlyIfForeignValue: 3,
};
const INSTRUCTIONS = Object.keys(INSTRUCTION_BYTES) as SubscriptionInstruction[];

/** The version this code writes (Kafka Streams' `SubscriptionWrapper.CURRENT_VERSION`); version 0 lacks the partition. */
export const SUBSCRIPTION_WRAPPER_VERSION = 1;

/** One subscription of a primary key to a foreign key, as the subscription topic and store carry it. */
export interface SubscriptionWrapper<K> {
  readonly version: number;
  /** Murmur3 of the primary value the subscription was sent for (16 bytes), `null` when the value was deleted. */
  readonly hash: Buffer | null;
  readonly instruction: SubscriptionInstruction;
  readonly primaryKey: K;
  /** The primary record's input partition, where the response goes back to; `null` in version 0. */
  readonly primaryPartition: number | null;
}

const HASH_LENGTH = 16;
const NULL_HASH_FLAG = 0x80;

/**
 * Kafka Streams' `SubscriptionWrapperSerde`, byte for byte: `[null-hash flag | version][instruction][hash?][primary
 * key][partition, 4 bytes, version 1]`. The primary key is serialized under the pseudo topic `<topic>-pk`, which on
 * the subscription topic (`<applicationId>-<name>-topic`) is Kafka's `<applicationId>-<name>-topic-pk`.
 */
export function subscriptionWrapperSerde<K>(primaryKeySerde: Serde<K>): Serde<SubscriptionWrapper<K>> {
  return {
    serialize: (topic, wrapper) => (wrapper === null ? null : serializeSubscription(wrapper, primaryKeySerde.serialize(`${topic}-pk`, wrapper.primaryKey))),
    deserialize: (topic, data) => (data === null ? null : deserializeSubscription(data, (bytes) => primaryKeySerde.deserialize(`${topic}-pk`, bytes))),
  };
}

function serializeSubscription<K>(wrapper: SubscriptionWrapper<K>, primaryKey: Buffer | null): Buffer {
  if (primaryKey === null) throw new SerdeError('A subscription needs a primary key that serializes to bytes');
  const { version, hash } = wrapper;
  if (version !== 0 && version !== SUBSCRIPTION_WRAPPER_VERSION) throw new SerdeError(`Cannot write SubscriptionWrapper version ${version}`);
  const partitionLength = version === 0 ? 0 : 4;
  const bytes = Buffer.allocUnsafe(2 + (hash === null ? 0 : HASH_LENGTH) + primaryKey.length + partitionLength);
  bytes[0] = hash === null ? version | NULL_HASH_FLAG : version;
  bytes[1] = INSTRUCTION_BYTES[wrapper.instruction];
  let offset = 2;
  if (hash !== null) offset += hash.copy(bytes, offset);
  offset += primaryKey.copy(bytes, offset);
  if (version !== 0) bytes.writeInt32BE(wrapper.primaryPartition ?? 0, offset);
  return bytes;
}

function deserializeSubscription<K>(data: Buffer, primaryKeyOf: (bytes: Buffer) => K | null): SubscriptionWrapper<K> {
  const version = data[0]! & 0x7f;
  if (version > SUBSCRIPTION_WRAPPER_VERSION) {
    throw new SerdeError(`SubscriptionWrapper version ${version} is not supported (${SUBSCRIPTION_WRAPPER_VERSION} at most)`);
  }
  const instruction = INSTRUCTIONS.find((name) => INSTRUCTION_BYTES[name] === data[1]);
  if (instruction === undefined) throw new SerdeError(`Unknown SubscriptionWrapper instruction byte ${data[1]}`);
  const hashed = (data[0]! & NULL_HASH_FLAG) === 0;
  const keyStart = 2 + (hashed ? HASH_LENGTH : 0);
  const keyEnd = data.length - (version === 0 ? 0 : 4);
  if (keyEnd < keyStart) throw new SerdeError(`SubscriptionWrapper of ${data.length} bytes is too short`);
  const primaryKey = primaryKeyOf(data.subarray(keyStart, keyEnd));
  if (primaryKey === null) throw new SerdeError('SubscriptionWrapper has no primary key');
  return {
    version,
    hash: hashed ? Buffer.from(data.subarray(2, keyStart)) : null,
    instruction,
    primaryKey,
    primaryPartition: version === 0 ? null : data.readInt32BE(keyEnd),
  };
}
