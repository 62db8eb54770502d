import { SerdeError } from '../../core/errors.js';
import type { Serde } from '../../core/serde.js';
import { HttpSchemaRegistry, type HttpSchemaRegistryOptions } from '../registry/http-schema-registry.js';
import type { SchemaRegistry } from '../registry/schema-registry.js';
import type { SubjectNameStrategy } from '../registry/subject-name.js';
import { AvroSerde } from './avro-serde.js';
import { avroType, schemaText, type AvroSchema } from './avro-types.js';

/** A record as a generic serde reads it: field names to values (longs as bigints, logical types converted). */
export type AvroRecord = { readonly [field: string]: unknown };

export interface AvroSerdeOptions {
  /**
   * The Schema Registry: its URL (serdes given the same URL share one client and its caches), the options of a new
   * client, or a `SchemaRegistry` (a client to share, or a `LocalSchemaRegistry` in tests).
   */
  readonly registry: string | HttpSchemaRegistryOptions | SchemaRegistry;
  /** A key serde: its subject is `<topic>-key` (topic strategy). Default `false`, a value serde. */
  readonly isKey?: boolean;
  /** How the subject is named: `'topic'` (default), `'record'` or `'topicRecord'`. */
  readonly subjectNameStrategy?: SubjectNameStrategy;
  /**
   * Register the serde's schema under its subject on the first write to a topic (default `true`). With `false` the
   * schema must be registered there already (its id is looked up), or a generic serde without a schema writes
   * with the subject's latest.
   */
  readonly autoRegister?: boolean;
  /** Write with this registered schema id, registering and looking up nothing. */
  readonly schemaId?: number;
}

const sharedRegistries = new Map<string, HttpSchemaRegistry>();

function registryOf(registry: AvroSerdeOptions['registry']): SchemaRegistry {
  if (typeof registry === 'string') {
    const url = registry.replace(/\/+$/, '');
    let shared = sharedRegistries.get(url);
    if (shared === undefined) sharedRegistries.set(url, (shared = new HttpSchemaRegistry({ url })));
    return shared;
  }
  return 'schemaById' in registry ? registry : new HttpSchemaRegistry(registry);
}

function parsedSchema(schema: AvroSchema | undefined): { type: ReturnType<typeof avroType>; text: string } | undefined {
  if (schema === undefined) return undefined;
  try {
    return { type: avroType(schema), text: schemaText(schema) };
  } catch (error) {
    throw new SerdeError(`not a valid Avro schema: ${(error as Error).message}`, { cause: error });
  }
}

function serdeOf<T>(options: AvroSerdeOptions, schema: AvroSchema | undefined, readIntoSchema: boolean): Serde<T> {
  if (options.schemaId !== undefined && options.autoRegister === true) {
    throw new SerdeError('an Avro serde with a fixed schemaId registers nothing: leave out autoRegister: true');
  }
  return new AvroSerde<T>({
    registry: registryOf(options.registry),
    isKey: options.isKey ?? false,
    subjectNameStrategy: options.subjectNameStrategy ?? 'topic',
    autoRegister: options.schemaId === undefined && (options.autoRegister ?? true),
    schemaId: options.schemaId,
    schema: parsedSchema(schema),
    readIntoSchema,
  });
}

/**
 * Avro serdes in the Confluent Schema Registry wire format (magic byte 0, a 4-byte schema id, the Avro binary),
 * the counterparts of Kafka Streams' `GenericAvroSerde` and `SpecificAvroSerde`. Longs are bigints; the logical
 * types `timestamp-millis` (a `Date`), `timestamp-micros` (a bigint), `decimal` (its exact text) and `uuid` (a
 * string) are converted. The serdes are synchronous: what they need of the registry is fetched on first use and
 * cached (a new schema id blocks the thread for one request), see docs/avro.md.
 */
export const AvroSerdes = {
  /**
   * Reads each record as the schema it was written with; writes with `schema`, or without one with the latest
   * schema of the subject.
   */
  generic<T = AvroRecord>(options: AvroSerdeOptions & { readonly schema?: AvroSchema }): Serde<T> {
    return serdeOf<T>(options, options.schema, false);
  },

  /**
   * Writes with `schema` and reads every record into it, resolved from the schema it was written with (Avro's
   * schema evolution: a field added with a default reads as the default from older records).
   */
  specific<T>(schema: AvroSchema, options: AvroSerdeOptions): Serde<T> {
    return serdeOf<T>(options, schema, true);
  },
};
