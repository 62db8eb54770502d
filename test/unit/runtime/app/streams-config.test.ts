import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pino } from 'pino';
import { ConfigError } from '../../../../src/core/errors.js';
import { Serdes } from '../../../../src/core/serdes.js';
import { resolveStreamsConfig, type StreamsConfig } from '../../../../src/runtime/app/streams-config.js';
import { TimestampExtractors } from '../../../../src/topology/timestamp-extractors.js';

const base: StreamsConfig = { applicationId: 'orders-app', bootstrapServers: '127.0.0.1:9092' };

function rejects(config: object, key: string): void {
  assert.throws(
    () => resolveStreamsConfig(config as StreamsConfig),
    (error: unknown) => error instanceof ConfigError && error.key === key && error.code === 'CONFIG_INVALID' && error.message.includes(key),
    `expected a ConfigError naming ${key}`,
  );
}

test('defaults follow Kafka Streams: at-least-once with 30 s commits, 10 MiB cache, 1000 buffered records', () => {
  const config = resolveStreamsConfig(base);
  assert.equal(config.processingGuarantee, 'at_least_once');
  assert.equal(config.commitIntervalMs, 30_000);
  assert.equal(config.cacheMaxBytes, 10 * 1024 * 1024);
  assert.equal(config.maxBufferedRecordsPerPartition, 1000);
  assert.equal(config.stateDir, join(tmpdir(), 'kstreams'));
  assert.equal(config.clientId, 'orders-app');
  assert.deepEqual(config.bootstrapServers, ['127.0.0.1:9092']);
  assert.equal(config.deserializationExceptionHandler, 'fail');
  assert.equal(config.productionExceptionHandler, 'fail');
  assert.equal(config.invalidTimestampPolicy, 'fail', "Kafka Streams' FailOnInvalidTimestamp");
  assert.equal(config.defaultTimestampExtractor, undefined);
  assert.equal(config.lateRecordsTopic, undefined);
});

test('event-time settings are taken as given', () => {
  const extractor = TimestampExtractors.wallClockTime();
  const config = resolveStreamsConfig({ ...base, defaultTimestampExtractor: extractor, invalidTimestampPolicy: 'usePartitionTime', lateRecordsTopic: 'orders-late' });
  assert.equal(config.defaultTimestampExtractor, extractor);
  assert.equal(config.invalidTimestampPolicy, 'usePartitionTime');
  assert.equal(config.lateRecordsTopic, 'orders-late');
});

test('exactly-once commits every 100 ms unless told otherwise', () => {
  assert.equal(resolveStreamsConfig({ ...base, processingGuarantee: 'exactly_once' }).commitIntervalMs, 100);
  assert.equal(resolveStreamsConfig({ ...base, processingGuarantee: 'exactly_once', commitIntervalMs: 500 }).commitIntervalMs, 500);
});

test('a dead-letter topic makes skipping the default for deserialization, processing and production errors', () => {
  const config = resolveStreamsConfig({ ...base, deadLetterTopic: 'orders-dlt' });
  assert.equal(config.deserializationExceptionHandler, 'continue');
  assert.equal(config.processingExceptionHandler, 'continue');
  assert.equal(config.productionExceptionHandler, 'continue');
  assert.equal(resolveStreamsConfig({ ...base, deadLetterTopic: 'd', processingExceptionHandler: 'fail' }).processingExceptionHandler, 'fail');
});

test('a list of servers and serdes are accepted as given', () => {
  const config = resolveStreamsConfig({ ...base, bootstrapServers: ['a:1', 'b:2'], defaultKeySerde: Serdes.String() });
  assert.deepEqual(config.bootstrapServers, ['a:1', 'b:2']);
  assert.ok(config.defaultKeySerde !== undefined);
});

