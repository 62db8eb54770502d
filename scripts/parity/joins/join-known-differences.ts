import type { JoinScenario, JoinScenarioResult } from './join-scenario.js';

/**
 * A difference between Kafka Streams' output and ours that is understood and accepted, with the check that it
 * fully explains the mismatch. Each entry is described in scripts/parity/README.md.
 */
interface KnownJoinDifference {
  readonly id: string;
  readonly explains: (scenario: JoinScenario, expected: JoinScenarioResult, actual: JoinScenarioResult) => boolean;
}

const KNOWN: readonly KnownJoinDifference[] = [
  {
    // Kafka Streams 4.1.2's grace buffer requires a key (`RocksDBTimeOrderedKeyValueBuffer.put`), so a left join
    // with grace fails its task on a null-key stream record; we join such a record at once, as a left join without
    // grace does. Explained only when Kafka Streams failed and the input holds a null-key stream record.
    id: 'stream-table-grace-null-key',
    explains: ({ join, records }, expected, actual) =>
      join.type === 'stream-table' &&
      join.kind === 'left' &&
      join.graceMs !== null &&
      expected.error !== undefined &&
      actual.error === undefined &&
      records.some((record) => record.topic === 'left' && record.key === null && record.value !== null),
  },
];

/** The id of the known difference that explains the mismatch, or `undefined`. */
export function knownJoinDifference(scenario: JoinScenario, expected: JoinScenarioResult, actual: JoinScenarioResult): string | undefined {
  return KNOWN.find((difference) => difference.explains(scenario, expected, actual))?.id;
}
