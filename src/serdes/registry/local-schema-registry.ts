import { SerdeError } from '../../core/errors.js';
import type { RegisteredSchema, SchemaRegistry, SchemaType } from './schema-registry.js';

/**
 * A schema registry inside the process, for tests with the `TopologyTestDriver` (what Confluent's `mock://` URLs
 * are to its serdes): ids are handed out from 1, the same schema text always gets the same id, and each subject
 * keeps its versions. It checks no compatibility rule; the registry serdes are tested against a real registry too.
 */
export class LocalSchemaRegistry implements SchemaRegistry {
  readonly location = 'in-process';
  private readonly byId = new Map<number, RegisteredSchema>();
  private readonly idsByText = new Map<string, number>();
  private readonly versions = new Map<string, number[]>();

  schemaById(id: number): RegisteredSchema {
    const schema = this.byId.get(id);
    if (schema === undefined) throw new SerdeError(`schema id ${id} is not in the registry at ${this.location}`);
    return schema;
  }

  register(subject: string, schema: string, schemaType: SchemaType): number {
    const key = `${schemaType}\u0000${schema}`;
    let id = this.idsByText.get(key);
    if (id === undefined) {
      id = this.byId.size + 1;
      this.idsByText.set(key, id);
      this.byId.set(id, { id, schema, schemaType });
    }
    const versions = this.versions.get(subject) ?? [];
    if (!versions.includes(id)) versions.push(id);
    this.versions.set(subject, versions);
    return id;
  }

  lookup(subject: string, schema: string, schemaType: SchemaType): number {
    const id = this.idsByText.get(`${schemaType}\u0000${schema}`);
    if (id === undefined || !(this.versions.get(subject) ?? []).includes(id)) {
      throw new SerdeError(`the schema is not registered under subject ${subject} in the registry at ${this.location}`);
    }
    return id;
  }

  latest(subject: string): RegisteredSchema {
    const id = this.versions.get(subject)?.at(-1);
    if (id === undefined) throw new SerdeError(`subject ${subject} is not in the registry at ${this.location}`);
    return this.schemaById(id);
  }

  /** The subjects registered so far, sorted. */
  subjects(): string[] {
    return [...this.versions.keys()].sort();
  }
}
