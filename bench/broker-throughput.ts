/**
 * End-to-end throughput of `KafkaStreams` through a real broker.
 *
 *   node --import tsx bench/broker-throughput.ts                 # 1,000,000 records per run
 *   BENCH_RECORDS=50000 node --import tsx bench/broker-throughput.ts
 *   BENCH_ONLY=restoration node --import tsx bench/broker-throughput.ts   # runs whose label contains the text
 *   BENCH_CLIENT=kafkajs node --import tsx bench/broker-throughput.ts       # kstreams on kafkajs (default @platformatic/kafka)
 *
 * Uses KAFKA_BROKERS when set, otherwise the project's local broker (started if needed, and stopped at the end
 * only if this run started it). For each value size (100 B, 1 KB) an input topic of 4 partitions is pre-produced,
 * then each topology (stateless filter+map; groupBy+count with a SQLite store and its changelog) runs under
 * at-least-once and exactly-once, both committing every 100 ms. Each run is a fresh application in a child process
 * of its own (CPU time and peak RSS are the child's), timed from `start()` until the output reflects every input:
 * for filter+map when the group's committed input offsets reach the end (output is acknowledged, or in the same
 * transaction, before offsets commit); for groupBy+count when the latest counts on the output topic, read
 * read_committed, add up to the number of inputs. Last, restoration: a changelog of distinct keys is written in
 * the count store's format, and a fresh instance with an empty state directory is timed until RUNNING.
 * Every topic, group and state directory a run creates is deleted afterwards.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import type { KafkaClientName, ProcessingGuarantee } from '../src/runtime/app/streams-config.js';
import { changelogTopicName } from '../src/state/changelog.js';
import { stopBroker } from '../scripts/kafka/local-broker.js';
import { connectBroker, type Broker } from './broker/bench-broker.js';
import { benchClientOf } from './broker/bench-client.js';
import { produceStandardInput, type InputTopic } from './broker/standard-input.js';
import { benchKafka, countChangelogValue, createTopics, deleteGroup, deleteTopics, processCpuSeconds, produce } from './broker/broker-ops.js';
import { ChildRun } from './broker/child-run.js';
import { positiveIntegerFromEnv } from './positive-integer-from-env.js';
import { formatCount, machineSummary, mebibytes, printReportTable } from './support/report-table.js';
import { committedToEnd, countsReach, filterMapOutput } from './broker/completion.js';
import type { ChildFigures } from './broker/streams-child.js';
import { COUNT_STORE, DISTINCT_KEYS, DISTINCT_PAGES, filterMapOutputCount, type TopologyKind } from './broker/workloads.js';

const PARTITIONS = 4;
const VALUE_SIZES = [100, 1024] as const;
const TOPOLOGIES: readonly TopologyKind[] = ['filter+map', 'groupBy+count'];
const GUARANTEES: readonly ProcessingGuarantee[] = ['at_least_once', 'exactly_once'];

interface Context {
  readonly kafka: Kafka;
  readonly broker: Broker;
  readonly client: KafkaClientName;
  readonly records: number;
  readonly runId: string;
}

interface Row {
  readonly workload: string;
  readonly value: string;
  readonly guarantee: string;
  readonly records: number;
  readonly elapsedMs: number;
  readonly figures: ChildFigures;
  readonly brokerCpuSeconds: number | undefined;
  readonly load: number;
  readonly check: string;
}

const log = (message: string) => console.error(`[bench] ${message}`);

async function produceInput(ctx: Context, valueBytes: number): Promise<InputTopic> {
  const name = `bench-input-${valueBytes}b-${ctx.runId}`;
  const started = Date.now();
  const input = await produceStandardInput(ctx.kafka, name, PARTITIONS, ctx.records, valueBytes);
  log(`produced ${formatCount(ctx.records)} records of ${valueBytes} B to ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return input;
}

async function runThroughput(ctx: Context, input: InputTopic, kind: TopologyKind, guarantee: ProcessingGuarantee): Promise<Row> {
  const applicationId = `bench-${kind === 'filter+map' ? 'filter' : 'count'}-${guarantee === 'exactly_once' ? 'eos' : 'alos'}-${input.valueBytes}b-${ctx.runId}`;
  const output = `${applicationId}-output`;
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-bench-broker-'));
  await createTopics(ctx.kafka, [{ name: output, partitions: PARTITIONS }]);
  let child: ChildRun | undefined;
  let failed = true;
  try {
    const countsDone = kind === 'groupBy+count' ? countsReach(ctx.kafka, output, ctx.records) : undefined;
    countsDone?.catch(() => undefined);
    child = new ChildRun({ kind: 'throughput', topology: kind, guarantee, applicationId, brokers: ctx.broker.brokers, stateDir, input: input.name, output, client: ctx.client });
    const startedAtMs = await child.started;
    const brokerCpuBefore = processCpuSeconds(ctx.broker.pid);
    const doneAtMs = await child.whileAlive(countsDone ?? committedToEnd(ctx.kafka, applicationId, input.name, input.ends));
    const brokerCpuAfter = processCpuSeconds(ctx.broker.pid);
    const load = loadavg()[0]!;
    child.stop();
    const figures = await child.figures;
    let check = `counts sum to ${formatCount(ctx.records)}`;
    if (kind === 'filter+map') {
      const expected = filterMapOutputCount(ctx.records);
      const actual = await filterMapOutput(ctx.kafka, output, guarantee, expected);
      check = actual === expected ? `${formatCount(actual)} out` : `MISMATCH: ${formatCount(actual)} out, expected ${formatCount(expected)}`;
    }
    failed = false;
    return {
      workload: kind,
      value: `${input.valueBytes} B`,
      guarantee,
      records: ctx.records,
      elapsedMs: doneAtMs - startedAtMs,
      figures,
      brokerCpuSeconds: brokerCpuBefore === undefined || brokerCpuAfter === undefined ? undefined : brokerCpuAfter - brokerCpuBefore,
      load,
      check,
    };
  } finally {
    await child?.end(failed);
    await deleteTopics(ctx.kafka, [applicationId]);
    await deleteGroup(ctx.kafka, applicationId);
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** Restoration of `records` distinct keys, written straight to the changelog in the count store's format. */
async function runRestoration(ctx: Context): Promise<Row> {
  const applicationId = `bench-restore-${ctx.runId}`;
  const input = `${applicationId}-input`;
  const changelog = changelogTopicName(applicationId, COUNT_STORE);
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-bench-broker-'));
  let child: ChildRun | undefined;
  let failed = true;
  try {
    await createTopics(ctx.kafka, [{ name: input, partitions: PARTITIONS }, { name: changelog, partitions: PARTITIONS, compacted: true }]);
    const one = countChangelogValue(1);
    const width = String(ctx.records).length;
    await produce(ctx.kafka, changelog, ctx.records, 24, (i) => ({ key: `key-${String(i).padStart(width, '0')}`, value: one }));
    log(`produced a changelog of ${formatCount(ctx.records)} distinct keys to ${changelog}`);
    const brokerCpuBefore = processCpuSeconds(ctx.broker.pid);
    child = new ChildRun({ kind: 'restoration', applicationId, brokers: ctx.broker.brokers, stateDir, input, client: ctx.client });
    const figures = await child.figures;
    const brokerCpuAfter = processCpuSeconds(ctx.broker.pid);
    const load = loadavg()[0]!;
    const complete = figures.restoredRecords === ctx.records && figures.storeEntries === ctx.records;
    failed = false;
    return {
      workload: 'restoration',
      value: '8 B',
      guarantee: '-',
      records: figures.restoredRecords,
      elapsedMs: figures.elapsedMs,
      figures,
      brokerCpuSeconds: brokerCpuBefore === undefined || brokerCpuAfter === undefined ? undefined : brokerCpuAfter - brokerCpuBefore,
      load,
      check: `${complete ? '' : 'MISMATCH: '}${formatCount(figures.restoredRecords)} restored, ${formatCount(figures.storeEntries)} keys`,
    };
  } finally {
    await child?.end(failed);
    await deleteTopics(ctx.kafka, [applicationId]);
    await deleteGroup(ctx.kafka, applicationId);
    rmSync(stateDir, { recursive: true, force: true });
  }
}

