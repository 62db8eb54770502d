/**
 * In-process throughput of the real task code, without a broker.
 *
 *   node --import tsx bench/in-process-throughput.ts            # 1,000,000 records per workload
 *   BENCH_RECORDS=100000 node --import tsx bench/in-process-throughput.ts
 *
 * Each workload runs in a child process of its own, so its peak RSS is its own. The topology comes from the DSL;
 * its sub-topologies run as `StreamTask`s driven directly rather than through `TopologyTestDriver`, because the
 * driver commits after every record (flushing caches and committing SQLite each time), which would measure
 * commits instead of processing. Here tasks commit every `BENCH_COMMIT_EVERY` records (default 10,000), as the
 * runtime commits on its commit interval; records a task writes to a repartition topic are handed to the next
 * task in batches, as a consumer would fetch them. Changelog writes are counted, not stored.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem, platform, arch } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Headers } from '../src/core/headers.js';
import { Serdes } from '../src/core/serdes.js';
import { StreamTask } from '../src/runtime/task/stream-task.js';
import type { RawRecord } from '../src/runtime/task/raw-record.js';
import type { OutgoingRecord } from '../src/runtime/task/record-collector.js';
import { KeyValue } from '../src/state/key-value.js';
import { TaskDatabase } from '../src/state/sqlite/task-database.js';
import type { StoreType } from '../src/topology/dsl/dsl-options.js';
import { StreamsBuilder } from '../src/topology/dsl/streams-builder.js';
import type { Topology } from '../src/topology/topology.js';
import { positiveIntegerFromEnv } from './positive-integer-from-env.js';

const APPLICATION_ID = 'bench';
const INPUT_TOPIC = 'page-views';
const BATCH_SIZE = 1_000;
const DISTINCT_USERS = 10_000;
/** Group-by keys: with 10,000 records between commits, the cache merges about ten updates per key. */
const DISTINCT_PAGES = 1_000;

interface Workload {
  readonly name: string;
  readonly topology: () => Topology;
}

const strings = { keySerde: Serdes.String(), valueSerde: Serdes.String() };

const WORKLOADS: readonly Workload[] = [
  {
    name: 'filter+map',
    topology: () => {
      const builder = new StreamsBuilder();
      builder
        .stream(INPUT_TOPIC, strings)
        .filter((_user, page) => !page.endsWith('0'))
        .map((user, page) => KeyValue.pair(page, user.toUpperCase()))
        .to('views-by-page', strings);
      return builder.build();
    },
  },
  { name: 'groupBy+count (in-memory store)', topology: () => groupByCount('in-memory') },
  { name: 'groupBy+count (SQLite store)', topology: () => groupByCount('persistent') },
];

/** Views per page: the grouping changes the key, so records cross a repartition topic to the counting task. */
function groupByCount(storeType: StoreType): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream(INPUT_TOPIC, strings)
    .groupBy((_user, page) => page, strings)
    .count({ storeType })
    .toStream()
    .to('views-per-page', { keySerde: Serdes.String(), valueSerde: Serdes.Long() });
  return builder.build();
}

interface WorkloadResult {
  readonly name: string;
  readonly records: number;
  readonly elapsedMs: number;
  readonly outputRecords: number;
  readonly changelogRecords: number;
  readonly peakRssBytes: number;
}

/** The tasks of one topology, chained in sub-topology order through in-memory "repartition topics". */
class TaskChain {
  private readonly tasks: StreamTask[] = [];
  private readonly databases: TaskDatabase[] = [];
  /** Per repartition topic: records written and not yet handed to the next task, and the next offset to assign. */
  private readonly repartitionTopics = new Map<string, { pending: RawRecord[]; nextOffset: number }>();
  outputRecords = 0;
  changelogRecords = 0;

  constructor(topology: Topology, stateDir: string) {
    const compiled = topology.build();
    const internalTopics = new Set(compiled.internalTopics.map((topic) => `${APPLICATION_ID}-${topic.name}`));
    const recordCollector = {
      send: (record: OutgoingRecord) => (internalTopics.has(record.topic) ? this.enqueue(record) : this.outputRecords++),
      partitionCount: () => 1,
    };
    const changelog = { send: () => void this.changelogRecords++ };
    for (const subtopology of compiled.subtopologies) {
      const database = TaskDatabase.open(join(stateDir, `${subtopology.id}_0.sqlite`));
      this.databases.push(database);
      this.tasks.push(new StreamTask(subtopology, compiled, 0, { applicationId: APPLICATION_ID }, { database, changelog, recordCollector }));
    }
    for (const task of this.tasks) task.initializeStateStores();
    for (const task of this.tasks) task.initializeTopology();
  }

