/**
 * In-process throughput of windowed counts through the real task code, without a broker.
 *
 *   node --import tsx bench/windowed-throughput.ts            # 1,000,000 records per workload
 *   BENCH_RECORDS=100000 node --import tsx bench/windowed-throughput.ts
 *   BENCH_WORKLOADS=sessions node --import tsx bench/windowed-throughput.ts   # only workloads whose name matches
 *   BENCH_EVENT_MS_PER_RECORD=1 BENCH_KEYS=1000 node --import tsx bench/windowed-throughput.ts   # denser windows
 *   BENCH_CACHING=both node --import tsx bench/windowed-throughput.ts   # each workload cached (the default) and not
 *
 * Each workload runs in a child process of its own, so its peak RSS is its own. The topology comes from the DSL
 * (a windowed `count()` into a SQLite window or session store, every update — or, for the `on close` workloads,
 * every closed window — written to an output topic), its store cached as the DSL does by default (`BENCH_CACHING=off`
 * or `both` adds the same workloads with `caching: false`, every update then written and emitted); its one sub-topology runs as a `TaskEngine` driven directly,
 * committing every `BENCH_COMMIT_EVERY` records (default 10,000) as the runtime does on its commit interval, rather
 * than through `TopologyTestDriver`, which commits after every record. Output and changelog records are counted,
 * not stored. Besides wall-clock throughput, the report gives records per CPU-second of the workload's process
 * (user + system), which moves less when other processes share the machine.
 *
 * Input: keys drawn uniformly at random (seeded, so every run sees the same stream) from `BENCH_KEYS` users
 * (default 10,000). Event time advances `BENCH_EVENT_MS_PER_RECORD` ms per record on average (default 10:
 * 1,000,000 records span 10,000 s, about 2.8 hours), and each record is moved back by a random 0–999 ms, so records
 * arrive slightly out of order. Every workload's grace period (1 s) covers that jitter, so no record is late. With
 * the defaults, a user's records are ~100 s apart: 5-second windows mostly count one record, and a 5-minute session
 * gap splits a user's activity about one time in twenty. The report's `per window` column gives the average number
 * of records per (key, window) — per session for sessions — so the density is there to read; fewer keys or less
 * event time per record make windows denser and updates more frequent than inserts.
 */
import type { Serde } from '../src/core/serde.js';
import { Serdes } from '../src/core/serdes.js';
import type { Windowed } from '../src/core/windowed.js';
import type { RawRecord } from '../src/processing/raw-record.js';
import type { KGroupedStream, KTable } from '../src/topology/dsl/dsl-api.js';
import { StreamsBuilder } from '../src/topology/dsl/streams-builder.js';
import type { Topology } from '../src/topology/topology.js';
import { SessionWindows } from '../src/windows/session-windows.js';
import { TimeWindows } from '../src/windows/time-windows.js';
import { WindowedSerdes } from '../src/windows/windowed-serdes.js';
import { positiveIntegerFromEnv } from './positive-integer-from-env.js';
import { inputBatches } from './support/input-batches.js';
import { formatCount, machineSummary, mebibytes, printReportTable } from './support/report-table.js';
import { runEachInChild } from './support/run-each-in-child.js';
import { runTopology, type RunFigures } from './support/run-topology.js';
import { inputEvents, MAX_JITTER_MS, recordsPerWindow, type InputShape } from './windowed-input.js';

const INPUT_TOPIC = 'clicks';
const OUTPUT_TOPIC = 'windowed-counts';
const GRACE_MS = 1_000;

interface Workload {
  readonly name: string;
  /** The DSL's default (a cached window or session store), or `caching: false`. */
  readonly caching: boolean;
  /** Records per second the issue sets as the reference point for this workload, if it sets one. */
  readonly referenceRecordsPerSecond: number | null;
  readonly windows: TimeWindows | SessionWindows;
  readonly emitOnClose: boolean;
}

const TUMBLING = TimeWindows.ofSizeAndGrace(5_000, GRACE_MS);
const HOPPING = TimeWindows.ofSizeAndGrace(30_000, GRACE_MS).advanceBy(5_000);
const SESSIONS = SessionWindows.ofInactivityGapAndGrace(5 * 60_000, GRACE_MS);

/**
 * The three workloads, then two that emit only closed windows, reading them back from the store in time
 * order. Sessions emitted on close are left out: that processor reads the whole session store whenever stream time
 * advances, which would be all this bench measured.
 */
const SHAPES: ReadonlyArray<Omit<Workload, 'caching'>> = [
  { name: 'tumbling 5 s', referenceRecordsPerSecond: 1_000_000, windows: TUMBLING, emitOnClose: false },
  { name: 'hopping 30 s by 5 s', referenceRecordsPerSecond: 400_000, windows: HOPPING, emitOnClose: false },
  { name: 'sessions, 5 min gap', referenceRecordsPerSecond: 600_000, windows: SESSIONS, emitOnClose: false },
  { name: 'tumbling 5 s, on close', referenceRecordsPerSecond: null, windows: TUMBLING, emitOnClose: true },
  { name: 'hopping 30 s by 5 s, on close', referenceRecordsPerSecond: null, windows: HOPPING, emitOnClose: true },
];

