import { SerdeError } from '../../core/errors.js';
import { BlockingHttp, type HttpAnswer } from './blocking-http.js';
import type { RegisteredSchema, SchemaRegistry, SchemaType } from './schema-registry.js';

export interface HttpSchemaRegistryOptions {
  /** The Confluent-compatible API's base URL, e.g. `http://127.0.0.1:8081` (Confluent, Karapace) or Apicurio's `…/apis/ccompat/v7`. */
  readonly url: string;
  readonly auth?: { readonly username: string; readonly password: string };
  /** How long one request may take before it fails; 10 s by default. */
  readonly requestTimeoutMs?: number;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/** The registry's error answer: `{ error_code, message }` (40401 no subject, 40403 no schema, 409 incompatible). */
function registryError(answer: HttpAnswer): string {
  try {
    const { error_code: code, message } = JSON.parse(answer.body) as { error_code?: number; message?: string };
    return `HTTP ${answer.status}${code === undefined ? '' : ` (error ${code})`}: ${message ?? answer.body}`;
  } catch {
    return `HTTP ${answer.status}: ${answer.body.slice(0, 200)}`;
  }
}

/**
 * A Confluent-compatible Schema Registry over its REST API, with every answer cached: schemas by id for good (an id
 * never changes meaning), ids of registered schemas per subject, and the latest version of a subject as first seen.
 * A cache miss blocks the calling thread for one request (see `BlockingHttp`): a serde meets a new id once.
 */
export class HttpSchemaRegistry implements SchemaRegistry {
  readonly location: string;
  private readonly http: BlockingHttp;
  private readonly headers: { [name: string]: string };
  private readonly byId = new Map<number, RegisteredSchema>();
  private readonly idsBySubject = new Map<string, number>();
  private readonly latestBySubject = new Map<string, RegisteredSchema>();

  constructor(options: HttpSchemaRegistryOptions) {
    this.location = options.url.replace(/\/+$/, '');
    this.http = new BlockingHttp(options.requestTimeoutMs ?? 10_000);
    this.headers = { Accept: CONTENT_TYPE, 'Content-Type': CONTENT_TYPE };
    if (options.auth !== undefined) {
      this.headers.Authorization = `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`;
    }
  }

  schemaById(id: number): RegisteredSchema {
    const cached = this.byId.get(id);
    if (cached !== undefined) return cached;
    const doing = `read schema id ${id}`;
    const answer = this.call('GET', `/schemas/ids/${id}`, undefined, doing);
    if (answer.status === 404) throw new SerdeError(`schema id ${id} is not in the registry at ${this.location}`);
    const found = this.parse<{ schema: string; schemaType?: SchemaType }>(answer, doing);
    const schema: RegisteredSchema = { id, schema: found.schema, schemaType: found.schemaType ?? 'AVRO' };
    this.byId.set(id, schema);
    return schema;
  }

  register(subject: string, schema: string, schemaType: SchemaType): number {
    return this.idOf(subject, schema, schemaType, `/subjects/${encodeURIComponent(subject)}/versions`, 'register a schema under');
  }

  lookup(subject: string, schema: string, schemaType: SchemaType): number {
    return this.idOf(subject, schema, schemaType, `/subjects/${encodeURIComponent(subject)}`, 'look up a schema under');
  }

  latest(subject: string): RegisteredSchema {
    const cached = this.latestBySubject.get(subject);
    if (cached !== undefined) return cached;
    const doing = `read the latest schema of subject ${subject}`;
    const answer = this.call('GET', `/subjects/${encodeURIComponent(subject)}/versions/latest`, undefined, doing);
    const found = this.parse<{ id: number; schema: string; schemaType?: SchemaType }>(answer, doing);
    const latest: RegisteredSchema = { id: found.id, schema: found.schema, schemaType: found.schemaType ?? 'AVRO' };
    this.latestBySubject.set(subject, latest);
    this.byId.set(latest.id, latest);
    return latest;
  }

  /** Ends the worker thread behind the blocking requests (caches stay; a later miss starts it again). */
  close(): void {
    this.http.close();
  }

  private idOf(subject: string, schema: string, schemaType: SchemaType, path: string, verb: string): number {
    const key = `${subject}\u0000${schemaType}\u0000${schema}`;
    const cached = this.idsBySubject.get(key);
    if (cached !== undefined) return cached;
    const doing = `${verb} subject ${subject}`;
    const body = JSON.stringify(schemaType === 'AVRO' ? { schema } : { schema, schemaType });
    const { id } = this.parse<{ id: number }>(this.call('POST', path, body, doing), doing);
    this.idsBySubject.set(key, id);
    if (!this.byId.has(id)) this.byId.set(id, { id, schema, schemaType });
    return id;
  }

  private call(method: 'GET' | 'POST', path: string, body: string | undefined, doing: string): HttpAnswer {
    try {
      return this.http.request({ method, url: `${this.location}${path}`, headers: this.headers, ...(body === undefined ? {} : { body }) });
    } catch (error) {
      throw new SerdeError(`cannot ${doing}: the registry at ${this.location} did not answer (${(error as Error).message})`, { cause: error });
    }
  }

  private parse<T>(answer: HttpAnswer, doing: string): T {
    if (answer.status !== 200) throw new SerdeError(`cannot ${doing} at the registry ${this.location}: ${registryError(answer)}`);
    return JSON.parse(answer.body) as T;
  }
}
