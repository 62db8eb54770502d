/**
 * What more stream threads buy: the broker bench's filter+map and groupBy+count workloads run by one instance with
 * 1 stream thread (on the calling thread, as without `numStreamThreads`) and with 2 (each in a worker thread).
 *
 *   KAFKA_BROKERS=127.0.0.1:9092 npm run bench:threads
 *   BENCH_RECORDS=500000 BENCH_THREADS=1,2,4 BENCH_GUARANTEES=exactly_once npm run bench:threads
 *
 * Each run is a fresh application in a child process of its own (this file, with `--child`), so that its CPU time
 * (all of its threads) and peak RSS are its own; it is timed from `start()` until the output reflects every input
 * (as bench/broker-throughput.ts: committed offsets at the end for filter+map, the counts adding up for groupBy+count).
 * The input topic has 4 partitions, so 2 threads hold 2 partitions (and tasks) each.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { KafkaStreams } from '../src/runtime/app/kafka-streams.js';
import type { ProcessingGuarantee } from '../src/runtime/app/streams-config.js';
import { benchKafka, createTopics, deleteGroup, deleteTopics, endOffsets, produce } from './broker/broker-ops.js';
import { committedToEnd, countsReach } from './broker/completion.js';
import { DISTINCT_KEYS, DISTINCT_PAGES, inputKey, inputPage, pageValue, topologyOf, type TopologyKind } from './broker/workloads.js';
import { positiveIntegerFromEnv } from './positive-integer-from-env.js';
import { formatCount, machineSummary, mebibytes, printReportTable } from './support/report-table.js';

const PARTITIONS = 4;
const VALUE_BYTES = 100;
const TOPOLOGIES: readonly TopologyKind[] = ['filter+map', 'groupBy+count'];
const WORKLOADS_MODULE = new URL('./broker/workloads.ts', import.meta.url).href;

interface ChildSpec {
  readonly kind: TopologyKind;
  readonly threads: number;
  readonly guarantee: ProcessingGuarantee;
  readonly applicationId: string;
  readonly brokers: readonly string[];
  readonly stateDir: string;
  readonly input: string;
  readonly output: string;
}

type ChildMessage = { readonly type: 'started'; readonly atMs: number } | { readonly type: 'result'; readonly cpuSeconds: number; readonly peakRssBytes: number };

interface Row {
  readonly kind: TopologyKind;
  readonly guarantee: ProcessingGuarantee;
  readonly threads: number;
  readonly elapsedMs: number;
  readonly cpuSeconds: number;
  readonly peakRssBytes: number;
  readonly load: number;
}

const log = (message: string) => console.error(`[bench] ${message}`);

/** The measured side: one `KafkaStreams` until the parent says stop. */
async function runChild(spec: ChildSpec): Promise<void> {
  const stop = new Promise<void>((resolve) => process.once('message', () => resolve()));
  const topology = spec.threads === 1 ? topologyOf(spec.kind, spec.input, spec.output) : { module: WORKLOADS_MODULE, export: 'topologyOf', args: [spec.kind, spec.input, spec.output] };
  const cpuAtStart = process.cpuUsage();
  const streams = new KafkaStreams(topology, {
    applicationId: spec.applicationId,
    bootstrapServers: spec.brokers,
    stateDir: spec.stateDir,
    processingGuarantee: spec.guarantee,
    commitIntervalMs: 100,
    numStreamThreads: spec.threads,
    logger: pino({ level: process.env.BENCH_LOG ?? 'silent' }, pino.destination(2)),
  });
  process.send!({ type: 'started', atMs: Date.now() } satisfies ChildMessage);
  await streams.start();
  await stop;
  const cpu = process.cpuUsage(cpuAtStart);
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  await streams.close();
  streams.cleanUp();
  process.send!({ type: 'result', cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssBytes } satisfies ChildMessage);
}

