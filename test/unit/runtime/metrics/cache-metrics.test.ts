import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { KafkaStreams } from '../../../../src/runtime/app/kafka-streams.js';
import { InMemoryKafkaCluster } from '../../../../src/testing/index.js';
import { buildWordCountTopology, INPUT_TOPIC, OUTPUT_TOPIC } from '../../../../examples/word-count.js';
import { awaitCounts, running, until } from '../app/word-count-checks.js';
import { sampleSum, scrape } from './prometheus-text.js';

/**
 * The record cache's lookups (Kafka Streams' `hit-ratio`): word count's count store reads each word's count once per
 * record; the first read of a word goes to SQLite (a miss), every later one is answered by the cache, which keeps
 * clean entries after a commit.
 */
test('the count store cache reports a miss per distinct word and a hit for every other read, as counters and a ratio', async () => {
  const cluster = new InMemoryKafkaCluster();
  cluster.createTopic(INPUT_TOPIC, 1);
  cluster.createTopic(OUTPUT_TOPIC, 1);
  const input = ['a b a', 'b c a', 'a a d'];
  const words = input.flatMap((line) => line.split(' '));
  const distinct = new Set(words).size;
  cluster.produce(INPUT_TOPIC, input.map((value, i) => ({ key: `line-${i}`, value })));
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-cache-metrics-'));
  const streams = new KafkaStreams(buildWordCountTopology(), { applicationId: 'cache-metrics', stateDir, commitIntervalMs: 20, metricsPort: 0, logLevel: 'silent' }, { client: cluster.client() });
  try {
    await streams.start();
    await awaitCounts('the words counted', cluster, input);
    await until('every record processed', () => running(streams) && streams.metrics().totals.processedRecords === input.length + words.length);
    const counting = [...streams.metrics().tasks].find(([id]) => id.startsWith('1_'))![1];
    assert.deepEqual(counting.cacheLookups, { hits: words.length - distinct, misses: distinct });
    const text = await scrape(streams.metricsUrl()!);
    assert.equal(sampleSum(text, 'kstreams_cache_hits_total'), words.length - distinct);
    assert.equal(sampleSum(text, 'kstreams_cache_misses_total'), distinct);
    assert.equal(sampleSum(text, 'kstreams_cache_hit_ratio', { task_id: '1_0' }), (words.length - distinct) / words.length);
  } finally {
    await streams.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
});
