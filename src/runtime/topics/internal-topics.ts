import { StreamsError, TopologyError } from '../../core/errors.js';
import { changelogTopicName } from '../../state/changelog.js';
import type { TopicSpec } from '../client/kafka-client.js';
import { prefixInternalTopic, type CompiledTopology, type SubtopologySpec } from '../../topology/compiled-topology.js';
import { enforceCopartitioning, type RepartitionCount } from './copartition-enforcer.js';

/** A sub-topology's source topics as named on the broker (repartition topics prefixed). */
export function fullSourceTopics(applicationId: string, subtopology: SubtopologySpec): string[] {
  return subtopology.sourceTopics.map((t) => (t.internal ? prefixInternalTopic(applicationId, t.name) : t.name));
}

/** Every topic the application's consumer subscribes to. */
export function allSourceTopics(applicationId: string, topology: CompiledTopology): string[] {
  return topology.subtopologies.flatMap((s) => fullSourceTopics(applicationId, s));
}

/** Source topics that are not this application's own repartition topics: they must exist before start. */
export function externalSourceTopics(topology: CompiledTopology): string[] {
  return topology.subtopologies.flatMap((s) => s.sourceTopics.filter((t) => !t.internal).map((t) => t.name));
}

/**
 * The internal topics to create: repartition topics first (partitions = the writing sink's `partitions` option,
 * else the largest partition count among the source topics of the sub-topology that writes them, resolved
 * upstream first; then a repartition topic of a co-partition group takes the group's count, see
 * `enforceCopartitioning`), then one compacted changelog per logged store with the partition count of its sub-topology.
 * `externalCounts` holds the partition count of every external source topic; a missing one is an error.
 */
export function planInternalTopics(
  topology: CompiledTopology,
  applicationId: string,
  externalCounts: ReadonlyMap<string, number | undefined>,
): TopicSpec[] {
  const missing = externalSourceTopics(topology).filter((t) => externalCounts.get(t) === undefined);
  if (missing.length > 0) {
    throw new StreamsError('MISSING_SOURCE_TOPIC', `source topic(s) ${missing.join(', ')} do not exist; create them before starting the application`, {
      coordinates: { topic: missing[0]! },
    });
  }
  const counts = new Map<string, number>();
  for (const [topic, count] of externalCounts) if (count !== undefined) counts.set(topic, count);
  const repartitions = resolveRepartitionCounts(topology, applicationId, counts);
  const byTopic = subtopologyPartitionCounts(topology, applicationId, counts);
  const changelogs: TopicSpec[] = [];
  for (const store of topology.stores) {
    if (!store.builder.loggingEnabled) continue;
    const owner = topology.subtopologies.find((s) => s.storeNames.includes(store.name));
    if (owner === undefined) continue;
    changelogs.push({
      name: changelogTopicName(applicationId, store.name),
      partitions: byTopic.get(owner.id)!,
      // Compacted unless the store asks otherwise: window stores also delete by retention (`compact,delete`).
      config: { 'cleanup.policy': 'compact', ...store.builder.logConfig },
    });
  }
  return [...repartitions, ...changelogs];
}

/**
 * The partition count of each sub-topology, which is its task count: the common partition count of its source
 * topics. Source topics of one sub-topology with different counts cannot be co-partitioned: that is an error
 * naming them, never a hang.
 */
export function subtopologyPartitionCounts(
  topology: CompiledTopology,
  applicationId: string,
  counts: ReadonlyMap<string, number | undefined>,
): Map<number, number> {
  const result = new Map<number, number>();
  for (const subtopology of topology.subtopologies) {
    const topics = fullSourceTopics(applicationId, subtopology);
    const missing = topics.filter((t) => counts.get(t) === undefined);
    if (missing.length > 0) {
      throw new StreamsError('MISSING_SOURCE_TOPIC', `source topic(s) ${missing.join(', ')} do not exist`, { coordinates: { topic: missing[0]! } });
    }
    const distinct = new Set(topics.map((t) => counts.get(t)!));
    if (distinct.size > 1) {
      const listing = topics.map((t) => `${t} (${counts.get(t)!})`).join(', ');
      throw new StreamsError(
        'COPARTITIONING_MISMATCH',
        `source topics of sub-topology ${subtopology.id} must have the same number of partitions to be co-partitioned: ${listing}`,
        { coordinates: { topic: topics[0]! } },
      );
    }
    result.set(subtopology.id, [...distinct][0]!);
  }
  return result;
}

function resolveRepartitionCounts(topology: CompiledTopology, applicationId: string, counts: Map<string, number>): TopicSpec[] {
  const pending = new Map(topology.internalTopics.map((t) => [t.name, t.partitions]));
  for (const [name, requested] of pending) {
    if (requested !== undefined) {
      counts.set(prefixInternalTopic(applicationId, name), requested);
      pending.delete(name);
    }
  }
  // Each pass resolves the topics whose writers' sources are all known. When a pass resolves nothing, the topics
  // form a cycle (a foreign-key join's subscription and response topics each read by the other's writer): one topic
  // then takes the largest count its writers' sources already have, as Kafka Streams' `computePartitionCount`
  // skips unknown ones, and the co-partition groups settle the final counts below. No known source at all is an error.
  while (pending.size > 0) {
    let resolved = 0;
    for (const name of pending.keys()) {
      const writerSources = writersOf(topology, name).flatMap((s) => fullSourceTopics(applicationId, s));
      if (writerSources.length === 0 || !writerSources.every((t) => counts.has(t))) continue;
      counts.set(prefixInternalTopic(applicationId, name), Math.max(...writerSources.map((t) => counts.get(t)!)));
      pending.delete(name);
      resolved++;
    }
    if (resolved === 0 && !resolveOneFromKnownSources(topology, applicationId, pending, counts)) {
      throw new TopologyError(`cannot determine the partition count of repartition topic(s) ${[...pending.keys()].join(', ')}; set it on the sink`);
    }
  }
  const repartitionCounts = new Map<string, RepartitionCount>(
    topology.internalTopics.map((t) => {
      const name = prefixInternalTopic(applicationId, t.name);
      return [name, { partitions: counts.get(name)!, fixed: t.partitions !== undefined }];
    }),
  );
  const groups = topology.copartitionGroups.map((group) => group.map((t) => (t.internal ? prefixInternalTopic(applicationId, t.name) : t.name)));
  for (const [name, partitions] of enforceCopartitioning(groups, repartitionCounts, counts)) counts.set(name, partitions);
  return topology.internalTopics.map((t) => {
    const name = prefixInternalTopic(applicationId, t.name);
    return { name, partitions: counts.get(name)!, config: { 'cleanup.policy': 'delete' } };
  });
}

/** Resolves the first pending topic whose writers have a source of known count, from those; `false` when none has. */
function resolveOneFromKnownSources(
  topology: CompiledTopology,
  applicationId: string,
  pending: Map<string, number | undefined>,
  counts: Map<string, number>,
): boolean {
  for (const name of pending.keys()) {
    const known = writersOf(topology, name)
      .flatMap((s) => fullSourceTopics(applicationId, s))
      .filter((t) => counts.has(t));
    if (known.length === 0) continue;
    counts.set(prefixInternalTopic(applicationId, name), Math.max(...known.map((t) => counts.get(t)!)));
    pending.delete(name);
    return true;
  }
  return false;
}

function writersOf(topology: CompiledTopology, shortName: string): SubtopologySpec[] {
  return topology.subtopologies.filter((s) =>
    s.nodes.some((n) => n.kind === 'sink' && n.options.internal === true && n.topic === shortName),
  );
}
