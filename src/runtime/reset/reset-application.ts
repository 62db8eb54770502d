import { existsSync } from 'node:fs';
import { ConfigError, StreamsError } from '../../core/errors.js';
import type { TopicPartition } from '../../processing/raw-record.js';
import { topicPartitionKey } from '../../state/changelog.js';
import type { KafkaAdmin, KafkaClient } from '../client/kafka-client.js';
import { defaultClient } from '../app/default-client.js';
import { StateDirectory } from '../app/state-directory.js';
import { resolveStreamsConfig, type KafkaClientName, type StreamsConfig } from '../app/streams-config.js';
import { inferInternalTopics } from './inferred-internal-topics.js';
import { resolveResetOffsets, type ResetTarget } from './reset-target.js';

export interface ResetApplicationOptions extends Pick<StreamsConfig, 'applicationId' | 'bootstrapServers' | 'stateDir' | 'clientId' | 'ssl' | 'sasl'> {
  /** The client to reset through, or the adapter to make one of (`StreamsConfig.client`, with its default). */
  readonly client?: KafkaClient | KafkaClientName;
  /** The application's input topics, whose committed offsets move to `to`; none: offsets stay as they are. */
  readonly inputTopics?: readonly string[];
  /** Topics the application writes and reads again (Kafka's deprecated `--intermediate-topics`): offsets to their end. */
  readonly intermediateTopics?: readonly string[];
  /** Defaults to `'earliest'`. */
  readonly to?: ResetTarget;
  /** The internal topics to delete, a subset of those found; defaults to all of them. */
  readonly internalTopics?: readonly string[];
  /** Work out and return the plan, change nothing. */
  readonly dryRun?: boolean;
  /** The clock `byDurationMs` counts back from; defaults to `Date.now`. */
  readonly now?: () => number;
}

/** One partition's committed offset before the reset, and the offset it is reset to. */
export interface PlannedOffset extends TopicPartition {
  readonly committed: number | null;
  readonly offset: number;
}

/** What `resetApplication` did, or, under `dryRun`, would do. */
export interface ResetReport {
  readonly applicationId: string;
  readonly dryRun: boolean;
  readonly inputOffsets: readonly PlannedOffset[];
  readonly intermediateOffsets: readonly PlannedOffset[];
  /** The internal topics deleted (changelogs, repartition and foreign-key join topics). */
  readonly internalTopics: readonly string[];
  /** `<stateDir>/<applicationId>` when it existed and was removed; `null` when there was none. */
  readonly stateDirectory: string | null;
}

/**
 * Kafka's application reset tool for a kstreams application, so that it processes its input again: refuses while
 * the application's consumer group has members; moves the group's committed offsets of the input topics to `to`
 * (and of intermediate topics to their end); deletes the application's internal topics and waits until the broker
 * no longer lists them; removes the application's local state under `stateDir` (which Kafka's tool leaves to
 * `cleanUp()`). Output topics are left alone. Every check runs before the first change.
 */
export async function resetApplication(options: ResetApplicationOptions): Promise<ResetReport> {
  const given = typeof options.client === 'object' ? options.client : undefined;
  const { applicationId: id, bootstrapServers, stateDir, clientId, ssl, sasl } = options;
  // The streams config's own checks and defaults, so that the reset finds what the application uses.
  const config = resolveStreamsConfig(
    { applicationId: id, bootstrapServers, stateDir, clientId, ssl, sasl, logLevel: 'silent', ...(typeof options.client === 'string' ? { client: options.client } : {}) },
    { clientGiven: given !== undefined },
  );
  const { applicationId } = config;
  const client = given ?? defaultClient(config.client, { bootstrapServers: config.bootstrapServers, clientId: `${config.clientId}-reset`, ssl: config.ssl, sasl: config.sasl });
  const admin = client.admin();
  await admin.connect();
  try {
    await refuseActiveGroup(admin, applicationId);
    const plan = await planReset(admin, applicationId, options);
    const stateDirectory = new StateDirectory(config.stateDir, applicationId);
    if (stateDirectory.isLockedByLiveProcess()) {
      throw new StreamsError('STATE_DIR_LOCKED', `state directory ${stateDirectory.path} is in use by a running instance of ${applicationId}; stop it before resetting`);
    }
    const report: ResetReport = { applicationId, dryRun: options.dryRun === true, ...plan, stateDirectory: existsSync(stateDirectory.path) ? stateDirectory.path : null };
    if (!report.dryRun) await applyReset(admin, report, stateDirectory);
    return report;
  } finally {
    await admin.disconnect();
  }
}

