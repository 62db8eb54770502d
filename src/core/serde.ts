import type { Headers } from './headers.js';

/**
 * Turns values into bytes and back. `null` always maps to `null` (a tombstone), in both directions,
 * as Kafka Streams' serdes do. Implementations throw on bytes they cannot read; callers attach the
 * record's coordinates and apply the deserialization handler.
 */
export interface Serde<T> {
  serialize(topic: string, data: T | null, headers?: Headers): Buffer | null;
  deserialize(topic: string, data: Buffer | null, headers?: Headers): T | null;
}
