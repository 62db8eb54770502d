import { StreamsError } from '../../core/errors.js';

/** A repartition topic's partition count once resolved from its writers, and whether the user fixed it. */
export interface RepartitionCount {
  readonly partitions: number;
  /** Set on the sink (`repartition({ numberOfPartitions })`, `addSink(…, { partitions })`): never changed here. */
  readonly fixed: boolean;
}

/**
 * Kafka Streams' `CopartitionedTopicsEnforcer.enforce`, for every co-partition group (full topic names): the
 * external topics of a group must have one partition count, and each repartition topic of the group without a fixed
 * count takes it (the other side's count, not the largest of its writers). A group of repartition topics only takes
 * their common fixed count, or else the largest. Returns the new count of every repartition topic it changed.
 */
export function enforceCopartitioning(
  groups: readonly (readonly string[])[],
  repartitionCounts: ReadonlyMap<string, RepartitionCount>,
  externalCounts: ReadonlyMap<string, number>,
): Map<string, number> {
  const enforced = new Map<string, number>();
  const countOf = (topic: string): number => enforced.get(topic) ?? repartitionCounts.get(topic)!.partitions;
  for (const group of groups) {
    const repartitions = group.filter((topic) => repartitionCounts.has(topic));
    const externals = group.filter((topic) => !repartitionCounts.has(topic));
    if (repartitions.length === 0 && externals.length === 0) continue;
    const chosen = externals.length > 0 ? sameExternalCount(externals, externalCounts) : repartitionOnlyCount(repartitions, repartitionCounts, countOf);
    for (const topic of repartitions) {
      const { fixed } = repartitionCounts.get(topic)!;
      if (!fixed) {
        enforced.set(topic, chosen);
        continue;
      }
      if (countOf(topic) !== chosen) {
        throw new StreamsError(
          'COPARTITIONING_MISMATCH',
          `repartition topic ${topic} has ${countOf(topic)} partitions, set on its sink, but it is joined with ${listing(externals, (t) => externalCounts.get(t)!)}, ` +
            `which must be co-partitioned with it: give them the same number of partitions`,
          { coordinates: { topic } },
        );
      }
    }
  }
  return enforced;
}

function sameExternalCount(externals: readonly string[], externalCounts: ReadonlyMap<string, number>): number {
  const missing = externals.filter((topic) => externalCounts.get(topic) === undefined);
  if (missing.length > 0) {
    throw new StreamsError('MISSING_SOURCE_TOPIC', `source topic(s) ${missing.join(', ')} do not exist`, { coordinates: { topic: missing[0]! } });
  }
  const counts = new Set(externals.map((topic) => externalCounts.get(topic)!));
  if (counts.size > 1) {
    const sorted = [...externals].sort();
    throw new StreamsError(
      'COPARTITIONING_MISMATCH',
      `topics not co-partitioned: ${listing(sorted, (t) => externalCounts.get(t)!)}; a join reads them partition by partition, so they must have the same number of partitions`,
      { coordinates: { topic: sorted[0]! } },
    );
  }
  return [...counts][0]!;
}

/** Only repartition topics: the fixed counts must agree and win; without any, the largest count is taken. */
function repartitionOnlyCount(
  repartitions: readonly string[],
  repartitionCounts: ReadonlyMap<string, RepartitionCount>,
  countOf: (topic: string) => number,
): number {
  const fixed = repartitions.filter((topic) => repartitionCounts.get(topic)!.fixed);
  if (fixed.length === 0) return Math.max(...repartitions.map(countOf));
  if (new Set(fixed.map(countOf)).size > 1) {
    const sorted = [...repartitions].sort();
    throw new StreamsError(
      'COPARTITIONING_MISMATCH',
      `repartition topics joined together do not have the same number of partitions: ${listing(sorted, countOf)}`,
      { coordinates: { topic: sorted[0]! } },
    );
  }
  return countOf(fixed[0]!);
}

function listing(topics: readonly string[], count: (topic: string) => number): string {
  return topics.map((topic) => `${topic} (${count(topic)})`).join(', ');
}