async function measure(kafka: ReturnType<typeof benchKafka>, brokers: readonly string[], records: number, input: string, ends: ReadonlyMap<number, number>, kind: TopologyKind, guarantee: ProcessingGuarantee, threads: number): Promise<Row> {
  const applicationId = `bench-threads-${threads}-${kind === 'filter+map' ? 'filter' : 'count'}-${randomUUID().slice(0, 8)}`;
  const output = `${applicationId}-output`;
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-bench-threads-'));
  await createTopics(kafka, [{ name: output, partitions: PARTITIONS }]);
  const child = fork(fileURLToPath(import.meta.url), ['--child'], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the measured child exited with code ${code} before reporting`))));
  exited.catch(() => undefined);
  const next = <T extends ChildMessage['type']>(type: T) =>
    Promise.race([new Promise<Extract<ChildMessage, { type: T }>>((resolve) => child.on('message', (m: ChildMessage) => m.type === type && resolve(m as Extract<ChildMessage, { type: T }>))), exited]);
  try {
    const countsDone = kind === 'groupBy+count' ? countsReach(kafka, output, records) : undefined;
    countsDone?.catch(() => undefined);
    const result = next('result');
    result.catch(() => undefined);
    child.send({ kind, threads, guarantee, applicationId, brokers, stateDir, input, output } satisfies ChildSpec);
    const { atMs } = await next('started');
    const doneAtMs = await Promise.race([countsDone ?? committedToEnd(kafka, applicationId, input, ends), exited]);
    const load = loadavg()[0]!;
    child.send('stop');
    const figures = await result;
    return { kind, guarantee, threads, elapsedMs: doneAtMs - atMs, cpuSeconds: figures.cpuSeconds, peakRssBytes: figures.peakRssBytes, load };
  } finally {
    if (child.exitCode === null) {
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited.catch(() => undefined);
      clearTimeout(kill);
    }
    await deleteTopics(kafka, [applicationId]);
    await deleteGroup(kafka, applicationId);
    rmSync(stateDir, { recursive: true, force: true });
  }
}

function printReport(records: number, rows: readonly Row[], loadAtStart: readonly number[]): void {
  console.log(`kstreams stream threads: ${formatCount(records)} records of ${VALUE_BYTES} B per run, input topic of ${PARTITIONS} partitions, commit interval 100 ms`);
  console.log(`machine: ${machineSummary()}; load average at start: ${loadAtStart.map((l) => l.toFixed(2)).join(', ')}`);
  console.log('');
  const baseline = (row: Row) => rows.find((r) => r.kind === row.kind && r.guarantee === row.guarantee && r.threads === 1);
  const table = rows.map((row) => {
    const rate = (records / row.elapsedMs) * 1000;
    const base = baseline(row);
    return [
      row.kind,
      row.guarantee,
      String(row.threads),
      formatCount(rate),
      base === undefined ? '-' : `${((base.elapsedMs / row.elapsedMs) * 100).toFixed(0)} %`,
      `${(row.elapsedMs / 1000).toFixed(1)} s`,
      ((row.cpuSeconds / records) * 1e6).toFixed(1),
      mebibytes(row.peakRssBytes),
      row.load.toFixed(2),
    ];
  });
  printReportTable(['workload', 'guarantee', 'threads', 'records/s', 'vs 1 thread', 'elapsed', 'CPU s/1M', 'peak RSS', 'load 1m'], table, new Set([0, 1]));
  console.log('');
  console.log('CPU s/1M: CPU seconds (user + system, every thread) of the streams process per million records');
}

async function main(): Promise<void> {
  const records = positiveIntegerFromEnv('BENCH_RECORDS', 200_000);
  const threadCounts = (process.env.BENCH_THREADS ?? '1,2').split(',').map(Number);
  const guarantees = (process.env.BENCH_GUARANTEES ?? 'at_least_once,exactly_once').split(',') as ProcessingGuarantee[];
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  const kafka = benchKafka(brokers, 'kstreams-bench-threads');
  const loadAtStart = loadavg();
  const input = `bench-threads-input-${randomUUID().slice(0, 8)}`;
  await createTopics(kafka, [{ name: input, partitions: PARTITIONS }]);
  const rows: Row[] = [];
  try {
    const keys = Array.from({ length: DISTINCT_KEYS }, (_, i) => Buffer.from(inputKey(i)));
    const values = Array.from({ length: DISTINCT_PAGES }, (_, page) => pageValue(page, VALUE_BYTES));
    await produce(kafka, input, records, VALUE_BYTES, (i) => ({ key: keys[i % DISTINCT_KEYS]!, value: values[inputPage(i)]! }));
    const ends = await endOffsets(kafka, input);
    for (const kind of TOPOLOGIES) {
      for (const guarantee of guarantees) {
        for (const threads of threadCounts) {
          log(`running ${kind}, ${guarantee}, ${threads} thread(s)`);
          rows.push(await measure(kafka, brokers, records, input, ends, kind, guarantee, threads));
        }
      }
    }
  } finally {
    await deleteTopics(kafka, [input]);
  }
  printReport(records, rows, loadAtStart);
}

if (process.argv.includes('--child')) {
  process.once('message', (spec: ChildSpec) => {
    runChild(spec).then(
      () => process.disconnect(),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
} else {
  await main();
}