test('bootstrapServers may be left out only when the instance is given its client', () => {
  rejects({ applicationId: 'orders-app' }, 'bootstrapServers');
  assert.deepEqual(resolveStreamsConfig({ applicationId: 'orders-app' }, { clientGiven: true }).bootstrapServers, []);
  assert.deepEqual(resolveStreamsConfig(base, { clientGiven: true }).bootstrapServers, ['127.0.0.1:9092']);
  assert.throws(() => resolveStreamsConfig({ ...base, bootstrapServers: 'no-port' }, { clientGiven: true }), ConfigError);
});

test('client names the adapter the instance makes itself: platformatic by default, kafkajs on request, never beside a given client', () => {
  assert.equal(resolveStreamsConfig(base).client, 'platformatic');
  assert.equal(resolveStreamsConfig({ ...base, client: 'kafkajs' }).client, 'kafkajs');
  rejects({ ...base, client: 'rdkafka' }, 'client');
  assert.throws(
    () => resolveStreamsConfig({ ...base, client: 'kafkajs' }, { clientGiven: true }),
    (error: unknown) => error instanceof ConfigError && error.key === 'client' && /given its client/.test(error.message),
  );
});

test('invalid settings throw a ConfigError naming the key', () => {
  rejects({ ...base, applicationId: '' }, 'applicationId');
  rejects({ ...base, applicationId: 'has space' }, 'applicationId');
  rejects({ bootstrapServers: 'a:1' }, 'applicationId');
  rejects({ ...base, bootstrapServers: [] }, 'bootstrapServers');
  rejects({ ...base, bootstrapServers: 'no-port' }, 'bootstrapServers');
  rejects({ ...base, processingGuarantee: 'exactly_once_v2' }, 'processingGuarantee');
  rejects({ ...base, commitIntervalMs: -1 }, 'commitIntervalMs');
  rejects({ ...base, commitIntervalMs: 1.5 }, 'commitIntervalMs');
  rejects({ ...base, cacheMaxBytes: -5 }, 'cacheMaxBytes');
  rejects({ ...base, maxBufferedRecordsPerPartition: 0 }, 'maxBufferedRecordsPerPartition');
  rejects({ ...base, stateDir: '' }, 'stateDir');
  rejects({ ...base, defaultValueSerde: { serialize: () => null } }, 'defaultValueSerde');
  rejects({ ...base, processingExceptionHandler: 'ignore' }, 'processingExceptionHandler');
  rejects({ ...base, productionExceptionHandler: 42 }, 'productionExceptionHandler');
  rejects({ ...base, deadLetterTopic: 'bad/topic' }, 'deadLetterTopic');
  rejects({ ...base, lateRecordsTopic: '' }, 'lateRecordsTopic');
  rejects({ ...base, invalidTimestampPolicy: 'ignore' }, 'invalidTimestampPolicy');
  rejects({ ...base, defaultTimestampExtractor: 'wallClockTime' }, 'defaultTimestampExtractor');
  rejects({ ...base, logger: console }, 'logger');
  rejects({ ...base, sasl: { mechanism: 'gssapi', username: 'u', password: 'p' } }, 'sasl');
  rejects({ ...base, ssl: 'yes' }, 'ssl');
  rejects({ ...base, commitIntervalMS: 100 }, 'commitIntervalMS');
  rejects({ ...base, sessionTimeoutMs: 0 }, 'sessionTimeoutMs');
  rejects({ ...base, heartbeatIntervalMs: 10_000 }, 'heartbeatIntervalMs');
  rejects({ ...base, sessionTimeoutMs: 6_000, heartbeatIntervalMs: 6_000 }, 'heartbeatIntervalMs');
  rejects({ ...base, installShutdownHook: 'yes' }, 'installShutdownHook');
  rejects({ ...base, taskTimeoutMs: -1 }, 'taskTimeoutMs');
  rejects({ ...base, logLevel: 'verbose' }, 'logLevel');
  rejects({ ...base, logLevel: 'info', logger: pino() }, 'logLevel');
});

