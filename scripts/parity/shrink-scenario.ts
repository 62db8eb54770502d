import { compareResults } from './compare-results.js';
import { runOnKafkaStreams } from './run-on-kafka-streams.js';
import { runOnKstreams } from './run-on-kstreams.js';
import type { Scenario, ScenarioResult } from './scenario.js';

/** A scenario no record of which can be removed without the two sides agreeing, and both sides' output. */
export interface ShrunkScenario {
  readonly scenario: Scenario;
  readonly expected: ScenarioResult;
  readonly actual: ScenarioResult;
}

/**
 * Removes input records one at a time while the outputs still differ, until no single removal keeps a mismatch.
 * All candidates of a round go to one JVM run, so a round costs one Kafka Streams start-up whatever the count.
 */
export function shrinkMismatches(scenarios: readonly Scenario[]): ShrunkScenario[] {
  let shrinking = scenarios.map((scenario) => ({ scenario, done: false }));
  for (let round = 0; shrinking.some((s) => !s.done); round++) {
    const candidates = new Map<string, Scenario[]>();
    for (const { scenario, done } of shrinking) {
      if (!done) candidates.set(scenario.name, withoutOneRecord(scenario, round));
    }
    const expected = runOnKafkaStreams([...candidates.values()].flat());
    shrinking = shrinking.map((entry) => {
      if (entry.done) return entry;
      const smaller = candidates.get(entry.scenario.name)!.find((candidate) => compareResults(expected.get(candidate.name)!, runOnKstreams(candidate)) !== null);
      return smaller === undefined ? { ...entry, done: true } : { scenario: { ...smaller, name: entry.scenario.name }, done: false };
    });
  }
  const finals = shrinking.map((s) => s.scenario);
  const expected = runOnKafkaStreams(finals);
  return finals.map((scenario) => ({ scenario, expected: expected.get(scenario.name)!, actual: runOnKstreams(scenario) }));
}

function withoutOneRecord(scenario: Scenario, round: number): Scenario[] {
  if (scenario.records.length <= 1) return [];
  return scenario.records.map((_, index) => ({
    ...scenario,
    name: `${scenario.name}~${round}~${index}`,
    records: scenario.records.filter((_record, i) => i !== index),
  }));
}
