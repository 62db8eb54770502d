import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { pino } from 'pino';
import { ConfigError } from '../../core/errors.js';
import type { Serde } from '../../core/serde.js';
import type { TimestampExtractor } from '../../topology/node-options.js';
import { DEFAULT_CACHE_MAX_BYTES, DEFAULT_OUTER_JOIN_EMIT_INTERVAL_MS, type InvalidTimestampPolicy, type TaskEngineConfig } from '../../processing/task-engine-config.js';
import type { ExceptionHandler } from '../../processing/exception-handlers.js';
import type { TaskLogger } from '../../processing/task-logger.js';
import type { SaslConfig } from '../client/kafka-client.js';
import type { MetricsRegistry } from '../metrics/prometheus-metrics.js';
import type { ProductionExceptionHandler } from '../tasks/production-exception-handler.js';
import type { StateRestoreListener } from '../tasks/state-restore-listener.js';
import { DEFAULT_TASK_TIMEOUT_MS } from '../tasks/task-retries.js';
import { parseHostInfo, resolveQueryServerConfig, type QueryServerConfig, type ResolvedQueryServerConfig } from './queries/query-config.js';

export type ProcessingGuarantee = 'at_least_once' | 'exactly_once';

/** The Kafka client adapters the runtime ships with. */
export type KafkaClientName = 'kafkajs' | 'platformatic';
const CLIENT_NAMES: readonly string[] = ['kafkajs', 'platformatic'];

/** The level of the default logger (pino's level names). */
export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';
const LOG_LEVELS: readonly string[] = ['silent', 'error', 'warn', 'info', 'debug'];

/**
 * What a `KafkaStreams` instance is configured with; only `applicationId` and `bootstrapServers` are required
 * (`bootstrapServers` not when the instance is given its client, `KafkaStreamsOptions.client`).
 * The task-level settings (`cacheMaxBytes`, default serdes, event time, `lateRecordsTopic`) are those of
 * `TaskEngineConfig`.
 */
