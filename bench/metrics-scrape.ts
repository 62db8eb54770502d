/**
 * What a Prometheus scrape of one instance costs: word count on the in-memory cluster with PARTITIONS input
 * partitions (2 × PARTITIONS tasks, every task's series), `registry.metrics()` timed SCRAPES times while it runs.
 * The processing loop pays nothing per record for the metrics (plain counters); this is the cost a scrape adds.
 *
 *   npm run bench:metrics                      # 32 partitions, 200 scrapes
 *   PARTITIONS=128 SCRAPES=100 npm run bench:metrics
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KafkaStreams } from '../src/index.js';
import { InMemoryKafkaCluster } from '../src/testing/index.js';
import { buildWordCountTopology, INPUT_TOPIC, OUTPUT_TOPIC } from '../examples/word-count.js';
import { positiveIntegerFromEnv } from './positive-integer-from-env.js';
import { machineSummary, printReportTable } from './support/report-table.js';

const PARTITIONS = positiveIntegerFromEnv('PARTITIONS', 32);
const SCRAPES = positiveIntegerFromEnv('SCRAPES', 200);

const cluster = new InMemoryKafkaCluster();
cluster.createTopic(INPUT_TOPIC, PARTITIONS);
cluster.createTopic(OUTPUT_TOPIC, PARTITIONS);
cluster.produce(INPUT_TOPIC, Array.from({ length: 20 * PARTITIONS }, (_, i) => ({ key: `k${i}`, value: `the quick brown fox ${i % 50}` })));
const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-bench-metrics-'));
const streams = new KafkaStreams(buildWordCountTopology(), { applicationId: 'bench-metrics', stateDir, logLevel: 'silent', commitIntervalMs: 100 }, { client: cluster.client() });
try {
  await streams.start();
  while (streams.state() !== 'RUNNING') await new Promise((resolve) => setTimeout(resolve, 10));
  const registry = streams.metricsRegistry();
  let bytes = 0;
  const started = performance.now();
  for (let i = 0; i < SCRAPES; i++) bytes = (await registry.metrics()).length;
  const perScrapeMs = (performance.now() - started) / SCRAPES;
  console.log(`metrics scrape, word count on the in-memory cluster; ${machineSummary()}`);
  printReportTable(
    ['tasks', 'scrapes', 'ms per scrape', 'bytes per scrape'],
    [[String(streams.metrics().tasks.size), String(SCRAPES), perScrapeMs.toFixed(2), String(bytes)]],
  );
} finally {
  await streams.close();
  rmSync(stateDir, { recursive: true, force: true });
}
