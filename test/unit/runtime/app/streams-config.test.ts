import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
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

test('a dead-letter topic makes skipping the default for deserialization and processing errors', () => {
  const config = resolveStreamsConfig({ ...base, deadLetterTopic: 'orders-dlt' });
  assert.equal(config.deserializationExceptionHandler, 'continue');
  assert.equal(config.processingExceptionHandler, 'continue');
  assert.equal(resolveStreamsConfig({ ...base, deadLetterTopic: 'd', processingExceptionHandler: 'fail' }).processingExceptionHandler, 'fail');
});

test('a list of servers and serdes are accepted as given', () => {
  const config = resolveStreamsConfig({ ...base, bootstrapServers: ['a:1', 'b:2'], defaultKeySerde: Serdes.String() });
  assert.deepEqual(config.bootstrapServers, ['a:1', 'b:2']);
  assert.ok(config.defaultKeySerde !== undefined);
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
});