export interface StreamsConfig
  extends Pick<
    TaskEngineConfig,
    | 'cacheMaxBytes'
    | 'defaultKeySerde'
    | 'defaultValueSerde'
    | 'defaultTimestampExtractor'
    | 'invalidTimestampPolicy'
    | 'lateRecordsTopic'
    | 'outerJoinEmitIntervalMs'
  > {
  /** The consumer group id, the prefix of internal topics and the name of the state directory. */
  readonly applicationId: string;
  /** `"host:port"` or a list of them; may be left out when the instance is given its client. */
  readonly bootstrapServers?: string | readonly string[];
  /** Defaults to `'at_least_once'`. */
  readonly processingGuarantee?: ProcessingGuarantee;
  /** Defaults to 30000 ms, or 100 ms under exactly-once (as Kafka Streams). */
  readonly commitIntervalMs?: number;
  /** Defaults to `<os tmpdir>/kstreams`; task state lives in `<stateDir>/<applicationId>/<taskId>/`. */
  readonly stateDir?: string;
  /** Defaults to `'fail'`, or to `'continue'` when `deadLetterTopic` is set. */
  readonly deserializationExceptionHandler?: ExceptionHandler;
  /** Defaults to `'fail'`, or to `'continue'` when `deadLetterTopic` is set. */
  readonly processingExceptionHandler?: ExceptionHandler;
  /** Defaults to `'fail'`, or to `'continue'` when `deadLetterTopic` is set. */
  readonly productionExceptionHandler?: ProductionExceptionHandler;
  /**
   * Every input record that a deserialization or processing handler skips (`'continue'`), and every input record
   * whose output the broker refused and the production handler dropped, is written here, with its original key,
   * value and headers plus `__kstreams.error.*` headers (in the task's transaction under exactly-once).
   */
  readonly deadLetterTopic?: string;
  /**
   * A pino logger (or anything with the same methods); each task logs through a child of it. Defaults to pino
   * writing JSON lines to stderr at `logLevel`, so that warnings and fatal errors are never silent.
   */
  readonly logger?: TaskLogger;
  /**
   * The level of the default logger, which writes JSON lines (pino) to stderr; defaults to the environment variable
   * `KSTREAMS_LOG_LEVEL`, else `'warn'` (`'info'` shows the lifecycle: state changes, assignments, restoration,
   * processing summaries). Not allowed together with `logger`: set the level on your own logger.
   */
  readonly logLevel?: LogLevel;
  /**
   * How often each stream thread logs a summary at info (records processed, commits and their latency since the
   * previous one), as Kafka Streams' `log.summary.interval.ms`; defaults to 120000 ms.
   */
  readonly logSummaryIntervalMs?: number;
  /**
   * Hears of every store partition restored from its changelog, global stores included (Kafka Streams'
   * `StateRestoreListener`); `KafkaStreams.setGlobalStateRestoreListener()` sets it too.
   */
  readonly stateRestoreListener?: StateRestoreListener;
  /**
   * The prom-client `Registry` the instance's metrics are registered in (one instance per registry); defaults to a
   * registry of its own, `KafkaStreams.metricsRegistry()`.
   */
  readonly metricsRegistry?: MetricsRegistry;
  /** Serves the metrics registry at `http://<metricsHost>:<metricsPort>/metrics` from `start()` to `close()`; off by default. 0 picks a free port. */
  readonly metricsPort?: number;
  /** The address the metrics endpoint listens on; defaults to `127.0.0.1`. */
  readonly metricsHost?: string;
  /**
   * The consumer group's session timeout: an instance that sends no heartbeat for this long is taken out of the
   * group and its tasks move. Defaults to 10000 ms (Kafka's default is 45000): a crashed instance's tasks move
   * sooner. The broker bounds it (`group.min.session.timeout.ms`, `group.max.session.timeout.ms`).
   */
  readonly sessionTimeoutMs?: number;
  /** How often the consumer heartbeats to the group; below `sessionTimeoutMs`, defaults to 1000 ms. */
  readonly heartbeatIntervalMs?: number;
  /**
   * How long a task may keep failing on retriable errors (broker down, coordinators moving), and the group consumer
   * stay out of its group, before the client fails with `BROKER_UNAVAILABLE` naming what kept failing. Defaults to
   * 300000 ms, as Kafka Streams' `task.timeout.ms`; 0 makes the first such failure fatal.
   */
  readonly taskTimeoutMs?: number;
  /**
   * Installs a SIGTERM and SIGINT handler in `start()` that closes the client (commit, leave the group, release the
   * state directory), then ends the process if nothing else listens for the signal; removed when the client
   * closes or fails. Defaults to `false`: add your own handler that calls `close()`.
   */
  readonly installShutdownHook?: boolean;
  /**
   * The Kafka client the instance runs on: `'platformatic'` (@platformatic/kafka, the default: about twice kafkajs'
   * throughput at half its CPU, see docs/runtime.md, "Clients") or `'kafkajs'`. Not allowed together with an injected client (`KafkaStreamsOptions.client`).
   */
  readonly client?: KafkaClientName;
  /** Defaults to the application id. */
  readonly clientId?: string;
  readonly ssl?: boolean | ConnectionOptions;
  readonly sasl?: SaslConfig;
  /** A partition is paused once its task buffers this many records, and resumed below half; defaults to 1000. */
  readonly maxBufferedRecordsPerPartition?: number;
  /**
   * How many stream threads run this instance's tasks (Kafka Streams' `num.stream.threads`); defaults to 1, which
   * runs them on the calling thread. Above 1 each runs in a worker thread as a group member of its own, which needs a
   * `TopologyModule` instead of a `Topology` (see docs/runtime.md, "Stream threads").
   */
  readonly numStreamThreads?: number;
  /**
   * `"host:port"` where other instances reach this one's query server (Kafka Streams' `application.server`):
   * announced to the group, so that every instance knows which instance holds which task
   * (`queryMetadataForKey`, `metadataForAllStreamsClients`). Defaults to none: the instance is not listed.
   */
  readonly applicationServer?: string;
  /** Starts the built-in HTTP query server with `start()` (docs/runtime.md, "Interactive queries"); needs `applicationServer`. */
  readonly queryServer?: QueryServerConfig;
}

