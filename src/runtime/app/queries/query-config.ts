import { ConfigError } from '../../../core/errors.js';
import type { Serde } from '../../../core/serde.js';
import { Serdes } from '../../../core/serdes.js';

/** Where an instance can be reached: Kafka Streams' `HostInfo`. */
export interface HostInfo {
  readonly host: string;
  readonly port: number;
}

/**
 * How the query server turns a key in a URL into the store's key: `parseKey` reads the URL text (after percent
 * decoding) into a key, and `keySerde` serializes it the way the topology's sources did, which decides its
 * partition. A store without an entry has string keys (`Serdes.String()`, the text as it is).
 */
export interface QueryKeyCodec<K = unknown> {
  readonly keySerde: Serde<K>;
  readonly parseKey?: (text: string) => K;
}

/** The built-in HTTP query server (docs/runtime.md, "Interactive queries"). */
export interface QueryServerConfig {
  /** The port to listen on; 0 picks a free one (`streams.queryServerAddress()` tells which). */
  readonly port: number;
  /** The interface to listen on; defaults to all of them. */
  readonly host?: string;
  /** Per store, how keys in URLs are read; stores not listed have string keys. */
  readonly keys?: Readonly<{ [store: string]: QueryKeyCodec }>;
  /** How long a forwarded query may take before the gateway answers 504; defaults to 5000 ms. */
  readonly forwardTimeoutMs?: number;
}

export interface ResolvedQueryServerConfig {
  readonly port: number;
  readonly host: string | undefined;
  readonly keys: ReadonlyMap<string, Required<QueryKeyCodec>>;
  readonly forwardTimeoutMs: number;
}

const STRING_KEYS: Required<QueryKeyCodec> = { keySerde: Serdes.String() as Serde<unknown>, parseKey: (text) => text };

export function parseHostInfo(key: string, value: unknown): HostInfo {
  const match = typeof value === 'string' ? /^([^\s:]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(value) : null;
  const port = match === null ? NaN : Number(match[2]);
  if (match === null || port < 1 || port > 65535) throw new ConfigError(key, `must be "host:port" with a port from 1 to 65535, got ${JSON.stringify(value)}`);
  return { host: match[1]!, port };
}

/** The key `hostInfo` is known by in the metadata and in forwarded requests. */
export function hostKey(host: HostInfo): string {
  return `${host.host}:${host.port}`;
}

export function resolveQueryServerConfig(value: unknown, applicationServer: string | undefined): ResolvedQueryServerConfig | undefined {
  if (value === undefined) return undefined;
  const config = value as Partial<QueryServerConfig> | null;
  if (typeof config !== 'object' || config === null) throw new ConfigError('queryServer', 'must be { port, host?, keys?, forwardTimeoutMs? }');
  if (applicationServer === undefined) {
    throw new ConfigError('queryServer', 'needs applicationServer: the "host:port" other instances reach this query server at');
  }
  const { port, host, forwardTimeoutMs } = config;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('queryServer', `port must be an integer from 0 to 65535, got ${String(port)}`);
  if (host !== undefined && (typeof host !== 'string' || host.length === 0)) throw new ConfigError('queryServer', 'host must be a non-empty string');
  if (forwardTimeoutMs !== undefined && (!Number.isInteger(forwardTimeoutMs) || forwardTimeoutMs < 1)) {
    throw new ConfigError('queryServer', `forwardTimeoutMs must be a positive integer, got ${String(forwardTimeoutMs)}`);
  }
  return { port, host, keys: keyCodecs(config.keys), forwardTimeoutMs: forwardTimeoutMs ?? 5_000 };
}

function keyCodecs(keys: QueryServerConfig['keys']): Map<string, Required<QueryKeyCodec>> {
  const codecs = new Map<string, Required<QueryKeyCodec>>();
  for (const [store, codec] of Object.entries(keys ?? {})) {
    if (typeof codec?.keySerde?.serialize !== 'function') throw new ConfigError('queryServer', `keys.${store} must be { keySerde, parseKey? }`);
    const parseKey = codec.parseKey ?? ((text: string) => codec.keySerde.deserialize('', Buffer.from(text, 'utf8')));
    codecs.set(store, { keySerde: codec.keySerde, parseKey });
  }
  return codecs;
}

/** The codec of a store's keys in URLs. */
export function keyCodecOf(config: ResolvedQueryServerConfig, store: string): Required<QueryKeyCodec> {
  return config.keys.get(store) ?? STRING_KEYS;
}
