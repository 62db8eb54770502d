/**
 * Windowed-aggregation parity: runs fixed and seeded random scenarios through Kafka Streams 4.1.2's own
 * `TopologyTestDriver` (Java, built with Maven from scripts/parity/java) and through ours, and compares the
 * outputs record by record. Exits 1 when an output differs. See scripts/parity/README.md.
 *
 *   node --import tsx scripts/parity/run-parity.ts [--seed N] [--random N] [--only=SUBSTRING] [--shrink] [--verbose]
 *                                                  [--accept-known]
 *
 * `--accept-known` lets the known differences (known-differences.ts) pass; every other output difference fails.
 */
import { parseArgs } from 'node:util';
import { compareDroppedRecords, compareResults, showRecord, type Mismatch } from './compare-results.js';
import { fixedScenarios } from './fixed-scenarios.js';
import { knownDifference, type KnownDifference } from './known-differences.js';
import { randomScenarios, WINDOW_KINDS } from './random-scenarios.js';
import { buildKafkaStreamsHarness, runOnKafkaStreams } from './run-on-kafka-streams.js';
import { runOnKstreams } from './run-on-kstreams.js';
import { describeScenario, scenarioKind, type Scenario, type ScenarioResult } from './scenario.js';
import { shrinkMismatches } from './shrink-scenario.js';

interface Failure {
  readonly scenario: Scenario;
  readonly mismatch: Mismatch;
  readonly expected: ScenarioResult;
  readonly actual: ScenarioResult;
  /** The understood cause of an output difference, when it fully explains it. */
  readonly known?: KnownDifference;
}

interface Comparison {
  readonly recordsCompared: number;
  readonly outputFailures: Failure[];
  readonly droppedFailures: Failure[];
}

function options() {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' },
      random: { type: 'string', default: '200' },
      only: { type: 'string' },
      shrink: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      'accept-known': { type: 'boolean', default: false },
    },
  });
  const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
  return { ...values, seed, randomPerKind: Number(values.random), acceptKnown: values['accept-known'] };
}

function main(): number {
  const { seed, randomPerKind, only, shrink, verbose, acceptKnown } = options();
  console.log(`seed ${seed} (rerun with --seed ${seed}), ${randomPerKind} random scenarios per window kind`);
  let scenarios = [...fixedScenarios(), ...WINDOW_KINDS.flatMap((kind) => randomScenarios(seed, kind, randomPerKind))];
  if (only !== undefined) scenarios = scenarios.filter((s) => s.name.includes(only));
  buildKafkaStreamsHarness();
  const { recordsCompared, outputFailures, droppedFailures } = compareAll(scenarios, runOnKafkaStreams(scenarios));
  const unexplained = outputFailures.filter((f) => f.known === undefined);
  const known = outputFailures.filter((f) => f.known !== undefined);
  console.log(`\n${scenarios.length} scenarios, ${recordsCompared} output records compared`);
  console.log(`${outputFailures.length} scenarios with different output (${known.length} of them known differences)`);
  console.log(`${droppedFailures.length} scenarios with a different dropped-records count`);
  const unexplainedGroups = groupByKind(unexplained);
  report('DIFFERENT OUTPUT', unexplainedGroups, verbose);
  report(`KNOWN DIFFERENCES${acceptKnown ? ' (accepted)' : ''}`, groupByKind(known), verbose);
  report('DIFFERENT DROPPED-RECORDS COUNT (a metric; does not fail the run)', groupByKind(droppedFailures), verbose);
  // One scenario per group: mismatches of one configuration and kind usually share their cause.
  if (shrink && unexplained.length > 0) reportShrunk([...unexplainedGroups.values()].map((group) => group[0]!.scenario));
  return (acceptKnown ? unexplained : outputFailures).length === 0 ? 0 : 1;
}

function compareAll(scenarios: readonly Scenario[], expected: Map<string, ScenarioResult>): Comparison {
  const outputFailures: Failure[] = [];
  const droppedFailures: Failure[] = [];
  let recordsCompared = 0;
  for (const scenario of scenarios) {
    const want = expected.get(scenario.name);
    if (want === undefined) throw new Error(`Kafka Streams returned no result for ${scenario.name}`);
    const got = runOnKstreams(scenario);
    recordsCompared += Math.max(want.records?.length ?? 0, got.records?.length ?? 0);
    const mismatch = compareResults(want, got);
    if (mismatch !== null) {
      const known = knownDifference(scenario, want, got) ?? undefined;
      outputFailures.push({ scenario, mismatch, expected: want, actual: got, ...(known === undefined ? {} : { known }) });
    }
    const dropped = compareDroppedRecords(want, got);
    if (dropped !== null) droppedFailures.push({ scenario, mismatch: dropped, expected: want, actual: got });
  }
  return { recordsCompared, outputFailures, droppedFailures };
}

function groupByKind(failures: readonly Failure[]): Map<string, Failure[]> {
  const groups = new Map<string, Failure[]>();
  for (const failure of failures) {
    const cause = failure.known === undefined ? failure.mismatch.what : `${failure.known.id}: ${failure.known.summary}`;
    const signature = `${scenarioKind(failure.scenario)} — ${cause}`;
    groups.set(signature, [...(groups.get(signature) ?? []), failure]);
  }
  return groups;
}

function report(title: string, groups: Map<string, Failure[]>, verbose: boolean): void {
  if (groups.size === 0) return;
  console.log(`\n=== ${title}`);
  for (const [signature, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`\n${group.length} × ${signature}`);
    // The shortest input of the group is the easiest to read.
    const sorted = [...group].sort((a, b) => a.scenario.records.length - b.scenario.records.length);
    for (const failure of verbose ? sorted : sorted.slice(0, 1)) printFailure(failure);
    if (!verbose && group.length > 1) console.log(`  … also ${sorted.slice(1, 6).map((f) => f.scenario.name).join(', ')}${group.length > 6 ? ', …' : ''}`);
  }
}

function printFailure({ scenario, mismatch, expected, actual }: Failure): void {
  const at = mismatch.index >= 0 ? ` at output #${mismatch.index}` : '';
  console.log(`  ${scenario.name} (${describeScenario(scenario)}): ${mismatch.what}${at}`);
  console.log(`    input:         ${showInput(scenario)}`);
  console.log(`    Kafka Streams: ${showRecord(mismatch.expected)}`);
  console.log(`    kstreams:      ${showRecord(mismatch.actual)}`);
  console.log(`    Kafka Streams output: ${showOutput(expected)}`);
  console.log(`    kstreams output:      ${showOutput(actual)}`);
}

function showInput(scenario: Scenario): string {
  return scenario.records.map((r) => `${r.key}@${r.timestamp}`).join(' ');
}

function showOutput(result: ScenarioResult): string {
  if (result.error !== undefined) return `error ${result.error}`;
  return `${(result.records ?? []).map(showRecord).join(', ')} (dropped ${result.droppedRecords})`;
}

function reportShrunk(scenarios: readonly Scenario[]): void {
  console.log('\n=== MINIMAL REPRODUCTIONS (input records removed while the outputs still differ)');
  for (const { scenario, expected, actual } of shrinkMismatches(scenarios)) {
    console.log(`\n  ${scenario.name} — ${describeScenario(scenario)}`);
    console.log(`    input:         ${showInput(scenario)}`);
    console.log(`    Kafka Streams: ${showOutput(expected)}`);
    console.log(`    kstreams:      ${showOutput(actual)}`);
  }
}

process.exitCode = main();