/** The config with every default applied. */
export interface ResolvedStreamsConfig {
  readonly applicationId: string;
  readonly bootstrapServers: readonly string[];
  readonly processingGuarantee: ProcessingGuarantee;
  readonly commitIntervalMs: number;
  readonly stateDir: string;
  readonly cacheMaxBytes: number;
  readonly outerJoinEmitIntervalMs: number;
  readonly defaultKeySerde: Serde<unknown> | undefined;
  readonly defaultValueSerde: Serde<unknown> | undefined;
  readonly deserializationExceptionHandler: ExceptionHandler;
  readonly processingExceptionHandler: ExceptionHandler;
  readonly productionExceptionHandler: ProductionExceptionHandler;
  readonly deadLetterTopic: string | undefined;
  readonly defaultTimestampExtractor: TimestampExtractor | undefined;
  readonly invalidTimestampPolicy: InvalidTimestampPolicy;
  readonly lateRecordsTopic: string | undefined;
  readonly logger: TaskLogger;
  readonly logSummaryIntervalMs: number;
  readonly stateRestoreListener: StateRestoreListener | undefined;
  readonly metricsRegistry: MetricsRegistry | undefined;
  readonly metricsPort: number | undefined;
  readonly metricsHost: string;
  readonly client: KafkaClientName;
  readonly clientId: string;
  readonly ssl: boolean | ConnectionOptions | undefined;
  readonly sasl: SaslConfig | undefined;
  readonly maxBufferedRecordsPerPartition: number;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly taskTimeoutMs: number;
  readonly installShutdownHook: boolean;
  readonly numStreamThreads: number;
  readonly applicationServer: string | undefined;
  readonly queryServer: ResolvedQueryServerConfig | undefined;
}

const KNOWN_KEYS: ReadonlySet<string> = new Set([
  'applicationId', 'bootstrapServers', 'processingGuarantee', 'commitIntervalMs', 'stateDir', 'cacheMaxBytes',
  'defaultKeySerde', 'defaultValueSerde', 'deserializationExceptionHandler', 'processingExceptionHandler',
  'productionExceptionHandler', 'deadLetterTopic', 'defaultTimestampExtractor', 'invalidTimestampPolicy', 'lateRecordsTopic', 'logger',
  'clientId', 'ssl', 'sasl', 'maxBufferedRecordsPerPartition', 'logLevel', 'sessionTimeoutMs', 'heartbeatIntervalMs', 'installShutdownHook',
  'taskTimeoutMs', 'outerJoinEmitIntervalMs', 'numStreamThreads', 'client', 'applicationServer', 'queryServer',
  'logSummaryIntervalMs', 'stateRestoreListener', 'metricsRegistry', 'metricsPort', 'metricsHost',
]);
const INVALID_TIMESTAMP_POLICIES: readonly string[] = ['fail', 'skip', 'usePartitionTime'];

/** Kafka's legal topic characters; the application id becomes part of topic names, so it obeys the same rule. */
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'];

/**
 * Checks every key and applies defaults; throws a `ConfigError` naming the first offending key. With a client of
 * its own (`clientGiven`), the instance may do without `bootstrapServers` (they resolve to none).
 */