function printReport(ctx: Context, rows: readonly Row[], loadAtStart: readonly number[]): void {
  console.log(`kstreams broker throughput (client ${ctx.client}): ${formatCount(ctx.records)} records per run, input topics of ${PARTITIONS} partitions, commit interval 100 ms`);
  console.log(`input: keys from ${formatCount(DISTINCT_KEYS)} users, values start with one of ${formatCount(DISTINCT_PAGES)} pages (the group-by key)`);
  console.log(`restoration: a changelog of ${formatCount(ctx.records)} distinct keys, fresh instance with an empty state directory, timed from start() to RUNNING`);
  console.log(
    `machine: ${machineSummary()}, ` +
      `Kafka ${ctx.broker.version} (${ctx.broker.brokers.join(',')})`,
  );
  console.log(`load average at start: ${loadAtStart.map((l) => l.toFixed(2)).join(', ')}`);
  console.log('');
  const header = ['workload', 'value', 'guarantee', 'records/s', 'elapsed', 'CPU s/1M', 'peak RSS', 'broker CPU', 'load 1m', 'check'];
  const table = rows.map((row) => [
    row.workload,
    row.value,
    row.guarantee,
    formatCount((row.records / row.elapsedMs) * 1000),
    `${(row.elapsedMs / 1000).toFixed(1)} s`,
    ((row.figures.cpuSeconds / row.records) * 1e6).toFixed(1),
    mebibytes(row.figures.peakRssBytes),
    row.brokerCpuSeconds === undefined ? '-' : `${row.brokerCpuSeconds.toFixed(1)} s`,
    row.load.toFixed(2),
    row.check,
  ]);
  printReportTable(header, table, new Set([0, 1, 2, header.length - 1]));
  console.log('');
  console.log('CPU s/1M: CPU seconds (user + system) of the streams process per million records; broker CPU: the broker process over the run, shared with anything else using it');
}

