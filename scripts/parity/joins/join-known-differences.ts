import type { JoinScenario, JoinScenarioResult } from './join-scenario.js';

/**
 * A difference between Kafka Streams' output and ours that is understood and accepted, with the check that it
 * fully explains the mismatch. Each entry is described in scripts/parity/README.md.
 */
interface KnownJoinDifference {
  readonly id: string;
  readonly explains: (scenario: JoinScenario, expected: JoinScenarioResult, actual: JoinScenarioResult) => boolean;
}

const KNOWN: readonly KnownJoinDifference[] = [];

/** The id of the known difference that explains the mismatch, or `undefined`. */
export function knownJoinDifference(scenario: JoinScenario, expected: JoinScenarioResult, actual: JoinScenarioResult): string | undefined {
  return KNOWN.find((difference) => difference.explains(scenario, expected, actual))?.id;
}