export function resolveStreamsConfig(config: StreamsConfig, { clientGiven = false }: { clientGiven?: boolean } = {}): ResolvedStreamsConfig {
  if (typeof config !== 'object' || config === null) throw new ConfigError('config', 'must be an object');
  for (const key of Object.keys(config)) if (!KNOWN_KEYS.has(key)) throw new ConfigError(key, 'is not a known setting');
  const applicationId = requireTopicLike('applicationId', config.applicationId);
  const processingGuarantee = config.processingGuarantee ?? 'at_least_once';
  if (processingGuarantee !== 'at_least_once' && processingGuarantee !== 'exactly_once') {
    throw new ConfigError('processingGuarantee', `must be 'at_least_once' or 'exactly_once', got ${String(processingGuarantee)}`);
  }
  const deadLetterTopic = config.deadLetterTopic === undefined ? undefined : requireTopicLike('deadLetterTopic', config.deadLetterTopic);
  const skipByDefault: ExceptionHandler = deadLetterTopic === undefined ? 'fail' : 'continue';
  return {
    applicationId,
    bootstrapServers: clientGiven && config.bootstrapServers === undefined ? [] : requireServers(config.bootstrapServers),
    processingGuarantee,
    commitIntervalMs: optionalInteger('commitIntervalMs', config.commitIntervalMs, 0) ?? (processingGuarantee === 'exactly_once' ? 100 : 30_000),
    stateDir: optionalString('stateDir', config.stateDir) ?? join(tmpdir(), 'kstreams'),
    cacheMaxBytes: optionalInteger('cacheMaxBytes', config.cacheMaxBytes, 0) ?? DEFAULT_CACHE_MAX_BYTES,
    outerJoinEmitIntervalMs: optionalInteger('outerJoinEmitIntervalMs', config.outerJoinEmitIntervalMs, 0) ?? DEFAULT_OUTER_JOIN_EMIT_INTERVAL_MS,
    defaultKeySerde: optionalSerde('defaultKeySerde', config.defaultKeySerde),
    defaultValueSerde: optionalSerde('defaultValueSerde', config.defaultValueSerde),
    deserializationExceptionHandler: optionalHandler('deserializationExceptionHandler', config.deserializationExceptionHandler) ?? skipByDefault,
    processingExceptionHandler: optionalHandler('processingExceptionHandler', config.processingExceptionHandler) ?? skipByDefault,
    productionExceptionHandler: optionalHandler('productionExceptionHandler', config.productionExceptionHandler) ?? skipByDefault,
    deadLetterTopic,
    defaultTimestampExtractor: optionalFunction('defaultTimestampExtractor', config.defaultTimestampExtractor),
    invalidTimestampPolicy: optionalPolicy(config.invalidTimestampPolicy) ?? 'fail',
    lateRecordsTopic: config.lateRecordsTopic === undefined ? undefined : requireTopicLike('lateRecordsTopic', config.lateRecordsTopic),
    logger: optionalLogger(config.logger, config.logLevel) ?? defaultLogger(optionalLogLevel('logLevel', config.logLevel) ?? optionalLogLevel('KSTREAMS_LOG_LEVEL', process.env.KSTREAMS_LOG_LEVEL) ?? 'warn'),
    logSummaryIntervalMs: optionalInteger('logSummaryIntervalMs', config.logSummaryIntervalMs, 1) ?? 120_000,
    stateRestoreListener: optionalRestoreListener(config.stateRestoreListener),
    metricsRegistry: optionalRegistry(config.metricsRegistry),
    metricsPort: optionalPort(config.metricsPort),
    metricsHost: optionalString('metricsHost', config.metricsHost) ?? '127.0.0.1',
    client: optionalClientName(config.client, clientGiven) ?? 'platformatic',
    clientId: optionalString('clientId', config.clientId) ?? applicationId,
    ssl: optionalSsl(config.ssl),
    sasl: optionalSasl(config.sasl),
    maxBufferedRecordsPerPartition: optionalInteger('maxBufferedRecordsPerPartition', config.maxBufferedRecordsPerPartition, 1) ?? 1000,
    ...groupTimeouts(config),
    taskTimeoutMs: optionalInteger('taskTimeoutMs', config.taskTimeoutMs, 0) ?? DEFAULT_TASK_TIMEOUT_MS,
    installShutdownHook: optionalBoolean('installShutdownHook', config.installShutdownHook) ?? false,
    numStreamThreads: optionalInteger('numStreamThreads', config.numStreamThreads, 1) ?? 1,
    ...queryConfig(config),
  };
}

