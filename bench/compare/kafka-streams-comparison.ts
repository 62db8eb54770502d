/**
 * Side by side: the same workloads through Kafka Streams 4.1.2 (one stream thread) and through kstreams, back to
 * back on the same broker.
 *
 *   npm run bench:compare                                   # 1,000,000 records per workload
 *   npm run bench:compare -- --records 20000                # a smoke run
 *   npm run bench:compare -- --only "groupBy+count 1 KB"    # workloads whose label contains the text
 *   npm run bench:compare -- --client kafkajs               # kstreams on kafkajs (default @platformatic/kafka)
 *
 * Builds bench/compare/java with Maven first (again whenever a source or the pom changed). Uses KAFKA_BROKERS when
 * set, otherwise the project's local broker (started if needed, stopped at the end only if this run started it).
 * Each input topic (4 partitions) is produced once and read by both systems; every run is a fresh application id
 * in a process of its own, committing every 100 ms, and is timed from just before its streams client is created
 * until the broker shows every input processed (bench/broker/completion.ts): committed offsets at the input's end
 * for filter+map and the distinct-key count, the latest counts on the output (read_committed) adding up to the
 * input for groupBy+count and the windowed count. CPU time and peak RSS are each process's own (the JVM's include
 * its GC and JIT threads); broker CPU is the local broker's, from /proc, over the same span. The system that goes
 * first alternates from one workload to the next: the machine is shared, so compare the two rows of a workload,
 * not runs on different days.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { stopBroker } from '../../scripts/kafka/local-broker.js';
import type { KafkaClientName } from '../../src/runtime/app/streams-config.js';
import { connectBroker } from '../broker/bench-broker.js';
import { benchClientOf } from '../broker/bench-client.js';
import { benchKafka, deleteTopics } from '../broker/broker-ops.js';
import type { InputTopic } from '../broker/standard-input.js';
import { DISTINCT_KEYS, DISTINCT_PAGES, WINDOW_GRACE_MS, WINDOW_SIZE_MS } from '../broker/workloads.js';
import { formatCount, machineSummary } from '../support/report-table.js';
import { EVENT_MS_PER_RECORD, PARTITIONS, produceInput, type InputShape } from './compare-inputs.js';
import { printComparisonTable, printSummary, type WorkloadResult } from './compare-report.js';
import { COMPARE_WORKLOADS, workloadLabel, type CompareWorkload } from './compare-workloads.js';
import { buildKafkaStreamsApp, javaVersion } from './kafka-streams-run.js';
import { runOnSystem, type Measurement, type RunContext, type System } from './run-on-system.js';

const log = (message: string) => console.error(`[bench:compare] ${message}`);

function options(): { records: number; only: string; client: KafkaClientName } {
  const { values } = parseArgs({ options: { records: { type: 'string' }, only: { type: 'string' }, client: { type: 'string' } } });
  const records = Number((values.records ?? '1000000').replaceAll('_', ''));
  if (!Number.isSafeInteger(records) || records <= 0) throw new Error(`--records must be a positive integer, got ${values.records}`);
  return { records, only: values.only ?? '', client: benchClientOf(values.client, '--client') };
}

/** Both systems on one workload, `first` going first; a run that throws is reported, and the other still runs. */
async function compare(ctx: RunContext, workload: CompareWorkload, input: InputTopic, first: System): Promise<WorkloadResult> {
  const order: System[] = first === 'kstreams' ? ['kstreams', 'Kafka Streams'] : ['Kafka Streams', 'kstreams'];
  const measurements: Measurement[] = [];
  const failures: Array<{ system: string; message: string }> = [];
  for (const system of order) {
    log(`${workloadLabel(workload)} on ${system}`);
    try {
      measurements.push(...(await runOnSystem(ctx, system, workload, input)));
    } catch (error) {
      log(`${workloadLabel(workload)} on ${system} failed: ${String(error)}`);
      failures.push({ system, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { workload, measurements, failures };
}

function printHeader(ctx: RunContext, loadAtStart: readonly number[], java: string): void {
  console.log(`kstreams vs Kafka Streams 4.1.2 on the same broker: ${formatCount(ctx.records)} records per workload, input topics of ${PARTITIONS} partitions, commit interval 100 ms`);
  console.log(`input: keys from ${formatCount(DISTINCT_KEYS)} users, values start with one of ${formatCount(DISTINCT_PAGES)} pages (the group-by key)`);
  console.log(
    `windowed count: per user, tumbling ${WINDOW_SIZE_MS / 1000} s windows, grace ${WINDOW_GRACE_MS / 1000} s, suppress(untilWindowCloses), ` +
      `event time ${EVENT_MS_PER_RECORD} ms per record; restoration: ${formatCount(ctx.records)} distinct keys counted, then restored into a fresh instance`,
  );
  console.log(`Kafka Streams: 1 stream thread, RocksDB stores, default record cache, ${java}, -Xmx1g; kstreams: client ${ctx.client}, SQLite stores, node ${process.version}`);
  console.log(`machine: ${machineSummary()}, Kafka ${ctx.broker.version} (${ctx.broker.brokers.join(',')})`);
  console.log(`load average at start: ${loadAtStart.map((l) => l.toFixed(2)).join(', ')} (a shared machine: compare the rows of one workload)`);
  console.log('');
}

async function main(): Promise<void> {
  const { records, only, client } = options();
  const selected = COMPARE_WORKLOADS.filter((w) => workloadLabel(w).includes(only));
  if (selected.length === 0) throw new Error(`no workload matches --only ${only}: ${COMPARE_WORKLOADS.map(workloadLabel).join(', ')}`);
  buildKafkaStreamsApp(log);
  const loadAtStart = loadavg();
  const broker = await connectBroker(log);
  const runId = randomUUID().slice(0, 8);
  const ctx: RunContext = { kafka: benchKafka(broker.brokers, 'kstreams-bench-compare'), broker, client, records, runId };
  const results: WorkloadResult[] = [];
  try {
    const shapes = [...new Set(selected.map((w) => w.input))];
    for (const shape of shapes) {
      const name = `bench-compare-${shape.replace(/\W+/g, '-')}-${runId}`;
      const started = Date.now();
      const input = await produceInput(ctx.kafka, shape satisfies InputShape, name, records);
      log(`produced ${formatCount(records)} records (${shape}) to ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      try {
        for (const workload of selected.filter((w) => w.input === shape)) {
          results.push(await compare(ctx, workload, input, results.length % 2 === 0 ? 'kstreams' : 'Kafka Streams'));
        }
      } finally {
        await deleteTopics(ctx.kafka, [name]);
      }
    }
  } finally {
    if (broker.startedHere) log(`stopping the broker this run started: ${await stopBroker()}`);
  }
  printHeader(ctx, loadAtStart, javaVersion());
  printComparisonTable(results);
  console.log('');
  printSummary(results);
  console.log('CPU s/1M: CPU seconds (user + system) of the process per million records; broker CPU: the broker process over the run, shared with anything else using it');
}

await main();
