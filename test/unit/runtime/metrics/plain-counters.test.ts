import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { LatencyHistogram } from '../../../../src/runtime/metrics/latency-histogram.js';
import { RecordsLag } from '../../../../src/runtime/tasks/records-lag.js';
import { KafkaStreams } from '../../../../src/runtime/app/kafka-streams.js';
import { InMemoryKafkaCluster } from '../../../../src/testing/index.js';
import { buildWordCountTopology } from '../../../../examples/word-count.js';
import { buildClickCountsTumblingTopology, CLICK_COUNTS_TOPIC, CLICKS_TOPIC } from '../../../../examples/click-counts-tumbling.js';
import { until } from '../app/word-count-checks.js';
import { sampleSum, samples } from './prometheus-text.js';

test('the latency histogram counts each observation into the first bucket that holds it, cumulatively, with sum and count', () => {
  const histogram = new LatencyHistogram([0.01, 0.1, 1]);
  for (const seconds of [0.005, 0.01, 0.05, 0.5, 7]) histogram.observe(seconds);
  const { sum, ...buckets } = histogram.snapshot();
  assert.deepEqual(buckets, { bounds: [0.01, 0.1, 1], cumulative: [2, 3, 4], count: 5 }, 'the 7 s one is in +Inf only');
  assert.ok(Math.abs(sum - 7.565) < 1e-9);
});

test('records lag is the unfetched tail up to the high watermark plus what the task buffered, per partition', () => {
  const lag = new RecordsLag();
  const p0 = { topic: 'in', partition: 0 };
  const p1 = { topic: 'in', partition: 1 };
  lag.started(p0, 10, 110);
  lag.started(p1, 0, 0);
  const buffered = new Map([[0, 0], [1, 0]]);
  const snapshot = () => lag.snapshot((p) => buffered.get(p.partition)!).map((l) => [l.partition, l.lag]);
  assert.deepEqual(snapshot(), [[0, 100], [1, 0]]);
  lag.fetchedUpTo(p0, 60, 120);
  buffered.set(0, 30);
  assert.deepEqual(snapshot(), [[0, 90], [1, 0]], '60 on the broker, 30 fetched and not processed');
  lag.fetchedUpTo(p0, 121, 121); // past a transaction marker: nothing left on the broker
  buffered.set(0, 0);
  lag.forget(p1);
  assert.deepEqual(snapshot(), [[0, 0]]);
});

test('two instances cannot share a registry: the second is refused, naming the setting', () => {
  const cluster = new InMemoryKafkaCluster();
  const metricsRegistry = new Registry();
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-registry-'));
  const config = { applicationId: 'shared-registry', logLevel: 'silent', metricsRegistry, stateDir } as const;
  try {
    const first = new KafkaStreams(buildWordCountTopology(), config, { client: cluster.client() });
    assert.equal(first.metricsRegistry(), metricsRegistry);
    assert.throws(() => new KafkaStreams(buildWordCountTopology(), config, { client: cluster.client() }), (error: Error) => error.name === 'ConfigError' && /metricsRegistry/.test(error.message));
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});

test('the suppression buffer gauges show what each suppress() buffer holds: one pending count per user and open window', async () => {
  const cluster = new InMemoryKafkaCluster();
  cluster.createTopic(CLICKS_TOPIC, 2);
  cluster.createTopic(CLICK_COUNTS_TOPIC, 2);
  const users = ['ada', 'bob', 'cy', 'dee', 'eve'];
  // All in the first window, which stays open: nothing is emitted, every count waits in a buffer.
  cluster.produce(CLICKS_TOPIC, users.flatMap((user, i) => [0, 1].map((n) => ({ key: user, value: JSON.stringify({ page: `/p${n}` }), timestamp: 1_000 + 10 * i + n }))));
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-suppress-metrics-'));
  const streams = new KafkaStreams(buildClickCountsTumblingTopology(), { applicationId: 'suppress-metrics', stateDir, logLevel: 'silent', commitIntervalMs: 20 }, { client: cluster.client() });
  try {
    await streams.start();
    await until('every click processed', () => streams.metrics().totals.processedRecords === 2 * users.length);
    // The counts reach the buffers when the window store's cache flushes, at the next commit.
    const buffered = () => [...streams.metrics().tasks.values()].reduce((sum, task) => sum + task.suppressionBuffers.reduce((n, b) => n + b.records, 0), 0);
    await until('the counts in the buffers', () => buffered() === users.length);
    const text = await streams.metricsRegistry().metrics();
    assert.equal(sampleSum(text, 'kstreams_suppression_buffer_records'), users.length);
    assert.equal(samples(text, 'kstreams_suppression_buffer_records').length, 2, 'one buffer per task');
    assert.ok(sampleSum(text, 'kstreams_suppression_buffer_bytes') > 0);
    assert.equal(cluster.records(CLICK_COUNTS_TOPIC).length, 0);
  } finally {
    await streams.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
});
