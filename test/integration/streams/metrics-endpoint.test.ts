import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaStreams, type StateRestoreListener } from '../../../src/index.js';
import { COUNT_STORE, DISTINCT_PAGES, inputKey, inputPage, pageValue } from '../../../bench/broker/workloads.js';
import { sampleSum, samples, scrape } from '../../unit/runtime/metrics/prometheus-text.js';
import { eventually, kafka, uniqueName } from '../support/broker.js';
import { awaitFinalCounts, awaitState, deleteTopics, removeDir, streamsConfig, tempStateDir } from './streams-support.js';

const PARTITIONS = 4;
const RECORDS = 2_000;
/** The groupBy+count workload of the broker bench, built in each stream thread's worker. */
const TOPOLOGY_MODULE = new URL('../../../bench/broker/workloads.ts', import.meta.url).href;

/**
 * Two stream threads (worker threads) on the broker, scraped over HTTP while they run: the counts are those of
 * every record the workload must process, from both threads; then a second instance with empty state restores the
 * changelog and its restore listener, relayed from the workers, hears exactly the records the changelog holds.
 */
test('GET /metrics during a run shows every processed, fetched and restored record of both stream threads', async () => {
  const client = kafka();
  const input = uniqueName('metrics-input');
  const output = uniqueName('metrics-output');
  const applicationId = uniqueName('metrics-app');
  const stateDirs = [tempStateDir(), tempStateDir()];
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: input, numPartitions: PARTITIONS }, { topic: output, numPartitions: PARTITIONS }], waitForLeaders: true });
  const expected = new Map<string, number>();
  const source = { module: TOPOLOGY_MODULE, export: 'groupByCountTopology', args: [input, output] };
  const config = (stateDir: string) => streamsConfig(applicationId, stateDir, { numStreamThreads: 2, metricsPort: 0, commitIntervalMs: 200 });
  const first = new KafkaStreams(source, config(stateDirs[0]!));
  try {
    await first.start();
    const url = first.metricsUrl()!;
    // Input only once both threads hold their tasks: a task moving between threads would process records again.
    await awaitState(first, 'RUNNING');
    await produce(input, expected);
    await awaitFinalCounts(output, expected, 120_000);
    await awaitState(first, 'RUNNING');
    // Each input record is processed once, and once more from the repartition topic; workers report every 250 ms.
    let processed = 0;
    await eventually(() => `every record in kstreams_process_total (${processed} of ${2 * RECORDS})`, async () => (processed = sampleSum(await scrape(url), 'kstreams_process_total')) === 2 * RECORDS);
    await eventually('no records lag left', async () => sampleSum(await scrape(url), 'kstreams_records_lag') === 0);
    const text = await scrape(url);
    assert.equal(sampleSum(text, 'kstreams_client_records_fetched_total', { consumer: 'group' }), 2 * RECORDS);
    const threads = new Set(samples(text, 'kstreams_client_records_fetched_total').map((s) => s.labels.thread_id));
    assert.deepEqual([...threads].sort(), ['StreamThread-1', 'StreamThread-2']);
    assert.ok(samples(text, 'kstreams_client_records_fetched_total', { consumer: 'group' }).every((s) => s.value > 0), 'both threads fetched');
    assert.ok(sampleSum(text, 'kstreams_client_records_sent_total') >= RECORDS + 2 * DISTINCT_PAGES, 'the repartition records, counts and changelog');
    assert.equal(samples(text, 'kstreams_records_lag').length, 2 * PARTITIONS);
    assert.equal(sampleSum(text, 'kstreams_tasks', { state: 'running' }), 2 * PARTITIONS);
    assert.equal(sampleSum(text, 'kstreams_state', { state: 'RUNNING' }), 1);
    assert.equal(sampleSum(text, 'kstreams_dropped_records_total'), 0);
    assert.ok(samples(text, 'kstreams_commit_latency_seconds_count').every((s) => s.value >= 1));
  } finally {
    assert.equal(await first.close(), true);
  }

  const restored = { started: 0, batches: 0, ended: 0 };
  const listener: StateRestoreListener = {
    onRestoreStart: () => void restored.started++,
    onBatchRestored: (_p, _store, _end, n) => void (restored.batches += n),
    onRestoreEnd: (_p, _store, total) => void (restored.ended += total),
  };
  const second = new KafkaStreams(source, config(stateDirs[1]!));
  second.setGlobalStateRestoreListener(listener);
  try {
    const changelog = `${applicationId}-${COUNT_STORE}-changelog`;
    await second.start();
    await awaitState(second, 'RUNNING');
    const changelogRecords = (await admin.fetchTopicOffsets(changelog)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
    const url = second.metricsUrl()!;
    assert.ok(restored.started >= 1);
    assert.equal(restored.ended, changelogRecords, 'every changelog record restored once');
    assert.equal(restored.batches, restored.ended);
    // Thread counters: a task that moves to the other thread once restored keeps its fetches in the first one's.
    let fetched = 0;
    await eventually(() => `the restored records in kstreams_client_records_fetched_total (${fetched} of ${changelogRecords})`, async () => (fetched = sampleSum(await scrape(url), 'kstreams_client_records_fetched_total', { consumer: 'restore' })) === changelogRecords);
    // Task counters start again where a task is created: at most every record, once the tasks settled.
    const perTask = sampleSum(await scrape(url), 'kstreams_restored_records_total');
    assert.ok(perTask > 0 && perTask <= changelogRecords, `kstreams_restored_records_total ${perTask}`);
  } finally {
    assert.equal(await second.close(), true);
    await admin.disconnect();
    await deleteTopics(client, { prefix: applicationId, names: [input, output] });
    for (const dir of stateDirs) removeDir(dir);
  }
});

async function produce(topic: string, expected: Map<string, number>): Promise<void> {
  const producer = kafka().producer();
  await producer.connect();
  const messages = Array.from({ length: RECORDS }, (_, i) => {
    const page = `/page/${inputPage(i)}`;
    expected.set(page, (expected.get(page) ?? 0) + 1);
    return { key: inputKey(i), value: pageValue(inputPage(i), 40) };
  });
  await producer.send({ topic, messages });
  await producer.disconnect();
}
