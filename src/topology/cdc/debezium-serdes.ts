import { SerdeError } from '../../core/errors.js';
import type { Serde } from '../../core/serde.js';
import { Serdes } from '../../core/serdes.js';
import { changeEventOf, envelopeOf, withoutConnectSchema, type ChangeEvent } from './change-event.js';

/** How the Connect converter wrote the topic: with its schema (`{schema, payload}`), without, or find out per record. */
export interface DebeziumSerdeOptions {
  /** `undefined` (the default) reads both; `true`/`false` insists on one. */
  readonly schemas?: boolean;
}

function payloadOf(decoded: unknown, options: DebeziumSerdeOptions, what: string): unknown {
  if (options.schemas === false) return decoded;
  const payload = withoutConnectSchema(decoded);
  if (options.schemas === true && payload === decoded) throw new SerdeError(`${what}: expected a {schema, payload} JSON value (schemas.enable=true)`);
  return payload;
}

/**
 * Serdes for Debezium topics. Each wraps the serde that turns the bytes into a plain object — JSON by default;
 * pass another (an Avro serde backed by a schema registry) to read the envelopes a Connect converter of that
 * format wrote: the envelope logic only ever sees the decoded object.
 */
export const DebeziumSerdes = {
  /** A change event's key: the row's primary-key columns as an object (`{ id: 1 }`). */
  key<K = { readonly [column: string]: unknown }>(inner: Serde<unknown> = Serdes.Json(), options: DebeziumSerdeOptions = {}): Serde<K> {
    return {
      serialize: (topic, data, headers) => inner.serialize(topic, data, headers),
      deserialize: (topic, data, headers) => {
        const decoded = inner.deserialize(topic, data, headers);
        return decoded === null ? null : (payloadOf(decoded, options, 'Debezium key') as K);
      },
    };
  },

  /**
   * A change event's value, checked and typed (`{ op, before, after, source, tsMs }`). Debezium's tombstone after
   * a delete reads as `null`. A value that is not a Debezium row change fails with a `SerdeError`, which the
   * deserialization handler routes like any unreadable record (log and continue, fail, or dead-letter).
   */
  changeEvent<V = { readonly [column: string]: unknown }>(inner: Serde<unknown> = Serdes.Json(), options: DebeziumSerdeOptions = {}): Serde<ChangeEvent<V>> {
    return {
      serialize: (topic, data, headers) => (data === null ? null : inner.serialize(topic, envelopeOf(data), headers)),
      deserialize: (topic, data, headers) => {
        const decoded = inner.deserialize(topic, data, headers);
        return decoded === null ? null : changeEventOf<V>(payloadOf(decoded, options, 'Debezium value'));
      },
    };
  },
} as const;
