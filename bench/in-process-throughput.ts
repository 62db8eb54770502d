/**
 * In-process throughput of the real task code, without a broker.
 *
 *   node --import tsx bench/in-process-throughput.ts            # 1,000,000 records per workload
 *   BENCH_RECORDS=100000 node --import tsx bench/in-process-throughput.ts
 *
 * Each workload runs in a child process of its own, so its peak RSS is its own. The topology comes from the DSL;
 * its sub-topologies run as `TaskEngine`s driven directly rather than through `TopologyTestDriver`, because the
 * driver commits after every record (flushing caches and committing SQLite each time), which would measure
 * commits instead of processing. Here tasks commit every `BENCH_COMMIT_EVERY` records (default 10,000), as the
 * runtime commits on its commit interval; records a task writes to a repartition topic are handed to the next
 * task in batches, as a consumer would fetch them. Changelog writes are counted, not stored.
 */
import { Serdes } from '../src/core/serdes.js';
import type { RawRecord } from '../src/processing/raw-record.js';
import { KeyValue } from '../src/state/key-value.js';
import type { StoreType } from '../src/topology/dsl/dsl-options.js';
import { StreamsBuilder } from '../src/topology/dsl/streams-builder.js';
import type { Topology } from '../src/topology/topology.js';
import { positiveIntegerFromEnv } from './positive-integer-from-env.js';
import { inputBatches } from './support/input-batches.js';
import { formatCount, machineSummary, mebibytes, printReportTable } from './support/report-table.js';
import { runEachInChild } from './support/run-each-in-child.js';
import { runTopology, type RunFigures } from './support/run-topology.js';

const INPUT_TOPIC = 'page-views';
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

interface WorkloadResult extends RunFigures {
  readonly name: string;
  readonly records: number;
}

/** Input as a consumer hands it over: serialized keys and values, drawn from pools so generating them is cheap. */
function pageViews(records: number): () => RawRecord[] | undefined {
  const users = Array.from({ length: DISTINCT_USERS }, (_, i) => Buffer.from(`user-${i}`));
  const pages = Array.from({ length: DISTINCT_PAGES }, (_, i) => Buffer.from(`/page/${i}`));
  return inputBatches(INPUT_TOPIC, (offset) =>
    offset < records ? { key: users[offset % DISTINCT_USERS]!, value: pages[(offset * 7919) % DISTINCT_PAGES]!, timestamp: offset } : undefined,
  );
}

function runWorkload(workload: Workload, records: number, commitEvery: number): WorkloadResult {
  const figures = runTopology(workload.topology(), pageViews(records), commitEvery);
  return { name: workload.name, records, ...figures };
}

function printReport(results: readonly WorkloadResult[], records: number, commitEvery: number): void {
  console.log(`kstreams in-process throughput: ${formatCount(records)} records per workload, no broker, commit every ${formatCount(commitEvery)} records`);
  console.log(`input: keys from ${formatCount(DISTINCT_USERS)} users, values (the group-by keys) from ${formatCount(DISTINCT_PAGES)} pages`);
  console.log(`machine: ${machineSummary()}`);
  console.log('');
  const header = ['workload', 'records/s', 'elapsed', 'output', 'changelog', 'peak RSS'];
  const rows = results.map((result) => [
    result.name,
    formatCount((result.records / result.elapsedMs) * 1000),
    `${(result.elapsedMs / 1000).toFixed(2)} s`,
    formatCount(result.outputRecords),
    formatCount(result.changelogRecords),
    mebibytes(result.peakRssBytes),
  ]);
  printReportTable(header, rows);
  console.log('');
  console.log('reference points: 1,000,000 records/s for filter+map, 400,000 records/s for group-by');
}

async function main(): Promise<void> {
  const records = positiveIntegerFromEnv('BENCH_RECORDS', 1_000_000);
  const commitEvery = positiveIntegerFromEnv('BENCH_COMMIT_EVERY', 10_000);
  const results = await runEachInChild(import.meta.url, WORKLOADS, (workload) => runWorkload(workload, records, commitEvery));
  if (results !== undefined) printReport(results.map(({ result }) => result), records, commitEvery);
}

await main();
