/** The schema formats a Confluent-compatible registry holds; the serdes here write Avro. */
export type SchemaType = 'AVRO' | 'JSON' | 'PROTOBUF';

export interface RegisteredSchema {
  readonly id: number;
  /** The schema's text as the registry holds it (for Avro, its JSON). */
  readonly schema: string;
  readonly schemaType: SchemaType;
}

/**
 * What the registry serdes need of a Confluent-compatible Schema Registry, synchronously, because serdes are: every
 * answer is cached by the implementation, so a serde asks it on each record and the registry is reached once per
 * schema id or subject. Failures are `SerdeError`s that say which id or subject and why; the serde adds its topic.
 */
export interface SchemaRegistry {
  /** Where the registry is, for error messages. */
  readonly location: string;
  /** The schema with this id. Ids never change meaning, so the answer is cached for good. */
  schemaById(id: number): RegisteredSchema;
  /** Registers `schema` under `subject` (the registry checks its compatibility rule) and returns its id. */
  register(subject: string, schema: string, schemaType: SchemaType): number;
  /** The id of `schema` if it is registered under `subject`; a `SerdeError` if it is not. */
  lookup(subject: string, schema: string, schemaType: SchemaType): number;
  /** The latest version under `subject`, as it was when first asked (kept for the life of this client). */
  latest(subject: string): RegisteredSchema;
}
