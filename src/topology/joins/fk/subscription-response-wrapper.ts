import { SerdeError } from '../../../core/errors.js';
import type { Serde } from '../../../core/serde.js';

/** The only version there is (Kafka Streams' `SubscriptionResponseWrapper.CURRENT_VERSION`). */
export const RESPONSE_WRAPPER_VERSION = 0;

/** The foreign side's answer to a subscription: the foreign value, tagged with the hash the subscription carried. */
export interface SubscriptionResponseWrapper<VO> {
  readonly version: number;
  /** The subscription's hash, echoed so the primary side can tell a response for a value it since replaced. */
  readonly hash: Buffer | null;
  readonly foreignValue: VO | null;
  /**
   * The partition of the primary record that subscribed, which the response sink writes to; not serialized (Kafka
   * Streams keeps it off the wire too), so `null` after reading.
   */
  readonly primaryPartition: number | null;
}

const HASH_LENGTH = 16;
const NULL_HASH_FLAG = 0x80;

/**
 * Kafka Streams' `SubscriptionResponseWrapperSerde`, byte for byte: `[null-hash flag | version][hash?][foreign
 * value?]`, the value serialized under the response topic itself; no bytes after the header mean no value.
 */
export function subscriptionResponseWrapperSerde<VO>(foreignValueSerde: Serde<VO>): Serde<SubscriptionResponseWrapper<VO>> {
  return {
    serialize: (topic, response) => {
      if (response === null) return null;
      const value = response.foreignValue === null ? null : foreignValueSerde.serialize(topic, response.foreignValue);
      const { hash, version } = response;
      const header = Buffer.from([hash === null ? version | NULL_HASH_FLAG : version]);
      return Buffer.concat([header, ...(hash === null ? [] : [hash]), ...(value === null ? [] : [value])]);
    },
    deserialize: (topic, data) => {
      if (data === null) return null;
      const version = data[0]! & 0x7f;
      if (version !== RESPONSE_WRAPPER_VERSION) {
        throw new SerdeError(`SubscriptionResponseWrapper version ${version} is not supported (only ${RESPONSE_WRAPPER_VERSION})`);
      }
      const hashed = (data[0]! & NULL_HASH_FLAG) === 0;
      const valueStart = 1 + (hashed ? HASH_LENGTH : 0);
      if (data.length < valueStart) throw new SerdeError(`SubscriptionResponseWrapper of ${data.length} bytes is too short`);
      const foreignValue = data.length > valueStart ? foreignValueSerde.deserialize(topic, data.subarray(valueStart)) : null;
      return { version, hash: hashed ? Buffer.from(data.subarray(1, valueStart)) : null, foreignValue, primaryPartition: null };
    },
  };
}
