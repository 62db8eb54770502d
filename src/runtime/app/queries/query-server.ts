import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, StreamsError } from '../../../core/errors.js';
import { hostKey, keyCodecOf, type HostInfo, type ResolvedQueryServerConfig } from './query-config.js';
import { FORWARDED_HEADER, forwardQuery, type ForwardedAnswer } from './query-forwarding.js';
import type { LocalStoreQuery } from './local-store-query.js';
import type { StreamsMetadataState } from './streams-metadata-state.js';

interface Answer {
  readonly forwarded?: undefined;
  readonly status: number;
  readonly body: unknown;
}

/** A route's match: the store, the key text when the path names one, and whether windows were asked for. */
interface Route {
  readonly store: string;
  readonly key: string | undefined;
  readonly windows: boolean;
}

const ROUTE = /^\/stores\/([^/]+)\/keys(?:\/([^/]+)(\/windows)?)?$/;

/**
 * The built-in HTTP query server (Node's `http`): `GET /stores/<store>/keys/<key>`, `…/keys/<key>/windows?from=&to=`,
 * `…/keys?from=&to=` (a range over every instance), `GET /metadata` and `GET /sql?q=` (this instance's stores). A key held by another instance is asked
 * there (one hop, marked with a header so that the other side never passes it on); a store that cannot answer
 * now (a rebalance, a restoring task) is 503 with `Retry-After`, never an empty answer.
 */
export class QueryServer {
  private server: Server | null = null;

  constructor(
    private readonly config: ResolvedQueryServerConfig,
    private readonly self: HostInfo,
    private readonly metadata: StreamsMetadataState,
    private readonly local: LocalStoreQuery,
    /** `streams.query`: SQL over this instance's stores (never forwarded: it reads local state by design). */
    private readonly sql: (statement: string) => unknown[],
  ) {}

  async start(): Promise<AddressInfo> {
    const server = createServer((request, response) => void this.handle(request, response));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) => reject(new ConfigError('queryServer', `cannot listen on ${this.config.host ?? '*'}:${this.config.port}: ${error.message}`)));
      server.listen(this.config.port, this.config.host, () => resolve());
    });
    return server.address() as AddressInfo;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server === null) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://query');
    const forwarded = request.headers[FORWARDED_HEADER] !== undefined;
    try {
      if (request.method !== 'GET') return send(response, { status: 405, body: { error: 'METHOD_NOT_ALLOWED', message: 'queries are GET requests' } });
      if (url.pathname === '/metadata') return send(response, { status: 200, body: this.metadata.allMetadata() });
      if (url.pathname === '/sql') return send(response, { status: 200, body: { rows: this.sql(url.searchParams.get('q') ?? '') } });
      const match = ROUTE.exec(url.pathname);
      if (match === null) return send(response, { status: 404, body: { error: 'NOT_FOUND', message: `no route ${url.pathname}` } });
      const route = { store: decodeURIComponent(match[1]!), key: match[2] === undefined ? undefined : decodeURIComponent(match[2]), windows: match[3] !== undefined };
      const answer = route.key === undefined ? await this.range(route, url, forwarded) : await this.keyQuery(route, route.key, url, forwarded);
      if (answer.forwarded) return relay(response, answer);
      return send(response, answer);
    } catch (error) {
      return send(response, errorAnswer(error));
    }
  }

  /** A key's value or windows: from here when this instance holds its task, else from the instance that does. */
  private async keyQuery(route: Route, text: string, url: URL, forwarded: boolean): Promise<Answer | ForwardedAnswer> {
    const codec = keyCodecOf(this.config, route.store);
    const key = codec.parseKey(text);
    const { activeHost, partition } = this.metadata.keyQueryMetadata(route.store, key, codec.keySerde);
    if (hostKey(activeHost) !== hostKey(this.self)) {
      if (forwarded) throw new StreamsError('STORE_NOT_AVAILABLE', 'the instance that forwarded this query and this one disagree on who holds the key (a rebalance); retry', { coordinates: { store: route.store } });
      return forwardQuery(activeHost, url.pathname + url.search, hostKey(this.self), this.config.forwardTimeoutMs);
    }
    const base = { store: route.store, key, partition, host: hostKey(this.self) };
    if (route.windows) {
      const windows = this.local.windows(route.store, key, partition, timeParam(url, 'from', 0), timeParam(url, 'to', Number.MAX_SAFE_INTEGER));
      return { status: 200, body: { ...base, windows } };
    }
    const value = this.local.get(route.store, key, partition);
    return value === null ? { status: 404, body: { ...base, error: 'KEY_NOT_FOUND' } } : { status: 200, body: { ...base, value } };
  }

  /**
   * A range over the whole store: this instance's share, and each other instance's (asked once, marked as
   * forwarded). Any share that cannot be read makes the whole answer a 503: never a range with a hole in it.
   */
  private async range(route: Route, url: URL, forwarded: boolean): Promise<Answer | ForwardedAnswer> {
    const codec = keyCodecOf(this.config, route.store);
    const bound = (name: string) => (url.searchParams.has(name) ? codec.parseKey(url.searchParams.get(name)!) : null);
    const entries = this.local.range(route.store, bound('from'), bound('to'));
    if (forwarded) return { status: 200, body: { store: route.store, entries } };
    const others = this.metadata.metadataForStore(route.store).filter((m) => hostKey(m.hostInfo) !== hostKey(this.self));
    const answers = await Promise.all(others.map((m) => forwardQuery(m.hostInfo, url.pathname + url.search, hostKey(this.self), this.config.forwardTimeoutMs)));
    const failed = answers.find((a) => a.status !== 200);
    if (failed !== undefined) return failed;
    const shares = answers.map((a) => (JSON.parse(a.body) as { entries: unknown[] }).entries);
    return { status: 200, body: { store: route.store, entries: [...entries, ...shares.flat()] } };
  }
}

function timeParam(url: URL, name: string, fallback: number): number {
  const text = url.searchParams.get(name);
  if (text === null) return fallback;
  const value = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isSafeInteger(value)) throw new StreamsError('STATE_MISUSE', `query parameter ${name} must be epoch milliseconds or an ISO date-time, got ${text}`);
  return value;
}

function errorAnswer(error: unknown): Answer {
  if (!(error instanceof StreamsError)) return { status: 500, body: { error: 'INTERNAL', message: String(error) } };
  const status = error.code === 'STORE_NOT_AVAILABLE' ? 503 : ['ILLEGAL_STATE', 'STATE_MISUSE', 'SERDE_FAILED'].includes(error.code) ? 400 : 500;
  return { status, body: { error: error.code, message: error.message } };
}

function send(response: ServerResponse, answer: Answer): void {
  const headers: { [name: string]: string } = { 'content-type': 'application/json' };
  if (answer.status === 503) headers['retry-after'] = '1';
  response.writeHead(answer.status, headers).end(JSON.stringify(answer.body, jsonValue));
}

function relay(response: ServerResponse, answer: ForwardedAnswer): void {
  const headers: { [name: string]: string } = { 'content-type': 'application/json' };
  if (answer.retryAfter !== undefined) headers['retry-after'] = answer.retryAfter;
  response.writeHead(answer.status, headers).end(answer.body);
}

/** Values as JSON: 64-bit integers (bigint) as decimal strings, which JSON numbers cannot hold exactly. */
function jsonValue(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
