import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { ClientLogBridge, CLIENT_LOG_INTERVAL_MS } from '../../../../src/runtime/client/client-log-bridge.js';
import { KafkajsClient } from '../../../../src/runtime/kafka/kafkajs-client.js';
import { bridgePlatformaticLogs } from '../../../../src/runtime/platformatic/platformatic-log-bridge.js';
import { RecordingLogger } from '../tasks/runtime-fakes.js';

test('a client line repeated within the interval is counted, not written, and the next one says how many were left out', () => {
  const logger = new RecordingLogger();
  let now = 0;
  const bridge = new ClientLogBridge(logger, 'kafkajs', () => now);
  bridge.line('warn', 'Connection error', { broker: 'b:9092', error: 'ECONNREFUSED' });
  now += 100;
  bridge.line('warn', 'Connection error', { broker: 'b:9092', error: 'ECONNREFUSED' });
  bridge.line('warn', 'Connection error', { broker: 'b:9092', error: 'ECONNREFUSED' });
  bridge.line('warn', 'Another message', {});
  now += CLIENT_LOG_INTERVAL_MS;
  bridge.line('warn', 'Connection error', { broker: 'b:9092', error: 'ECONNREFUSED' });
  assert.deepEqual(logger.entries.map((e) => [e.level, e.message, e.fields]), [
    ['warn', 'Connection error', { broker: 'b:9092', error: 'ECONNREFUSED' }],
    ['warn', 'Another message', {}],
    ['warn', 'Connection error', { broker: 'b:9092', error: 'ECONNREFUSED', suppressed: 2 }],
  ]);
});

test('only plain fields of a fixed list reach the log: a request or a record batch a client attaches stays out', () => {
  const logger = new RecordingLogger();
  const bridge = new ClientLogBridge(logger, 'kafkajs');
  bridge.line('warn', 'Response Produce', { topic: 't', partition: 1, payload: { value: 'secret value' }, records: ['secret'], error: new TypeError('boom'), retryCount: 2 });
  assert.deepEqual(logger.entries[0]!.fields, { topic: 't', partition: 1, error: 'TypeError: boom', retryCount: 2 });
  assert.ok(!JSON.stringify(logger.entries).includes('secret'));
});

test('@platformatic/kafka client events become warnings (connection failures, exhausted retries, heartbeats) and debug lines (retries)', () => {
  const logger = new RecordingLogger();
  const client = new EventEmitter();
  bridgePlatformaticLogs(client, { bootstrapServers: ['b:9092'], clientId: 'app', logger }, 'group');
  client.emit('client:broker:failed', { broker: { host: 'b', port: 9092 }, connection: {} });
  client.emit('client:performWithRetry:retry', 'metadata', 0, 3, 250);
  client.emit('client:performWithRetry:failed', 'metadata', 3, [new Error('first'), new Error('last')]);
  client.emit('consumer:heartbeat:error', { error: new Error('REBALANCE_IN_PROGRESS') });
  client.emit('consumer:heartbeat:stalled', {});
  assert.deepEqual(logger.entries.map((e) => [e.level, e.message, e.fields]), [
    ['warn', 'cannot connect to broker', { clientId: 'app-group', broker: 'b:9092' }],
    ['debug', 'retrying client operation', { clientId: 'app-group', operation: 'metadata', attempt: 0, retries: 3 }],
    ['warn', 'client operation failed after its retries', { clientId: 'app-group', operation: 'metadata', retries: 3, error: 'Error: last' }],
    ['warn', 'consumer heartbeat failed', { clientId: 'app-group', error: 'Error: REBALANCE_IN_PROGRESS' }],
    ['warn', 'consumer heartbeat stalled', { clientId: 'app-group' }],
  ]);
});

test('without a logger in the connection settings the bridge listens to nothing', () => {
  const client = new EventEmitter();
  bridgePlatformaticLogs(client, { bootstrapServers: ['b:9092'], clientId: 'app' }, 'group');
  assert.equal(client.eventNames().length, 0);
});

test("kafkajs' own warnings reach the application's logger through its logCreator, without a broker", async () => {
  const logger = new RecordingLogger();
  const admin = new KafkajsClient({ bootstrapServers: ['127.0.0.1:1'], clientId: 'bridge-check', logger }).admin();
  // kafkajs retries the seed broker for about ten seconds before connect() rejects; the first attempt already warns.
  const connecting = admin.connect().catch(() => undefined);
  try {
    const deadline = Date.now() + 10_000;
    while (!logger.entries.some((e) => e.level === 'warn') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    const first = logger.entries.find((e) => e.level === 'warn')!;
    assert.match(first.message, /ECONNREFUSED/);
    assert.deepEqual(first.fields, { broker: '127.0.0.1:1', clientId: 'bridge-check', namespace: 'Connection' });
  } finally {
    await admin.disconnect();
    await connecting;
  }
});
