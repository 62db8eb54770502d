import type avsc from 'avsc';
import { describeError, SerdeError } from '../../core/errors.js';
import type { Serde } from '../../core/serde.js';
import type { SchemaRegistry } from '../registry/schema-registry.js';
import { subjectName, type SubjectNameStrategy } from '../registry/subject-name.js';
import { frame, unframe } from '../registry/wire-format.js';
import { avroType } from './avro-types.js';

export interface AvroSerdeSettings {
  readonly registry: SchemaRegistry;
  readonly isKey: boolean;
  readonly subjectNameStrategy: SubjectNameStrategy;
  readonly autoRegister: boolean;
  /** Write with this registered schema instead of registering or looking one up. */
  readonly schemaId: number | undefined;
  /** The schema written (and read into, with `readIntoSchema`); `undefined` writes the subject's latest schema. */
  readonly schema: { readonly type: avsc.Type; readonly text: string } | undefined;
  /** Read every record into `schema`, resolved from the schema it was written with (a specific serde), not as written. */
  readonly readIntoSchema: boolean;
}

interface Writer {
  readonly id: number;
  readonly type: avsc.Type;
}

type Reader = (payload: Buffer) => unknown;

/**
 * An Avro serde in the Schema Registry's wire format. Writing, it finds the schema id for the topic once (register,
 * look up, latest or fixed) and frames each encoded record with it. Reading, it makes one reader per schema id met:
 * the writer's schema by that id, resolved into the reader's schema when it has one. Both are cached for the
 * serde's life, so the registry is asked once per topic and once per id; a schema that cannot be read is
 * remembered too, and each of its records fails alike.
 */
export class AvroSerde<T> implements Serde<T> {
  private readonly writers = new Map<string, Writer>();
  private readonly readers = new Map<number, Reader>();
  private readonly unreadable = new Map<number, string>();
  private readonly role: string;

  constructor(private readonly settings: AvroSerdeSettings) {
    this.role = settings.isKey ? 'key' : 'value';
  }

  serialize(topic: string, data: T | null): Buffer | null {
    if (data === null || data === undefined) return null;
    const writer = this.writers.get(topic) ?? this.writerFor(topic);
    let payload: Buffer;
    try {
      payload = writer.type.toBuffer(data);
    } catch (error) {
      const problem = invalidPaths(writer.type, data) ?? describeError(error);
      throw new SerdeError(`cannot serialize the Avro ${this.role} for topic ${topic} with schema id ${writer.id}: ${problem}`, { cause: error, coordinates: { topic }, schemaId: writer.id });
    }
    return frame(writer.id, payload);
  }

  deserialize(topic: string, data: Buffer | null): T | null {
    if (data === null || data === undefined) return null;
    const unframed = unframe(data);
    if ('problem' in unframed) throw new SerdeError(`cannot deserialize the Avro ${this.role} of topic ${topic}: ${unframed.problem}`, { coordinates: { topic } });
    const { schemaId, payload } = unframed;
    const reader = this.readers.get(schemaId) ?? this.readerFor(topic, schemaId);
    try {
      return reader(payload) as T;
    } catch (error) {
      throw new SerdeError(`cannot deserialize the Avro ${this.role} of topic ${topic}: the bytes do not hold a record of schema id ${schemaId} (${describeError(error)})`, {
        cause: error,
        coordinates: { topic },
        schemaId,
      });
    }
  }

  private writerFor(topic: string): Writer {
    const { registry, schema, schemaId } = this.settings;
    let writer: Writer;
    try {
      if (schemaId !== undefined) {
        writer = { id: schemaId, type: schema?.type ?? avroType(registry.schemaById(schemaId).schema) };
      } else if (schema === undefined) {
        const latest = registry.latest(subjectName(this.settings.subjectNameStrategy, topic, this.settings.isKey, undefined));
        writer = { id: latest.id, type: avroType(latest.schema) };
      } else {
        const subject = subjectName(this.settings.subjectNameStrategy, topic, this.settings.isKey, schema.type.name);
        const id = this.settings.autoRegister ? registry.register(subject, schema.text, 'AVRO') : registry.lookup(subject, schema.text, 'AVRO');
        writer = { id, type: schema.type };
      }
    } catch (error) {
      throw new SerdeError(`cannot serialize the Avro ${this.role} for topic ${topic}: ${messageOf(error)}`, { cause: error, coordinates: { topic }, ...(schemaId === undefined ? {} : { schemaId }) });
    }
    this.writers.set(topic, writer);
    return writer;
  }

  private readerFor(topic: string, schemaId: number): Reader {
    const fail = (problem: string, cause?: unknown): never => {
      throw new SerdeError(`cannot deserialize the Avro ${this.role} of topic ${topic}: ${problem}`, { cause, coordinates: { topic }, schemaId });
    };
    const known = this.unreadable.get(schemaId);
    if (known !== undefined) return fail(known);
    let registered;
    try {
      registered = this.settings.registry.schemaById(schemaId);
    } catch (error) {
      // Not remembered: the registry may be back, or know the id, on the next record.
      return fail(messageOf(error), error);
    }
    let reader: Reader;
    try {
      reader = this.readerOf(schemaId, registered.schemaType, registered.schema);
    } catch (error) {
      this.unreadable.set(schemaId, messageOf(error));
      return fail(messageOf(error), error);
    }
    this.readers.set(schemaId, reader);
    return reader;
  }

  /** Decodes as the writer's schema (generic), or resolved into the serde's own (specific); throws when it cannot. */
  private readerOf(schemaId: number, schemaType: string, text: string): Reader {
    if (schemaType !== 'AVRO') throw new Error(`schema id ${schemaId} is a ${schemaType} schema, not an Avro one`);
    let writer: avsc.Type;
    try {
      writer = avroType(text);
    } catch (error) {
      throw new Error(`schema id ${schemaId} is not a valid Avro schema: ${describeError(error)}`);
    }
    const readerType = this.settings.readIntoSchema ? this.settings.schema?.type : undefined;
    if (readerType === undefined) return (payload) => writer.fromBuffer(payload);
    if (readerType.equals(writer)) return (payload) => readerType.fromBuffer(payload);
    try {
      const resolver = readerType.createResolver(writer);
      return (payload) => readerType.fromBuffer(payload, resolver);
    } catch (error) {
      throw new Error(`the writer's schema (id ${schemaId}${writer.name ? `, ${writer.name}` : ''}) cannot be read as the reader's schema${readerType.name ? ` ${readerType.name}` : ''}: ${(error as Error).message}`);
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Where `data` does not fit `type`, by path and expected type (never the values: they may be personal data). */
function invalidPaths(type: avsc.Type, data: unknown): string | undefined {
  const paths: string[] = [];
  type.isValid(data, { errorHook: (path, _value, at) => paths.push(`${path.length === 0 ? 'the record' : path.join('.')} is not a valid ${at.typeName}`) });
  return paths.length === 0 ? undefined : paths.join('; ');
}