async function main(): Promise<void> {
  const records = positiveIntegerFromEnv('BENCH_RECORDS', 1_000_000);
  const only = process.env.BENCH_ONLY ?? '';
  const client = benchClientOf(process.env.BENCH_CLIENT, 'BENCH_CLIENT');
  const loadAtStart = loadavg();
  const broker = await connectBroker(log);
  const ctx: Context = { kafka: benchKafka(broker.brokers, 'kstreams-bench'), broker, client, records, runId: randomUUID().slice(0, 8) };
  const rows: Row[] = [];
  try {
    for (const valueBytes of VALUE_SIZES) {
      const runs = TOPOLOGIES.flatMap((kind) => GUARANTEES.map((guarantee) => ({ kind, guarantee })))
        .filter(({ kind, guarantee }) => `${kind} ${valueBytes}b ${guarantee}`.includes(only));
      if (runs.length === 0) continue;
      const input = await produceInput(ctx, valueBytes);
      try {
        for (const { kind, guarantee } of runs) {
          log(`running ${kind}, ${valueBytes} B values, ${guarantee}`);
          rows.push(await runThroughput(ctx, input, kind, guarantee));
        }
      } finally {
        await deleteTopics(ctx.kafka, [input.name]);
      }
    }
    if ('restoration'.includes(only)) {
      log('running restoration');
      rows.push(await runRestoration(ctx));
    }
  } finally {
    if (broker.startedHere) log(`stopping the broker this run started: ${await stopBroker()}`);
  }
  printReport(ctx, rows, loadAtStart);
}

await main();