/** Kafka requires the heartbeat interval below the session timeout (a third of it is the usual advice). */
function groupTimeouts(config: StreamsConfig): { sessionTimeoutMs: number; heartbeatIntervalMs: number } {
  const sessionTimeoutMs = optionalInteger('sessionTimeoutMs', config.sessionTimeoutMs, 2) ?? 10_000;
  const heartbeatIntervalMs = optionalInteger('heartbeatIntervalMs', config.heartbeatIntervalMs, 1) ?? Math.max(1, Math.min(1_000, Math.floor(sessionTimeoutMs / 3)));
  if (heartbeatIntervalMs >= sessionTimeoutMs) {
    throw new ConfigError('heartbeatIntervalMs', `must be below sessionTimeoutMs (${sessionTimeoutMs}), got ${heartbeatIntervalMs}`);
  }
  return { sessionTimeoutMs, heartbeatIntervalMs };
}

function queryConfig(config: StreamsConfig): Pick<ResolvedStreamsConfig, 'applicationServer' | 'queryServer'> {
  const { applicationServer } = config;
  if (applicationServer !== undefined) parseHostInfo('applicationServer', applicationServer);
  return { applicationServer, queryServer: resolveQueryServerConfig(config.queryServer, applicationServer) };
}

/** Without a logger of the user's, warnings and errors still reach someone: pino's JSON lines on stderr. */
function defaultLogger(level: LogLevel): TaskLogger {
  return pino({ name: 'kstreams', level }, pino.destination({ fd: 2, sync: true }));
}

function requireTopicLike(key: string, value: unknown): string {
  if (typeof value !== 'string' || !TOPIC_NAME.test(value)) {
    throw new ConfigError(key, `must be 1 to 249 characters of [a-zA-Z0-9._-], got ${JSON.stringify(value)}`);
  }
  return value;
}

function requireServers(value: unknown): string[] {
  const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((s) => typeof s === 'string' && /^[^\s:]+:\d+$/.test(s))) {
    throw new ConfigError('bootstrapServers', `must be "host:port" or a non-empty list of them, got ${JSON.stringify(value)}`);
  }
  return list as string[];
}

function optionalInteger(key: string, value: unknown, minimum: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
    throw new ConfigError(key, `must be an integer of at least ${minimum}, got ${String(value)}`);
  }
  return value;
}

function optionalString(key: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) throw new ConfigError(key, 'must be a non-empty string');
  return value;
}

function optionalSerde(key: string, value: unknown): Serde<unknown> | undefined {
  if (value === undefined) return undefined;
  const serde = value as Partial<Serde<unknown>> | null;
  if (typeof serde !== 'object' || serde === null || typeof serde.serialize !== 'function' || typeof serde.deserialize !== 'function') {
    throw new ConfigError(key, 'must be a serde (an object with serialize and deserialize)');
  }
  return value as Serde<unknown>;
}

function optionalFunction<F>(key: string, value: F | undefined): F | undefined {
  if (value === undefined || typeof value === 'function') return value;
  throw new ConfigError(key, `must be a function, got a ${typeof value}`);
}

function optionalPolicy(value: unknown): InvalidTimestampPolicy | undefined {
  if (value === undefined || INVALID_TIMESTAMP_POLICIES.includes(value as string)) return value as InvalidTimestampPolicy | undefined;
  throw new ConfigError('invalidTimestampPolicy', `must be 'fail', 'skip' or 'usePartitionTime', got ${JSON.stringify(value)}`);
}

