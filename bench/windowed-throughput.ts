/**
 * In-process throughput of windowed counts through the real task code, without a broker.
 *
 *   node --import tsx bench/windowed-throughput.ts            # 1,000,000 records per workload
 *   BENCH_RECORDS=100000 node --import tsx bench/windowed-throughput.ts
 *   BENCH_WORKLOADS=sessions node --import tsx bench/windowed-throughput.ts   # only workloads whose name matches
 *
 * Each workload runs in a child process of its own, so its peak RSS is its own. The topology comes from the DSL
 * (a windowed `count()` into a SQLite window or session store, every update written to an output topic); its one
 * sub-topology runs as a `StreamTask` driven directly, committing every `BENCH_COMMIT_EVERY` records (default
 * 10,000) as the runtime does on its commit interval, rather than through `TopologyTestDriver`, which commits after
 * every record. Output and changelog records are counted, not stored.
 *
 * Input: keys drawn uniformly at random (seeded, so every run sees the same stream) from 10,000 users. Event time
 * advances 10 ms per record on average — 1,000,000 records span 10,000 s, about 2.8 hours — and each record is
 * moved back by a random 0–999 ms, so records arrive slightly out of order. Every workload's grace period (1 s)
 * covers that jitter, so no record is late. Per user, records are then ~100 s apart on average: 5-second windows
 * mostly count one record, and a 5-minute session gap splits a user's activity about one time in twenty.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { arch, cpus, platform, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Headers } from '../src/core/headers.js';
import type { Serde } from '../src/core/serde.js';
import { Serdes } from '../src/core/serdes.js';
import type { Windowed } from '../src/core/windowed.js';
import type { RawRecord } from '../src/runtime/task/raw-record.js';
import { StreamTask } from '../src/runtime/task/stream-task.js';
import { TaskDatabase } from '../src/state/sqlite/task-database.js';
import type { KGroupedStream, KTable } from '../src/topology/dsl/dsl-api.js';
import { StreamsBuilder } from '../src/topology/dsl/streams-builder.js';
import type { Topology } from '../src/topology/topology.js';
import { SessionWindows } from '../src/windows/session-windows.js';
import { TimeWindows } from '../src/windows/time-windows.js';
import { WindowedSerdes } from '../src/windows/windowed-serdes.js';
import { positiveIntegerFromEnv } from './positive-integer-from-env.js';

const APPLICATION_ID = 'bench';
const INPUT_TOPIC = 'clicks';
const OUTPUT_TOPIC = 'windowed-counts';
const BATCH_SIZE = 1_000;
const DISTINCT_USERS = 10_000;
const MEAN_EVENT_TIME_STEP_MS = 10;
const MAX_JITTER_MS = 1_000;
const GRACE_MS = 1_000;

interface Workload {
  readonly name: string;
  /** Records per second the issue sets as the reference point for this workload. */
  readonly referenceRecordsPerSecond: number;
  readonly topology: () => Topology;
}

const WORKLOADS: readonly Workload[] = [
  {
    name: 'tumbling 5 s',
    referenceRecordsPerSecond: 500_000,
    topology: () => timeWindowedCount(TimeWindows.ofSizeAndGrace(5_000, GRACE_MS), 5_000),
  },
  {
    name: 'hopping 30 s by 5 s',
    referenceRecordsPerSecond: 200_000,
    topology: () => timeWindowedCount(TimeWindows.ofSizeAndGrace(30_000, GRACE_MS).advanceBy(5_000), 30_000),
  },
  {
    name: 'sessions, 5 min gap',
    referenceRecordsPerSecond: 300_000,
    topology: () =>
      windowedCount(
        (grouped) => grouped.windowedBy(SessionWindows.ofInactivityGapAndGrace(5 * 60_000, GRACE_MS)).count(),
        WindowedSerdes.sessionWindowedSerdeFrom(Serdes.String()),
      ),
  },
];

function timeWindowedCount(windows: TimeWindows, sizeMs: number): Topology {
  return windowedCount((grouped) => grouped.windowedBy(windows).count(), WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), sizeMs));
}

/** Clicks keyed by user (so no repartition), counted per window by `count`, every update written out. */
function windowedCount(
  count: (grouped: KGroupedStream<string, string>) => KTable<Windowed<string>, number>,
  outputKeySerde: Serde<Windowed<string>>,
): Topology {
  const builder = new StreamsBuilder();
  const grouped = builder.stream(INPUT_TOPIC, { keySerde: Serdes.String(), valueSerde: Serdes.String() }).groupByKey();
  count(grouped).toStream().to(OUTPUT_TOPIC, { keySerde: outputKeySerde, valueSerde: Serdes.Long() });
  return builder.build();
}

interface WorkloadResult {
  readonly name: string;
  readonly referenceRecordsPerSecond: number;
  readonly records: number;
  readonly elapsedMs: number;
  readonly outputRecords: number;
  readonly changelogRecords: number;
  readonly lateRecords: number;
  readonly peakRssBytes: number;
}

/** The one task of a single-sub-topology application, over a SQLite task database in `stateDir`. */
class BenchTask {
  private readonly task: StreamTask;
  private readonly database: TaskDatabase;
  outputRecords = 0;
  changelogRecords = 0;

