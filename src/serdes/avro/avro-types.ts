import avsc from 'avsc';
import { bigintLong, LOGICAL_TYPES } from './avro-logical-types.js';

/** An Avro schema: its JSON text, the parsed JSON, or a primitive type's name (`'string'`). */
export type AvroSchema = string | object;

/** The schema as JSON: a string that is not JSON text is a type's name, as `"string"` is in JSON. */
function schemaJson(schema: AvroSchema): unknown {
  if (typeof schema !== 'string') return schema;
  try {
    return JSON.parse(schema);
  } catch {
    return schema;
  }
}

/**
 * A `long` is read as a bigint wherever it is spelled (`"long"`, or `{ "type": "long", … }` as Debezium writes it),
 * except under the timestamp logical types, which read their underlying long themselves.
 */
function bigintLongs(schema: avsc.Schema): avsc.Type | undefined {
  if (typeof schema !== 'object' || schema === null || (schema as { type?: unknown }).type !== 'long') return undefined;
  const logicalType = (schema as { logicalType?: unknown }).logicalType;
  return typeof logicalType === 'string' && logicalType in LOGICAL_TYPES ? undefined : bigintLong;
}

/**
 * The avsc type of `schema`, with longs as bigints and the logical types of `avro-logical-types.ts`. Each parse
 * gets a registry of its own: named types of one schema must not clash with those of another version of it.
 */
export function avroType(schema: AvroSchema): avsc.Type {
  return avsc.Type.forSchema(schemaJson(schema) as avsc.Schema, { logicalTypes: LOGICAL_TYPES, registry: { long: bigintLong }, typeHook: bigintLongs });
}

/** The schema's JSON text as the registry receives it (a given JSON text is kept as it is, so that lookups match it). */
export function schemaText(schema: AvroSchema): string {
  const json = schemaJson(schema);
  return typeof schema === 'string' && json !== schema ? schema : JSON.stringify(json);
}
