/** The comparison's table: both systems' rows per workload, then kstreams' figures as a ratio of Kafka Streams'. */
import { formatCount, mebibytes, printReportTable } from '../support/report-table.js';
import { valueLabel } from './compare-inputs.js';
import type { CompareWorkload } from './compare-workloads.js';
import type { Measurement } from './run-on-system.js';

/** One workload's measurements, in the order they ran; `failure` when a run threw before measuring. */
export interface WorkloadResult {
  readonly workload: CompareWorkload;
  readonly measurements: readonly Measurement[];
  readonly failures: ReadonlyArray<{ readonly system: string; readonly message: string }>;
}

const recordsPerSecond = (m: Measurement) => (m.records / m.elapsedMs) * 1000;
const cpuPerMillion = (m: Measurement) => (m.figures.cpuSeconds / m.records) * 1e6;
const ratio = (value: number) => `${value.toFixed(2)}×`;

function systemRow(workload: CompareWorkload, m: Measurement, order: number): string[] {
  return [
    workload.restoration ? `restoration: ${m.phase}` : workload.topology,
    valueLabel(workload.input),
    workload.guarantee,
    m.system,
    String(order),
    formatCount(recordsPerSecond(m)),
    `${(m.elapsedMs / 1000).toFixed(1)} s`,
    cpuPerMillion(m).toFixed(1),
    mebibytes(m.figures.peakRssBytes),
    m.brokerCpuSeconds === undefined ? '-' : `${m.brokerCpuSeconds.toFixed(1)} s`,
    m.load.toFixed(2),
    m.mismatch === undefined ? m.check : `MISMATCH: ${m.check}, ${m.mismatch}`,
  ];
}

/** kstreams over Kafka Streams for each figure; `undefined` when either side lacks the phase or failed its check. */
export interface Ratios {
  readonly workload: CompareWorkload;
  readonly phase: string;
  readonly throughput: number;
  readonly cpu: number;
  readonly rss: number;
  readonly brokerCpu: number | undefined;
}

export function ratiosOf(result: WorkloadResult): Ratios[] {
  const phases = [...new Set(result.measurements.map((m) => m.phase))];
  return phases.flatMap((phase) => {
    const ours = result.measurements.find((m) => m.phase === phase && m.system === 'kstreams');
    const theirs = result.measurements.find((m) => m.phase === phase && m.system === 'Kafka Streams');
    if (ours === undefined || theirs === undefined || ours.mismatch !== undefined || theirs.mismatch !== undefined) return [];
    const brokerCpu = ours.brokerCpuSeconds !== undefined && theirs.brokerCpuSeconds ? ours.brokerCpuSeconds / theirs.brokerCpuSeconds : undefined;
    return [{
      workload: result.workload,
      phase,
      throughput: recordsPerSecond(ours) / recordsPerSecond(theirs),
      cpu: cpuPerMillion(ours) / cpuPerMillion(theirs),
      rss: ours.figures.peakRssBytes / theirs.figures.peakRssBytes,
      brokerCpu,
    }];
  });
}

function ratioRow(r: Ratios): string[] {
  return ['', '', '', 'kstreams/KS', '', ratio(r.throughput), '', ratio(r.cpu), ratio(r.rss), r.brokerCpu === undefined ? '-' : ratio(r.brokerCpu), '', ''];
}

export function printComparisonTable(results: readonly WorkloadResult[]): void {
  const header = ['workload', 'value', 'guarantee', 'system', 'order', 'records/s', 'elapsed', 'CPU s/1M', 'peak RSS', 'broker CPU', 'load 1m', 'check'];
  const rows: string[][] = [];
  for (const result of results) {
    const phases = [...new Set(result.measurements.map((m) => m.phase))];
    const ratios = ratiosOf(result);
    for (const phase of phases) {
      const inPhase = result.measurements.filter((m) => m.phase === phase);
      inPhase.forEach((m, index) => rows.push(systemRow(result.workload, m, index + 1)));
      const r = ratios.find((candidate) => candidate.phase === phase);
      if (r !== undefined) rows.push(ratioRow(r));
    }
    for (const failure of result.failures) rows.push([result.workload.topology, valueLabel(result.workload.input), result.workload.guarantee, failure.system, '', '', '', '', '', '', '', `FAILED: ${failure.message}`]);
  }
  printReportTable(header, rows, new Set([0, 1, 2, 3, header.length - 1]));
}

const geomean = (values: readonly number[]) => Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
const range = (values: readonly number[]) => `${ratio(Math.min(...values))}–${ratio(Math.max(...values))}`;

/** bench:broker's workloads: what the manual measurement the issue started from covered. */
const isBrokerBenchWorkload = (r: Ratios) => r.workload.topology === 'filter+map' || r.workload.topology === 'groupBy+count';

function printRatioLine(what: string, ratios: readonly Ratios[], before?: { throughput: string; cpu: string }): void {
  if (ratios.length === 0) return;
  const throughput = ratios.map((r) => r.throughput);
  const cpu = ratios.map((r) => r.cpu);
  const was = (figure: string | undefined) => (figure === undefined ? '' : ` (before: ${figure})`);
  console.log(`${what}: throughput ${range(throughput)}, geomean ${ratio(geomean(throughput))}${was(before?.throughput)}; CPU per record ${range(cpu)}, geomean ${ratio(geomean(cpu))}${was(before?.cpu)}`);
}

/** kstreams/Kafka Streams over the compared rows, beside the manual measurement the issue started from. */
export function printSummary(results: readonly WorkloadResult[]): void {
  const ratios = results.flatMap(ratiosOf);
  printRatioLine("kstreams/KS, bench:broker's workloads", ratios.filter(isBrokerBenchWorkload), { throughput: '0.33×–0.62×, geomean 0.47×', cpu: '1.7×' });
  printRatioLine('kstreams/KS, every row', ratios);
  const brokerUnderEos = ratios.filter((r) => r.workload.guarantee === 'exactly_once' && r.brokerCpu !== undefined).map((r) => r.brokerCpu!);
  if (brokerUnderEos.length > 0) console.log(`kstreams/KS broker CPU under exactly-once: ${range(brokerUnderEos)} (before: 1.5×–3.6×)`);
  console.log('before, CPU s/1M kstreams vs Kafka Streams: filter+map 100 B 12.2 vs 7.1; groupBy+count exactly-once 22.3 vs 12.9');
}
