import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, StateError, StreamsError } from '../../../../src/core/errors.js';
import { Serdes } from '../../../../src/core/serdes.js';
import { KafkaStreams } from '../../../../src/runtime/app/kafka-streams.js';
import { errorOfThreadFailure, threadFailureOf } from '../../../../src/runtime/app/threads/thread-protocol.js';
import { workerConfigOf } from '../../../../src/runtime/app/threads/worker-config.js';
import { checkTopologyModule, loadTopology } from '../../../../src/runtime/app/threads/topology-module.js';
import { InMemoryKafkaCluster } from '../../../../src/testing/index.js';
import { groupByCountTopology } from '../../../../bench/broker/workloads.js';

const WORKLOADS = new URL('../../../../bench/broker/workloads.ts', import.meta.url).href;
const base = { applicationId: 'app', bootstrapServers: '127.0.0.1:9092' };
const configError = (key: string, text: RegExp) => (error: unknown) => error instanceof ConfigError && error.key === key && text.test(error.message);

test('a Topology with numStreamThreads above 1 is a ConfigError that says to name a topology module', () => {
  assert.throws(() => new KafkaStreams(groupByCountTopology('in', 'out'), { ...base, numStreamThreads: 2 }), configError('numStreamThreads', /cannot receive a Topology.*module: new URL/));
  assert.throws(() => new KafkaStreams(groupByCountTopology('in', 'out'), { ...base, numStreamThreads: 0 }), configError('numStreamThreads', /at least 1/));
});

test('settings holding code, a client object and a relative module are refused for worker threads, naming the key', () => {
  const module = { module: WORKLOADS, export: 'groupByCountTopology', args: ['in', 'out'] };
  const config = { ...base, numStreamThreads: 2 };
  assert.throws(() => new KafkaStreams(module, { ...config, defaultKeySerde: Serdes.String() }), configError('defaultKeySerde', /holds code.*operations/));
  assert.throws(() => new KafkaStreams(module, { ...config, processingExceptionHandler: () => 'continue' }), configError('processingExceptionHandler', /holds code/));
  assert.throws(() => new KafkaStreams(module, config, { client: new InMemoryKafkaCluster().client() }), configError('numStreamThreads', /client given to KafkaStreams cannot be shared/));
  assert.throws(() => new KafkaStreams({ module: './topology.js' }, config), configError('module', /relative paths have no base/));
  assert.throws(() => new KafkaStreams({ ...module, args: [() => 1] }, config), configError('args', /plain data/));
});

test('workers get the config as given, without the logger, and handlers given by name', () => {
  const logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => logger };
  const sent = workerConfigOf({ ...base, logger, processingExceptionHandler: 'continue', commitIntervalMs: 50 }, false);
  assert.deepEqual(sent, { ...base, processingExceptionHandler: 'continue', commitIntervalMs: 50 });
});

test('store() of a client whose topology comes from a module waits for start(), which loads it', () => {
  const streams = new KafkaStreams({ module: WORKLOADS, export: 'groupByCountTopology', args: ['in', 'out'] }, { ...base, numStreamThreads: 2 });
  assert.throws(() => streams.store('page-counts'), (error: unknown) => error instanceof StreamsError && error.code === 'ILLEGAL_STATE' && /before start\(\)/.test(error.message));
});

test('a topology module is imported and its export called with the arguments; a wrong export is TOPOLOGY_INVALID', async () => {
  const source = checkTopologyModule({ module: WORKLOADS, export: 'groupByCountTopology', args: ['views', 'counts'] });
  const topology = (await loadTopology(source)).build();
  assert.deepEqual(topology.stores.map((s) => s.name), ['page-counts']);
  const invalid = (text: RegExp) => (error: unknown) => error instanceof StreamsError && error.code === 'TOPOLOGY_INVALID' && text.test(error.message);
  await assert.rejects(loadTopology({ module: WORKLOADS, export: 'DISTINCT_KEYS' }), invalid(/DISTINCT_KEYS of topology module .* is not an exported function/));
  await assert.rejects(loadTopology({ module: WORKLOADS, export: 'inputKey', args: [1] }), invalid(/must return a Topology/));
  await assert.rejects(loadTopology({ module: new URL('./no-such-module.js', import.meta.url).href }), invalid(/cannot import topology module/));
});

test("a worker's failure reaches the main thread with its code and coordinates, naming the thread", () => {
  const failure = threadFailureOf(new StateError('STATE_STORAGE_FAILED', 'disk full', { coordinates: { taskId: '1_2', store: 'counts' } }), true);
  const error = errorOfThreadFailure(2, structuredClone(failure));
  assert.equal(error.code, 'STATE_STORAGE_FAILED');
  assert.deepEqual(error.coordinates, { taskId: '1_2', store: 'counts' });
  assert.equal(error.message, 'stream thread 2 failed: StateError: disk full (task=1_2, store=counts)');
  assert.equal((error.cause as Error).name, 'StateError');
  assert.equal(failure.committedOnce, true);
  assert.equal(errorOfThreadFailure(1, threadFailureOf('boom', false)).message, 'stream thread 1 failed: Error: boom');
});