async function refuseActiveGroup(admin: KafkaAdmin, applicationId: string): Promise<void> {
  const group = await admin.describeGroup(applicationId);
  if (group.members.length === 0) return;
  const members = group.members.map((m) => [m.memberId, m.clientId, m.host].filter((part) => part !== undefined && part !== '').join(' ')).join(', ');
  throw new StreamsError(
    'ILLEGAL_STATE',
    `consumer group '${applicationId}' is still active (${group.state}) with ${group.members.length} member(s): ${members}; stop every instance of the application before resetting it`,
  );
}

type ResetPlan = Pick<ResetReport, 'inputOffsets' | 'intermediateOffsets' | 'internalTopics'>;

async function planReset(admin: KafkaAdmin, applicationId: string, options: ResetApplicationOptions): Promise<ResetPlan> {
  const inputs = [...new Set(options.inputTopics ?? [])];
  const intermediates = [...new Set(options.intermediateTopics ?? [])];
  const both = inputs.find((t) => intermediates.includes(t));
  if (both !== undefined) throw new ConfigError('intermediateTopics', `${both} is also an input topic`);
  const existing = await admin.listTopics();
  const missing = [...inputs, ...intermediates].filter((t) => !existing.includes(t));
  if (missing.length > 0) {
    throw new StreamsError('MISSING_SOURCE_TOPIC', `topic(s) ${missing.join(', ')} to reset do not exist`, { coordinates: { topic: missing[0]! } });
  }
  const found = inferInternalTopics(applicationId, existing, [...inputs, ...intermediates]);
  const stray = (options.internalTopics ?? []).filter((t) => !found.includes(t));
  if (stray.length > 0) {
    throw new ConfigError('internalTopics', `${stray.join(', ')} are not internal topics of ${applicationId} (found: ${found.join(', ') || 'none'}); a dry run lists them`);
  }
  const now = options.now ?? Date.now;
  return {
    inputOffsets: await planOffsets(admin, applicationId, await partitionsOf(admin, inputs), options.to ?? 'earliest', now),
    intermediateOffsets: await planOffsets(admin, applicationId, await partitionsOf(admin, intermediates), 'latest', now),
    internalTopics: options.internalTopics === undefined ? found : [...new Set(options.internalTopics)].sort(),
  };
}

async function partitionsOf(admin: KafkaAdmin, topics: readonly string[]): Promise<TopicPartition[]> {
  if (topics.length === 0) return [];
  const counts = await admin.partitionCounts(topics);
  return topics.flatMap((topic) => Array.from({ length: counts.get(topic) ?? 0 }, (_, partition) => ({ topic, partition })));
}

async function planOffsets(admin: KafkaAdmin, groupId: string, partitions: readonly TopicPartition[], target: ResetTarget, now: () => number): Promise<PlannedOffset[]> {
  // Resolved first, also with no partitions: a target that makes no sense is refused all the same.
  const targets = await resolveResetOffsets(admin, partitions, target, now);
  if (partitions.length === 0) return [];
  const committed = await admin.committedOffsets(groupId, partitions);
  return partitions.flatMap((p) => {
    const key = topicPartitionKey(p.topic, p.partition);
    const offset = targets.get(key);
    return offset === undefined ? [] : [{ ...p, committed: committed.get(key)?.offset ?? null, offset }];
  });
}

/** How long a reset waits for the broker to stop listing the deleted topics, so that a restart can create them anew. */
const DELETION_WAIT_MS = 60_000;

async function applyReset(admin: KafkaAdmin, report: ResetReport, stateDirectory: StateDirectory): Promise<void> {
  const offsets = [...report.inputOffsets, ...report.intermediateOffsets].map(({ topic, partition, offset }) => ({ topic, partition, offset }));
  if (offsets.length > 0) await admin.setCommittedOffsets(report.applicationId, offsets);
  if (report.internalTopics.length > 0) {
    await admin.deleteTopics(report.internalTopics);
    const deadline = Date.now() + DELETION_WAIT_MS;
    while ((await admin.listTopics()).some((t) => report.internalTopics.includes(t))) {
      if (Date.now() > deadline) throw new StreamsError('BROKER_UNAVAILABLE', `the broker still lists deleted topics of ${report.applicationId} after ${DELETION_WAIT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  if (report.stateDirectory !== null) stateDirectory.deleteAll();
}
