/**
 * Join parity: runs fixed and seeded random join scenarios (stream-stream, stream-table, table-table, foreign-key,
 * stream-global, cogroup) through Kafka Streams 4.1.2's own `TopologyTestDriver` (java/…/JoinParity.java) and
 * through ours, and compares the outputs record by record. Exits 1 when an output differs for a reason not listed
 * in join-known-differences.ts. See scripts/parity/README.md.
 *
 *   node --import tsx scripts/parity/joins/run-join-parity.ts [--seed N] [--random N] [--only=SUBSTRING] [--verbose]
 *                                                            [--kafka-streams-only]
 *
 * `--kafka-streams-only` prints what Kafka Streams outputs for every selected scenario, built here or not.
 */
import { parseArgs } from 'node:util';
import { buildKafkaStreamsHarness, runHarness } from '../run-on-kafka-streams.js';
import { fixedJoinScenarios } from './join-fixed-scenarios.js';
import { knownJoinDifference } from './join-known-differences.js';
import { JOIN_TYPES, randomJoinScenarios } from './join-random-scenarios.js';
import {
  describeJoinScenario,
  joinScenarioKind,
  showJoinInput,
  showJoinRecord,
  type JoinOutputRecord,
  type JoinScenario,
  type JoinScenarioResult,
} from './join-scenario.js';
import { joinTypesBuilt, runJoinOnKstreams } from './run-join-on-kstreams.js';

interface Failure {
  readonly scenario: JoinScenario;
  readonly what: string;
  readonly index: number;
  readonly expected: JoinScenarioResult;
  readonly actual: JoinScenarioResult;
  readonly known: string | undefined;
}

function options() {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' },
      random: { type: 'string', default: '150' },
      only: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      'kafka-streams-only': { type: 'boolean', default: false },
    },
  });
  const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
  return { seed, perType: Number(values.random), only: values.only, verbose: values.verbose, kafkaStreamsOnly: values['kafka-streams-only'] };
}

function main(): number {
  const { seed, perType, only, verbose, kafkaStreamsOnly } = options();
  const built = new Set(joinTypesBuilt());
  const missing = JOIN_TYPES.filter((type) => !built.has(type));
  console.log(`seed ${seed} (rerun with --seed ${seed}), ${perType} random scenarios per join type`);
  if (missing.length > 0) console.log(`NOT COMPARED (not built in kstreams yet): ${missing.join(', ')}`);
  let scenarios = [...fixedJoinScenarios(), ...JOIN_TYPES.flatMap((type) => randomJoinScenarios(seed, type, perType))];
  scenarios = scenarios.filter((scenario) => (kafkaStreamsOnly || built.has(scenario.join.type)) && (only === undefined || scenario.name.includes(only)));
  buildKafkaStreamsHarness();
  const expected = runHarness<JoinScenario, JoinScenarioResult>('kstreams.parity.JoinParity', scenarios);
  if (kafkaStreamsOnly) {
    for (const scenario of scenarios) {
      console.log(`\n${scenario.name} (${describeJoinScenario(scenario)})\n  input:         ${showJoinInput(scenario)}`);
      console.log(`  Kafka Streams: ${showOutput(expected.get(scenario.name)!)}`);
    }
    return 0;
  }
  const failures: Failure[] = [];
  const droppedDiffer: string[] = [];
  let compared = 0;
  for (const scenario of scenarios) {
    const want = expected.get(scenario.name);
    if (want === undefined) throw new Error(`Kafka Streams returned no result for ${scenario.name}`);
    const got = runJoinOnKstreams(scenario);
    compared += Math.max(want.records?.length ?? 0, got.records?.length ?? 0);
    if (want.droppedRecords !== undefined && got.droppedRecords !== undefined && want.droppedRecords !== got.droppedRecords) {
      droppedDiffer.push(`${joinScenarioKind(scenario)}: ${scenario.name} Kafka Streams ${want.droppedRecords}, kstreams ${got.droppedRecords}`);
    }
    const mismatch = compare(want, got);
    if (mismatch !== null) failures.push({ scenario, ...mismatch, expected: want, actual: got, known: knownJoinDifference(scenario, want, got) });
  }
  const unexplained = failures.filter((failure) => failure.known === undefined);
  console.log(`\n${scenarios.length} join scenarios, ${compared} output records compared`);
  console.log(`${failures.length} with different output (${failures.length - unexplained.length} known differences)`);
  console.log(`${droppedDiffer.length} with a different dropped-records count (a metric; does not fail the run)`);
  for (const line of droppedDiffer.sort().slice(0, verbose ? undefined : 10)) console.log(`  ${line}`);
  report('DIFFERENT OUTPUT', unexplained, verbose);
  report('KNOWN DIFFERENCES (accepted)', failures.filter((failure) => failure.known !== undefined), verbose);
  return unexplained.length === 0 ? 0 : 1;
}

function compare(want: JoinScenarioResult, got: JoinScenarioResult): { what: string; index: number } | null {
  if (want.error !== undefined || got.error !== undefined) {
    return want.error !== undefined && got.error !== undefined ? null : { what: 'only one side failed', index: -1 };
  }
  const a = want.records ?? [];
  const b = got.records ?? [];
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const x = a[index];
    const y = b[index];
    if (x === undefined) return { what: 'extra record', index };
    if (y === undefined) return { what: 'missing record', index };
    const field = (['key', 'value', 'timestamp'] as const).find((name) => x[name] !== y[name]);
    if (field !== undefined) return { what: `different ${field}`, index };
  }
  return null;
}

function report(title: string, failures: readonly Failure[], verbose: boolean): void {
  if (failures.length === 0) return;
  console.log(`\n=== ${title}`);
  const groups = new Map<string, Failure[]>();
  for (const failure of failures) {
    const signature = `${joinScenarioKind(failure.scenario)} — ${failure.known ?? failure.what}`;
    groups.set(signature, [...(groups.get(signature) ?? []), failure]);
  }
  for (const [signature, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`\n${group.length} × ${signature}`);
    const sorted = [...group].sort((a, b) => a.scenario.records.length - b.scenario.records.length);
    for (const failure of verbose ? sorted : sorted.slice(0, 1)) printFailure(failure);
    if (!verbose && group.length > 1) console.log(`  … also ${sorted.slice(1, 6).map((f) => f.scenario.name).join(', ')}${group.length > 6 ? ', …' : ''}`);
  }
}

function printFailure({ scenario, what, index, expected, actual }: Failure): void {
  console.log(`  ${scenario.name} (${describeJoinScenario(scenario)}): ${what}${index >= 0 ? ` at output #${index}` : ''}`);
  console.log(`    input:         ${showJoinInput(scenario)}`);
  console.log(`    Kafka Streams: ${showOutput(expected)}`);
  console.log(`    kstreams:      ${showOutput(actual)}`);
}

function showOutput(result: JoinScenarioResult): string {
  if (result.error !== undefined) return `error ${result.error}`;
  return `${(result.records ?? []).map((record: JoinOutputRecord) => showJoinRecord(record)).join(', ')} (dropped ${result.droppedRecords})`;
}

process.exitCode = main();
