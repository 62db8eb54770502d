/**
 * In-process throughput of joins through the real task code, without a broker.
 *
 *   node --import tsx bench/join-throughput.ts                      # the issue's sizes (below)
 *   BENCH_SCALE=10 node --import tsx bench/join-throughput.ts       # every input 10 times smaller
 *   BENCH_WORKLOADS=table node --import tsx bench/join-throughput.ts   # only workloads whose name matches
 *
 * Workloads, each in a child process of its own (so its peak RSS is its own), SQLite stores, driven as
 * `bench/support/run-topology.ts` drives tasks (commit every 10,000 records):
 * - stream-stream inner and left joins: two inputs of 500,000 records each (interleaved one by one), keys drawn
 *   uniformly at random (seeded) from 10,000, event time advancing 10 ms per record (of either input), so a key
 *   sees a record of each input every ~200 s; windows of 1 minute either way with 1 s of grace — a record meets
 *   about 0.6 records of the other side on average.
 * - stream-table inner join: a table of 100,000 keys loaded first, then 1,000,000 stream records over those keys.
 * `records/s` counts input records of both sides (the table's included) over the whole run.
 */
import { Serdes } from '../src/core/serdes.js';
import { Headers } from '../src/core/headers.js';
import type { RawRecord } from '../src/processing/raw-record.js';
import { StreamsBuilder } from '../src/topology/dsl/streams-builder.js';
import type { Topology } from '../src/topology/topology.js';
import { JoinWindows } from '../src/windows/join-windows.js';
import { positiveIntegerFromEnv } from './positive-integer-from-env.js';
import { formatCount, machineSummary, mebibytes, printReportTable } from './support/report-table.js';
import { runEachInChild } from './support/run-each-in-child.js';
import { runTopology, type RunFigures } from './support/run-topology.js';
import { SeededRandom } from '../src/testing/seeded-random.js';

const BATCH_SIZE = 1_000;
const COMMIT_EVERY = 10_000;
const EVENT_MS_PER_RECORD = 10;
const strings = { keySerde: Serdes.String(), valueSerde: Serdes.String() };

interface Workload {
  readonly name: string;
  readonly topology: () => Topology;
  /** The input, in the order the task reads it. */
  readonly input: (scale: number) => () => RawRecord[] | undefined;
  readonly records: (scale: number) => number;
}

const WINDOWS = JoinWindows.ofTimeDifferenceAndGrace(60_000, 1_000);

function streamStreamJoin(kind: 'inner' | 'left'): Topology {
  const builder = new StreamsBuilder();
  const clicks = builder.stream('clicks', strings);
  const views = builder.stream('views', strings);
  const joined = kind === 'inner' ? clicks.join(views, (click, view) => `${click}|${view}`, WINDOWS, { ...strings, otherValueSerde: Serdes.String() }) : clicks.leftJoin(views, (click, view) => `${click}|${view}`, WINDOWS, { ...strings, otherValueSerde: Serdes.String() });
  joined.to('joined', strings);
  return builder.build();
}

function streamTableJoin(): Topology {
  const builder = new StreamsBuilder();
  const users = builder.table('users', strings);
  builder
    .stream('clicks', strings)
    .join(users, (click, user) => `${click}|${user}`)
    .to('enriched', strings);
  return builder.build();
}

const WORKLOADS: readonly Workload[] = [
  { name: 'stream-stream inner, 1 min windows', topology: () => streamStreamJoin('inner'), input: twoStreams, records: (scale) => 1_000_000 / scale },
  { name: 'stream-stream left, 1 min windows', topology: () => streamStreamJoin('left'), input: twoStreams, records: (scale) => 1_000_000 / scale },
  { name: 'stream-table inner, 100K-key table', topology: streamTableJoin, input: tableThenStream, records: (scale) => 1_100_000 / scale },
];

/** Clicks and views interleaved, 500,000 each (divided by `scale`), over 10,000 keys. */
function twoStreams(scale: number): () => RawRecord[] | undefined {
  const random = new SeededRandom(42);
  const keys = Array.from({ length: 10_000 }, (_, i) => Buffer.from(`user-${i}`));
  const total = 1_000_000 / scale;
  const offsets = { clicks: 0, views: 0 };
  let produced = 0;
  return batches(() => {
    if (produced >= total) return undefined;
    const topic = produced % 2 === 0 ? 'clicks' : 'views';
    const timestamp = produced * EVENT_MS_PER_RECORD;
    produced++;
    return record(topic, offsets[topic]++, random.pick(keys), Buffer.from(`${topic}-${produced}`), timestamp);
  });
}

/** 100,000 users (divided by `scale`), then 1,000,000 clicks (likewise) by users drawn at random. */
function tableThenStream(scale: number): () => RawRecord[] | undefined {
  const random = new SeededRandom(42);
  const users = 100_000 / scale;
  const clicks = 1_000_000 / scale;
  const keys = Array.from({ length: users }, (_, i) => Buffer.from(`user-${i}`));
  let produced = 0;
  return batches(() => {
    if (produced >= users + clicks) return undefined;
    const n = produced++;
    if (n < users) return record('users', n, keys[n]!, Buffer.from(`region-${n % 50}`), n);
    return record('clicks', n - users, keys[random.int(0, users - 1)]!, Buffer.from(`/page/${n % 100}`), n * EVENT_MS_PER_RECORD);
  });
}

function record(topic: string, offset: number, key: Buffer, value: Buffer, timestamp: number): RawRecord {
  return { topic, partition: 0, offset, timestamp, key, value, headers: Headers.EMPTY };
}

function batches(next: () => RawRecord | undefined): () => RawRecord[] | undefined {
  return () => {
    const batch: RawRecord[] = [];
    while (batch.length < BATCH_SIZE) {
      const record = next();
      if (record === undefined) break;
      batch.push(record);
    }
    return batch.length > 0 ? batch : undefined;
  };
}

interface WorkloadResult extends RunFigures {
  readonly name: string;
  readonly records: number;
}

function runWorkload(workload: Workload, scale: number): WorkloadResult {
  return { name: workload.name, records: workload.records(scale), ...runTopology(workload.topology(), workload.input(scale), COMMIT_EVERY) };
}

async function main(): Promise<void> {
  const scale = positiveIntegerFromEnv('BENCH_SCALE', 1);
  const only = process.env['BENCH_WORKLOADS'];
  const results = await runEachInChild(import.meta.url, WORKLOADS, (workload) => runWorkload(workload, scale), (workload) => only === undefined || workload.name.includes(only));
  if (results === undefined) return;
  console.log(`kstreams join throughput: inputs as described in bench/join-throughput.ts${scale === 1 ? '' : `, divided by ${scale}`}; SQLite stores, no broker, commit every ${formatCount(COMMIT_EVERY)} records`);
  console.log(`machine: ${machineSummary()}`);
  console.log('');
  const header = ['workload', 'input records', 'records/s', 'per CPU-s', 'elapsed', 'output', 'changelog', 'peak RSS'];
  const rows = results.map(({ result }) => [
    result.name,
    formatCount(result.records),
    formatCount((result.records / result.elapsedMs) * 1000),
    formatCount((result.records / result.cpuMs) * 1000),
    `${(result.elapsedMs / 1000).toFixed(2)} s`,
    formatCount(result.outputRecords),
    formatCount(result.changelogRecords),
    mebibytes(result.peakRssBytes),
  ]);
  printReportTable(header, rows);
}

await main();