  /** Processes one batch of input through every task, as far as it goes. */
  processBatch(batch: readonly RawRecord[]): void {
    this.tasks[0]!.addRecords({ topic: INPUT_TOPIC, partition: 0 }, batch);
    for (const task of this.tasks) {
      this.deliverPending(task);
      while (task.process()) {
        // keep processing what is buffered
      }
    }
  }

  /** Flushes and commits every task in order; flushing a cache may send records on to the next task first. */
  commit(): void {
    for (const task of this.tasks) {
      this.deliverPending(task);
      while (task.process()) {
        // records a previous task's flush produced
      }
      task.flush();
      task.commitState();
    }
  }

  close(): void {
    for (const task of this.tasks) task.close();
    for (const database of this.databases) database.close();
  }

  private enqueue(record: OutgoingRecord): void {
    let topic = this.repartitionTopics.get(record.topic);
    if (topic === undefined) {
      topic = { pending: [], nextOffset: 0 };
      this.repartitionTopics.set(record.topic, topic);
    }
    const offset = topic.nextOffset++;
    topic.pending.push({ topic: record.topic, partition: 0, offset, timestamp: record.timestamp, key: record.key, value: record.value, headers: record.headers });
  }

  private deliverPending(task: StreamTask): void {
    for (const { topic: name } of task.inputPartitions) {
      const topic = this.repartitionTopics.get(name);
      if (topic === undefined || topic.pending.length === 0) continue;
      task.addRecords({ topic: name, partition: 0 }, topic.pending);
      topic.pending = [];
    }
  }
}

/** Input as a consumer hands it over: serialized keys and values, drawn from pools so generating them is cheap. */
function inputBatches(records: number): () => RawRecord[] | undefined {
  const users = Array.from({ length: DISTINCT_USERS }, (_, i) => Buffer.from(`user-${i}`));
  const pages = Array.from({ length: DISTINCT_PAGES }, (_, i) => Buffer.from(`/page/${i}`));
  let offset = 0;
  return () => {
    if (offset >= records) return undefined;
    const batch: RawRecord[] = [];
    for (const end = Math.min(records, offset + BATCH_SIZE); offset < end; offset++) {
      const key = users[offset % DISTINCT_USERS]!;
      const value = pages[(offset * 7919) % DISTINCT_PAGES]!;
      batch.push({ topic: INPUT_TOPIC, partition: 0, offset, timestamp: offset, key, value, headers: Headers.EMPTY });
    }
    return batch;
  };
}

function runWorkload(workload: Workload, records: number, commitEvery: number): WorkloadResult {
  const stateDir = mkdtempSync(join(tmpdir(), 'kstreams-bench-'));
  const chain = new TaskChain(workload.topology(), stateDir);
  const nextBatch = inputBatches(records);
  try {
    const started = process.hrtime.bigint();
    let sinceCommit = 0;
    for (let batch = nextBatch(); batch !== undefined; batch = nextBatch()) {
      chain.processBatch(batch);
      sinceCommit += batch.length;
      if (sinceCommit >= commitEvery) {
        chain.commit();
        sinceCommit = 0;
      }
    }
    chain.commit();
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    const peakRssBytes = process.resourceUsage().maxRSS * 1024;
    return { name: workload.name, records, elapsedMs, outputRecords: chain.outputRecords, changelogRecords: chain.changelogRecords, peakRssBytes };
  } finally {
    chain.close();
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
  console.log(`kstreams in-process throughput: ${number.format(records)} records per workload, no broker, commit every ${number.format(commitEvery)} records`);
  console.log(`input: keys from ${number.format(DISTINCT_USERS)} users, values (the group-by keys) from ${number.format(DISTINCT_PAGES)} pages`);
  console.log(`machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${mebibytes(totalmem())} RAM, ${platform()} ${arch()}, node ${process.version}`);
  console.log('');
  const header = ['workload', 'records/s', 'elapsed', 'output', 'changelog', 'peak RSS'];
  const rows = results.map((result) => [
    result.name,
    number.format((result.records / result.elapsedMs) * 1000),
    `${(result.elapsedMs / 1000).toFixed(2)} s`,
    number.format(result.outputRecords),
    number.format(result.changelogRecords),
    mebibytes(result.peakRssBytes),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '));
  console.log('');
  console.log('reference points: 1,000,000 records/s for filter+map, 400,000 records/s for group-by');
}

async function main(): Promise<void> {
  const records = positiveIntegerFromEnv('BENCH_RECORDS', 1_000_000);
  const commitEvery = positiveIntegerFromEnv('BENCH_COMMIT_EVERY', 10_000);
  const workloadIndex = process.argv[2];
  if (workloadIndex !== undefined) {
    process.send!(runWorkload(WORKLOADS[Number(workloadIndex)]!, records, commitEvery));
    return;
  }
  const results: WorkloadResult[] = [];
  for (let index = 0; index < WORKLOADS.length; index++) results.push(await runInChild(index));
  printReport(results, records, commitEvery);
}

await main();