/** The shapes cached, then (with `BENCH_CACHING=both` or `off`) uncached, so the two read side by side. */
function workloads(caching: string): Workload[] {
  const modes = caching === 'both' ? [true, false] : caching === 'off' ? [false] : [true];
  return modes.flatMap((cached) => SHAPES.map((shape) => ({ ...shape, name: cached ? shape.name : `${shape.name}, caching off`, caching: cached })));
}

function topologyOf({ windows, emitOnClose, caching }: Workload): Topology {
  const strategy = emitOnClose ? 'onWindowClose' : 'onWindowUpdate';
  const options = caching ? undefined : { caching: false };
  return windows instanceof SessionWindows
    ? windowedCount((grouped) => grouped.windowedBy(windows).emitStrategy(strategy).count(options), WindowedSerdes.sessionWindowedSerdeFrom(Serdes.String()))
    : windowedCount(
        (grouped) => grouped.windowedBy(windows).emitStrategy(strategy).count(options),
        WindowedSerdes.timeWindowedSerdeFrom(Serdes.String(), windows.sizeMs),
      );
}

/** Clicks keyed by user (so no repartition), counted per window by `count`, every result written out. */
function windowedCount(
  count: (grouped: KGroupedStream<string, string>) => KTable<Windowed<string>, number>,
  outputKeySerde: Serde<Windowed<string>>,
): Topology {
  const builder = new StreamsBuilder();
  const grouped = builder.stream(INPUT_TOPIC, { keySerde: Serdes.String(), valueSerde: Serdes.String() }).groupByKey();
  count(grouped).toStream().to(OUTPUT_TOPIC, { keySerde: outputKeySerde, valueSerde: Serdes.Long() });
  return builder.build();
}

interface WorkloadResult extends RunFigures {
  readonly name: string;
  readonly referenceRecordsPerSecond: number | null;
  readonly records: number;
}

/** Input as a consumer hands it over: serialized keys and values, with event time as described at the top. */
function clicks(shape: InputShape): () => RawRecord[] | undefined {
  const users = Array.from({ length: shape.keys }, (_, i) => Buffer.from(`user-${i}`));
  const pages = Array.from({ length: 100 }, (_, i) => Buffer.from(`/page/${i}`));
  const events = inputEvents(shape);
  return inputBatches(INPUT_TOPIC, (offset) => {
    const next = events.next();
    return next.done ? undefined : { key: users[next.value.user]!, value: pages[offset % pages.length]!, timestamp: next.value.timestamp };
  });
}

function runWorkload(workload: Workload, shape: InputShape, commitEvery: number): WorkloadResult {
  const figures = runTopology(topologyOf(workload), clicks(shape), commitEvery);
  return { name: workload.name, referenceRecordsPerSecond: workload.referenceRecordsPerSecond, records: shape.records, ...figures };
}

function printReport(results: ReadonlyArray<WorkloadResult & { recordsPerWindow: number }>, shape: InputShape, commitEvery: number): void {
  console.log(
    `kstreams windowed throughput: ${formatCount(shape.records)} records per workload over ${formatCount(shape.keys)} keys, ` +
      `SQLite stores, no broker, commit every ${formatCount(commitEvery)} records`,
  );
  console.log(
    `event time: ${shape.eventMsPerRecord} ms per record (${formatCount((shape.records * shape.eventMsPerRecord) / 1000)} s in all), ` +
      `up to ${formatCount(MAX_JITTER_MS - 1)} ms out of order, grace ${formatCount(GRACE_MS)} ms`,
  );
  console.log(`machine: ${machineSummary()}`);
  console.log('');
  const header = ['workload', 'records/s', 'per CPU-s', 'reference', 'per window', 'elapsed', 'output', 'changelog', 'late', 'peak RSS'];
  const rows = results.map((result) => [
    result.name,
    formatCount((result.records / result.elapsedMs) * 1000),
    formatCount((result.records / result.cpuMs) * 1000),
    result.referenceRecordsPerSecond === null ? '-' : formatCount(result.referenceRecordsPerSecond),
    result.recordsPerWindow.toFixed(2),
    `${(result.elapsedMs / 1000).toFixed(2)} s`,
    formatCount(result.outputRecords),
    formatCount(result.changelogRecords),
    formatCount(result.lateRecords),
    mebibytes(result.peakRssBytes),
  ]);
  printReportTable(header, rows);
}

async function main(): Promise<void> {
  const shape: InputShape = {
    records: positiveIntegerFromEnv('BENCH_RECORDS', 1_000_000),
    keys: positiveIntegerFromEnv('BENCH_KEYS', 10_000),
    eventMsPerRecord: positiveIntegerFromEnv('BENCH_EVENT_MS_PER_RECORD', 10),
  };
  const commitEvery = positiveIntegerFromEnv('BENCH_COMMIT_EVERY', 10_000);
  const only = process.env['BENCH_WORKLOADS'];
  const results = await runEachInChild(
    import.meta.url,
    workloads(process.env['BENCH_CACHING'] ?? 'on'),
    (workload) => runWorkload(workload, shape, commitEvery),
    (workload) => only === undefined || workload.name.includes(only),
  );
  if (results === undefined) return;
  printReport(
    results.map(({ workload, result }) => ({ ...result, recordsPerWindow: recordsPerWindow(workload.windows, shape) })),
    shape,
    commitEvery,
  );
}

await main();
