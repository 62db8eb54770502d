import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { pino } from 'pino';
import { KafkaStreams } from '../../../../src/runtime/app/kafka-streams.js';
import type { StreamsConfig } from '../../../../src/runtime/app/streams-config.js';
import type { StateRestoreListener } from '../../../../src/runtime/tasks/state-restore-listener.js';
import { InMemoryKafkaCluster } from '../../../../src/testing/index.js';
import { buildWordCountTopology, INPUT_TOPIC, OUTPUT_TOPIC } from '../../../../examples/word-count.js';
import { awaitCounts, lines, running, until } from '../app/word-count-checks.js';
import { sampleSum, samples, scrape } from './prometheus-text.js';

/**
 * Word count on the in-memory cluster, scraped over HTTP: the counts in the metrics are the records the topology
 * must have handled, the restore listener hears of every changelog partition a new instance restores, and the log
 * shows the lifecycle without a single record value.
 */

const stateDirs: string[] = [];
test.after(() => {
  for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
});

interface LogLine {
  readonly msg: string;
  readonly [field: string]: unknown;
}

function capturingLogger(lines: string[]): ReturnType<typeof pino> {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter((l) => l.length > 0));
      done();
    },
  });
  return pino({ level: 'info' }, sink);
}

function config(name: string, logLines: string[], extra: Partial<StreamsConfig> = {}): StreamsConfig {
  const stateDir = mkdtempSync(join(tmpdir(), `kstreams-metrics-${name}-`));
  stateDirs.push(stateDir);
  return { applicationId: 'metrics-word-count', stateDir, cacheMaxBytes: 0, commitIntervalMs: 20, logSummaryIntervalMs: 1, metricsPort: 0, logger: capturingLogger(logLines), ...extra };
}

function words(input: readonly string[]): string[] {
  return input.flatMap((line) => line.toLowerCase().split(/\W+/).filter((w) => w.length > 0));
}

class RecordingRestoreListener implements StateRestoreListener {
  readonly calls: Array<{ method: string; topic: string; partition: number; store: string; values: number[] }> = [];
  onRestoreStart(p: { topic: string; partition: number }, store: string, from: number, to: number): void {
    this.calls.push({ method: 'start', ...p, store, values: [from, to] });
  }
  onBatchRestored(p: { topic: string; partition: number }, store: string, batchEnd: number, restored: number): void {
    this.calls.push({ method: 'batch', ...p, store, values: [batchEnd, restored] });
  }
  onRestoreEnd(p: { topic: string; partition: number }, store: string, total: number): void {
    this.calls.push({ method: 'end', ...p, store, values: [total] });
  }
}

test('metrics over HTTP count what word count processed, sent and fetched; a restoring instance tells its listener, logs and metrics', async () => {
  const cluster = new InMemoryKafkaCluster();
  cluster.createTopic(INPUT_TOPIC, 4);
  cluster.createTopic(OUTPUT_TOPIC, 2);
  const input = lines(1);
  cluster.produce(INPUT_TOPIC, input.map((value, i) => ({ key: `line-${i}`, value })));
  const wordCount = words(input).length;
  const logLines: string[] = [];
  const first = new KafkaStreams(buildWordCountTopology(), config('a', logLines), { client: cluster.client({ name: 'a' }) });
  try {
    await first.start();
    await awaitCounts('the words counted', cluster, input);
    await until('every record processed and committed', () => running(first) && first.metrics().totals.processedRecords === input.length + wordCount);
    const url = first.metricsUrl()!;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    let text = await scrape(url);
    await until('no lag left', () => first.metrics().threads[0]!.recordsLag.every((p) => p.lag === 0));
    text = await scrape(url);
    assert.equal(sampleSum(text, 'kstreams_process_total'), input.length + wordCount, 'lines, then the repartitioned words');
    assert.equal(sampleSum(text, 'kstreams_client_records_fetched_total', { consumer: 'group' }), input.length + wordCount);
    // Every word goes to the repartition topic, and each count to the output and the changelog (caching off).
    assert.equal(sampleSum(text, 'kstreams_client_records_sent_total'), 3 * wordCount);
    assert.ok(sampleSum(text, 'kstreams_client_bytes_sent_total') > 3 * wordCount);
    assert.equal(sampleSum(text, 'kstreams_state', { state: 'RUNNING' }), 1);
    assert.equal(sampleSum(text, 'kstreams_tasks', { state: 'running' }), 8);
    assert.equal(sampleSum(text, 'kstreams_dropped_records_total'), 0);
    assert.equal(samples(text, 'kstreams_records_lag').length, 8, 'the input and repartition partitions');
    assert.equal(sampleSum(text, 'kstreams_records_lag'), 0);
    assert.ok(sampleSum(text, 'kstreams_commit_latency_seconds_count') >= 1);
    assert.equal(sampleSum(text, 'kstreams_commit_latency_seconds_bucket', { le: '+Inf' }), sampleSum(text, 'kstreams_commit_latency_seconds_count'));
    assert.equal((await fetch(url.replace('/metrics', '/other'))).status, 404);
  } finally {
    await first.close();
  }

  const listener = new RecordingRestoreListener();
  const second = new KafkaStreams(buildWordCountTopology(), config('b', logLines), { client: cluster.client({ name: 'b' }) });
  second.setGlobalStateRestoreListener(listener);
  try {
    await second.start();
    await until('the second instance running', () => running(second));
    const ends = listener.calls.filter((c) => c.method === 'end');
    assert.equal(ends.reduce((sum, c) => sum + c.values[0]!, 0), wordCount, 'every changelog record restored, once');
    for (const end of ends) {
      const start = listener.calls.find((c) => c.method === 'start' && c.topic === end.topic && c.partition === end.partition)!;
      const batches = listener.calls.filter((c) => c.method === 'batch' && c.topic === end.topic && c.partition === end.partition);
      assert.equal(batches.reduce((sum, c) => sum + c.values[1]!, 0), end.values[0], `the batches of ${end.topic}-${end.partition} add up`);
      assert.equal(batches.at(-1)!.values[0], start.values[1]! - 1, 'the last batch ends at the end offset');
      assert.match(end.store, /count|KSTREAM/i);
    }
    const text = await scrape(second.metricsUrl()!);
    assert.equal(sampleSum(text, 'kstreams_restored_records_total'), wordCount);
    assert.equal(sampleSum(text, 'kstreams_client_records_fetched_total', { consumer: 'restore' }), wordCount);
  } finally {
    await second.close();
  }

  const parsed = logLines.map((l) => JSON.parse(l) as LogLine);
  const messages = new Set(parsed.map((l) => l.msg));
  for (const lifecycle of ['state changed', 'applying task assignment', 'restoring store from changelog', 'store restored', 'processing summary', 'serving metrics']) {
    assert.ok(messages.has(lifecycle), `the log has "${lifecycle}"`);
  }
  const restored = parsed.filter((l) => l.msg === 'store restored');
  assert.ok(restored.every((l) => typeof l.recordsPerSecond === 'number' && l.taskId !== undefined && l.thread === 'StreamThread-1'));
  const summary = parsed.find((l) => l.msg === 'processing summary')!;
  assert.ok(typeof summary.processed === 'number' && typeof summary.commits === 'number');
  // Values are lines of text; keys of the repartition topic are words: neither may show up in any line.
  const values = [...input, 'quick', 'brown', 'jumps'];
  for (const line of logLines) for (const value of values) assert.ok(!line.includes(value), `a log line shows record data: ${line}`);
});