  constructor(topology: Topology, stateDir: string) {
    const compiled = topology.build();
    const [subtopology, ...others] = compiled.subtopologies;
    if (subtopology === undefined || others.length > 0) throw new Error('a windowed bench topology has exactly one sub-topology');
    this.database = TaskDatabase.open(join(stateDir, `${subtopology.id}_0.sqlite`));
    const recordCollector = { send: () => void this.outputRecords++, partitionCount: () => 1 };
    const changelog = { send: () => void this.changelogRecords++ };
    this.task = new StreamTask(subtopology, compiled, 0, { applicationId: APPLICATION_ID }, { database: this.database, changelog, recordCollector });
    this.task.initializeStateStores();
    this.task.initializeTopology();
  }

  process(batch: readonly RawRecord[]): void {
    this.task.addRecords({ topic: INPUT_TOPIC, partition: 0 }, batch);
    while (this.task.process()) {
      // keep processing what is buffered
    }
  }

  commit(): void {
    this.task.flush();
    this.task.commitState();
  }

  lateRecords(): number {
    return this.task.metrics().droppedRecords.lateRecords;
  }

  close(): void {
    this.task.close();
    this.database.close();
  }
}

/** Mulberry32: a small seeded generator, so every run and workload sees the same input. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Input as a consumer hands it over: serialized keys and values, with event time as described at the top. */
function inputBatches(records: number): () => RawRecord[] | undefined {
  const users = Array.from({ length: DISTINCT_USERS }, (_, i) => Buffer.from(`user-${i}`));
  const pages = Array.from({ length: 100 }, (_, i) => Buffer.from(`/page/${i}`));
  const random = seededRandom(42);
  let offset = 0;
  return () => {
    if (offset >= records) return undefined;
    const batch: RawRecord[] = [];
    for (const end = Math.min(records, offset + BATCH_SIZE); offset < end; offset++) {
      const key = users[Math.floor(random() * DISTINCT_USERS)]!;
      const value = pages[offset % pages.length]!;
      const timestamp = Math.max(0, offset * MEAN_EVENT_TIME_STEP_MS - Math.floor(random() * MAX_JITTER_MS));
      batch.push({ topic: INPUT_TOPIC, partition: 0, offset, timestamp, key, value, headers: Headers.EMPTY });
    }
    return batch;
  };
}

function runWorkload(workload: Workload, records: number, commitEvery: number): WorkloadResult {
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-windowed-bench-'));
  const task = new BenchTask(workload.topology(), stateDir);
  const nextBatch = inputBatches(records);
  try {
    const started = process.hrtime.bigint();
    let sinceCommit = 0;
    for (let batch = nextBatch(); batch !== undefined; batch = nextBatch()) {
      task.process(batch);
      sinceCommit += batch.length;
      if (sinceCommit >= commitEvery) {
        task.commit();
        sinceCommit = 0;
      }
    }
    task.commit();
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    return {
      name: workload.name,
      referenceRecordsPerSecond: workload.referenceRecordsPerSecond,
      records,
      elapsedMs,
      outputRecords: task.outputRecords,
      changelogRecords: task.changelogRecords,
      lateRecords: task.lateRecords(),
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  } finally {
    task.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** Runs one workload in a fresh child process and returns its result. */
function runInChild(index: number): Promise<WorkloadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [String(index)], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (result) => resolve(result as WorkloadResult));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`workload ${WORKLOADS[index]!.name} exited with code ${code}`));
    });
  });
}

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const mebibytes = (bytes: number): string => `${number.format(bytes / 2 ** 20)} MiB`;

function printReport(results: readonly WorkloadResult[], records: number, commitEvery: number): void {
  const cpu = cpus();
  console.log(
    `kstreams windowed throughput: ${number.format(records)} records per workload over ${number.format(DISTINCT_USERS)} keys, ` +
      `SQLite stores, no broker, commit every ${number.format(commitEvery)} records`,
  );
  console.log(
    `event time: ${MEAN_EVENT_TIME_STEP_MS} ms per record (${number.format((records * MEAN_EVENT_TIME_STEP_MS) / 1000)} s in all), ` +
      `up to ${number.format(MAX_JITTER_MS - 1)} ms out of order, grace ${number.format(GRACE_MS)} ms`,
  );
  console.log(`machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${mebibytes(totalmem())} RAM, ${platform()} ${arch()}, node ${process.version}`);
  console.log('');
  const header = ['workload', 'records/s', 'reference', 'elapsed', 'output', 'changelog', 'late', 'peak RSS'];
  const rows = results.map((result) => [
    result.name,
    number.format((result.records / result.elapsedMs) * 1000),
    number.format(result.referenceRecordsPerSecond),
    `${(result.elapsedMs / 1000).toFixed(2)} s`,
    number.format(result.outputRecords),
    number.format(result.changelogRecords),
    number.format(result.lateRecords),
    mebibytes(result.peakRssBytes),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '));
}

async function main(): Promise<void> {
  const records = positiveIntegerFromEnv('BENCH_RECORDS', 1_000_000);
  const commitEvery = positiveIntegerFromEnv('BENCH_COMMIT_EVERY', 10_000);
  const workloadIndex = process.argv[2];
  if (workloadIndex !== undefined) {
    process.send!(runWorkload(WORKLOADS[Number(workloadIndex)]!, records, commitEvery));
    return;
  }
  const only = process.env['BENCH_WORKLOADS'];
  const results: WorkloadResult[] = [];
  for (let index = 0; index < WORKLOADS.length; index++) {
    if (only === undefined || WORKLOADS[index]!.name.includes(only)) results.push(await runInChild(index));
  }
  printReport(results, records, commitEvery);
}

await main();
