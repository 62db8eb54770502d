import { ConfigError, StreamsError } from '../../core/errors.js';
import type { KafkaAdmin, TopicSpec } from '../client/kafka-client.js';
import type { CompiledTopology } from '../../topology/compiled-topology.js';
import type { ResolvedStreamsConfig } from '../app/streams-config.js';
import { allSourceTopics, externalSourceTopics, fullSourceTopics, planInternalTopics, subtopologyPartitionCounts } from './internal-topics.js';

export interface PreparedTopics {
  /** Full source topic names of each sub-topology. */
  readonly subtopologyTopics: ReadonlyMap<number, readonly string[]>;
  /** Partition counts of every topic the application reads or writes by a fixed name. */
  readonly partitionCounts: ReadonlyMap<string, number>;
}

/**
 * Start-up against the broker: source topics and the topics sinks write by a fixed name must exist (a sink with a
 * topic extractor picks its topics per record, so they cannot be checked here); repartition and changelog topics (and the dead-letter and
 * late-records topics, with one partition, when missing) are created; the actual partition counts are then checked for
 * co-partitioning, so a mismatch fails the start instead of stalling the group.
 */
export async function prepareTopics(admin: KafkaAdmin, topology: CompiledTopology, config: ResolvedStreamsConfig): Promise<PreparedTopics> {
  const { applicationId } = config;
  const external = externalSourceTopics(topology);
  const sinks = fixedSinkTopics(topology);
  refuseSideTopicsAsSources(config, allSourceTopics(applicationId, topology));
  const sideTopics = [config.deadLetterTopic, config.lateRecordsTopic].filter((topic): topic is string => topic !== undefined);
  const known = await admin.partitionCounts([...new Set([...external, ...sinks, ...sideTopics])]);
  const specs: TopicSpec[] = planInternalTopics(topology, applicationId, new Map(external.map((t) => [t, known.get(t)])));
  refuseMissingSinkTopics(sinks, known, sideTopics);
  for (const topic of new Set(sideTopics)) {
    if (known.get(topic) === undefined) specs.push({ name: topic, partitions: 1, config: {} });
  }
  await admin.createTopics(specs);
  const sources = allSourceTopics(applicationId, topology);
  const actual = await admin.partitionCounts([...new Set([...sources, ...sinks, ...specs.map((s) => s.name)])]);
  refuseMismatchedInternalTopics(specs, actual);
  subtopologyPartitionCounts(topology, applicationId, actual);
  const partitionCounts = new Map<string, number>();
  for (const [topic, count] of actual) if (count !== undefined) partitionCounts.set(topic, count);
  return {
    subtopologyTopics: new Map(topology.subtopologies.map((s) => [s.id, fullSourceTopics(applicationId, s)])),
    partitionCounts,
  };
}

/**
 * An internal topic left by an earlier topology (or made by hand) with another partition count than this topology
 * needs: a changelog would restore keys into the wrong tasks, a repartition topic would break co-partitioning.
 * Kafka Streams refuses it too; resetting the application deletes it.
 */
function refuseMismatchedInternalTopics(specs: readonly TopicSpec[], actual: ReadonlyMap<string, number | undefined>): void {
  const wrong = specs.filter((spec) => actual.get(spec.name) !== undefined && actual.get(spec.name) !== spec.partitions);
  if (wrong.length === 0) return;
  const listing = wrong.map((spec) => `${spec.name} has ${actual.get(spec.name)!} partitions, the topology needs ${spec.partitions}`).join('; ');
  throw new StreamsError('INTERNAL_TOPIC_MISMATCH', `existing internal topic(s) do not fit this topology: ${listing}; reset the application to delete them`, {
    coordinates: { topic: wrong[0]!.name },
  });
}

/** A dead-letter or late-records topic the topology also reads would feed its copies back in, without end. */
function refuseSideTopicsAsSources(config: ResolvedStreamsConfig, sources: readonly string[]): void {
  for (const key of ['deadLetterTopic', 'lateRecordsTopic'] as const) {
    const topic = config[key];
    if (topic !== undefined && sources.includes(topic)) throw new ConfigError(key, `${topic} is a source topic of the topology`);
  }
}

/**
 * Found here, not at the first send: there a missing topic stalls the producer until it gives up, and then fails
 * the task (or, with a continuing production handler, drops every record written there).
 */
function refuseMissingSinkTopics(sinks: readonly string[], known: ReadonlyMap<string, number | undefined>, created: readonly string[]): void {
  const missing = [...new Set(sinks)].filter((t) => known.get(t) === undefined && !created.includes(t));
  if (missing.length === 0) return;
  throw new StreamsError('MISSING_SINK_TOPIC', `sink topic(s) ${missing.join(', ')} do not exist; create them before starting the application`, {
    coordinates: { topic: missing[0]! },
  });
}

/** Topics written by sinks with a fixed name (internal ones prefixed), whose partition counts a partitioner needs. */
function fixedSinkTopics(topology: CompiledTopology): string[] {
  return topology.subtopologies.flatMap((s) =>
    s.nodes.flatMap((n) => (n.kind === 'sink' && typeof n.topic === 'string' && n.options.internal !== true ? [n.topic] : [])),
  );
}