test('the group session timeout and heartbeat interval default to 10 s and 1 s and are taken as given', () => {
  const defaults = resolveStreamsConfig(base);
  assert.deepEqual([defaults.sessionTimeoutMs, defaults.heartbeatIntervalMs], [10_000, 1_000]);
  const set = resolveStreamsConfig({ ...base, sessionTimeoutMs: 45_000, heartbeatIntervalMs: 3_000 });
  assert.deepEqual([set.sessionTimeoutMs, set.heartbeatIntervalMs], [45_000, 3_000]);
  assert.equal(resolveStreamsConfig({ ...base, sessionTimeoutMs: 2_400 }).heartbeatIntervalMs, 800, 'a third of a short session timeout');
});

test('the task timeout defaults to 5 minutes, as task.timeout.ms, and 0 (fail at once) is allowed', () => {
  assert.equal(resolveStreamsConfig(base).taskTimeoutMs, 300_000);
  assert.equal(resolveStreamsConfig({ ...base, taskTimeoutMs: 0 }).taskTimeoutMs, 0);
});

test('the shutdown hook is opt-in', () => {
  assert.equal(resolveStreamsConfig(base).installShutdownHook, false);
  assert.equal(resolveStreamsConfig({ ...base, installShutdownHook: true }).installShutdownHook, true);
});

test('without a logger, warnings and errors go to stderr as pino JSON lines; logLevel sets their level', () => {
  const module = new URL('../../../../src/runtime/app/streams-config.ts', import.meta.url).href;
  const script = `
    import { resolveStreamsConfig } from '${module}';
    const level = process.argv[1];
    const { logger } = resolveStreamsConfig({ applicationId: 'a', bootstrapServers: 'b:1', ...(level === '' ? {} : { logLevel: level }) });
    logger.info({ n: 1 }, 'an info line');
    logger.warn({ n: 2 }, 'a warning');
    logger.child({ taskId: '0_0' }).error({ n: 3 }, 'an error');
  `;
  const run = (level: string, env: Record<string, string> = {}) => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, level], { encoding: 'utf8', env: { ...process.env, KSTREAMS_LOG_LEVEL: '', ...env } });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, '', 'nothing on stdout');
    return result.stderr.split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line) as { level: number; msg: string; name: string; taskId?: string });
  };
  const lines = run('');
  assert.deepEqual(lines.map((l) => [l.level, l.msg, l.name]), [[40, 'a warning', 'kstreams'], [50, 'an error', 'kstreams']]);
  assert.equal(lines[1]!.taskId, '0_0');
  assert.deepEqual(run('info').map((l) => l.msg), ['an info line', 'a warning', 'an error']);
  assert.deepEqual(run('silent'), []);
  assert.deepEqual(run('', { KSTREAMS_LOG_LEVEL: 'info' }).map((l) => l.msg), ['an info line', 'a warning', 'an error'], 'KSTREAMS_LOG_LEVEL sets the default level');
  assert.deepEqual(run('error', { KSTREAMS_LOG_LEVEL: 'info' }).map((l) => l.msg), ['an error'], 'logLevel wins over the environment');
});

test('KSTREAMS_LOG_LEVEL must name a level; the metrics and restore settings are checked', () => {
  const before = process.env.KSTREAMS_LOG_LEVEL;
  process.env.KSTREAMS_LOG_LEVEL = 'loud';
  try {
    rejects(base, 'KSTREAMS_LOG_LEVEL');
  } finally {
    if (before === undefined) delete process.env.KSTREAMS_LOG_LEVEL;
    else process.env.KSTREAMS_LOG_LEVEL = before;
  }
  rejects({ ...base, metricsPort: 70_000 }, 'metricsPort');
  rejects({ ...base, metricsRegistry: {} }, 'metricsRegistry');
  rejects({ ...base, stateRestoreListener: { onRestoreStart: () => undefined } }, 'stateRestoreListener');
  rejects({ ...base, logSummaryIntervalMs: 0 }, 'logSummaryIntervalMs');
  const resolved = resolveStreamsConfig({ ...base, metricsPort: 0 });
  assert.deepEqual([resolved.metricsPort, resolved.metricsHost, resolved.logSummaryIntervalMs], [0, '127.0.0.1', 120_000]);
});