function optionalHandler<H>(key: string, value: H | undefined): H | undefined {
  if (value === undefined || value === 'fail' || value === 'continue' || typeof value === 'function') return value;
  throw new ConfigError(key, `must be 'fail', 'continue' or a function, got ${JSON.stringify(value)}`);
}

function optionalBoolean(key: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new ConfigError(key, `must be true or false, got ${JSON.stringify(value)}`);
}

function optionalLogLevel(key: string, value: unknown): LogLevel | undefined {
  if (value === undefined || value === '' || LOG_LEVELS.includes(value as string)) return value === '' ? undefined : (value as LogLevel | undefined);
  throw new ConfigError(key, `must be one of ${LOG_LEVELS.map((l) => `'${l}'`).join(', ')}, got ${JSON.stringify(value)}`);
}

function optionalLogger(value: unknown, level: unknown): TaskLogger | undefined {
  if (value === undefined) return undefined;
  if (level !== undefined) throw new ConfigError('logLevel', 'applies to the default logger only; set the level on the logger you pass');
  const logger = value as Partial<TaskLogger> | null;
  const methods = ['debug', 'info', 'warn', 'error', 'child'] as const;
  if (typeof logger !== 'object' || logger === null || !methods.every((m) => typeof logger[m] === 'function')) {
    throw new ConfigError('logger', 'must be a pino logger (debug, info, warn, error and child methods)');
  }
  return value as TaskLogger;
}

function optionalRestoreListener(value: unknown): StateRestoreListener | undefined {
  if (value === undefined) return undefined;
  const listener = value as Partial<StateRestoreListener> | null;
  const methods = ['onRestoreStart', 'onBatchRestored', 'onRestoreEnd'] as const;
  if (typeof listener !== 'object' || listener === null || !methods.every((m) => typeof listener[m] === 'function')) {
    throw new ConfigError('stateRestoreListener', 'must have onRestoreStart, onBatchRestored and onRestoreEnd methods');
  }
  return value as StateRestoreListener;
}

function optionalRegistry(value: unknown): MetricsRegistry | undefined {
  if (value === undefined) return undefined;
  const registry = value as Partial<MetricsRegistry> | null;
  if (typeof registry !== 'object' || registry === null || typeof registry.registerMetric !== 'function' || typeof registry.metrics !== 'function') {
    throw new ConfigError('metricsRegistry', "must be a prom-client Registry (import { Registry } from 'prom-client')");
  }
  return value as MetricsRegistry;
}

function optionalPort(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65_535) throw new ConfigError('metricsPort', `must be a port number from 0 to 65535, got ${String(value)}`);
  return value;
}

function optionalClientName(value: unknown, clientGiven: boolean): KafkaClientName | undefined {
  if (value === undefined) return undefined;
  if (!CLIENT_NAMES.includes(value as string)) throw new ConfigError('client', `must be 'kafkajs' or 'platformatic', got ${JSON.stringify(value)}`);
  if (clientGiven) throw new ConfigError('client', 'names the client the instance makes itself; it cannot be set when the instance is given its client');
  return value as KafkaClientName;
}

function optionalSsl(value: unknown): boolean | ConnectionOptions | undefined {
  if (value === undefined || typeof value === 'boolean' || (typeof value === 'object' && value !== null)) {
    return value as boolean | ConnectionOptions | undefined;
  }
  throw new ConfigError('ssl', 'must be a boolean or TLS connection options');
}

function optionalSasl(value: unknown): SaslConfig | undefined {
  if (value === undefined) return undefined;
  const sasl = value as Partial<SaslConfig> | null;
  if (
    typeof sasl !== 'object' || sasl === null || !SASL_MECHANISMS.includes(String(sasl.mechanism)) ||
    typeof sasl.username !== 'string' || typeof sasl.password !== 'string'
  ) {
    throw new ConfigError('sasl', `must be { mechanism: ${SASL_MECHANISMS.join(' | ')}, username, password }`);
  }
  return value as SaslConfig;
}
