import { ConfigError } from '../../core/errors.js';
import type { TopicPartition } from '../../processing/raw-record.js';
import { topicPartitionKey } from '../../state/changelog.js';
import type { KafkaAdmin, PartitionOffset } from '../client/kafka-client.js';
import { parseIsoDatetime } from './iso-time.js';

/**
 * Where the input offsets go, as Kafka's reset tool offers: the log start (`--to-earliest`, the default), the end
 * (`--to-latest`), the first record at or after a point in time (`--to-datetime`; a partition with none goes to its
 * end), that point given as a distance back from now (`--by-duration`), or given offsets (`--from-file`), each kept
 * inside the partition's log start and end.
 */
export type ResetTarget =
  | 'earliest'
  | 'latest'
  | { readonly datetime: Date | number | string }
  | { readonly byDurationMs: number }
  | { readonly offsets: readonly PartitionOffset[] };

/** The offset each partition is reset to, by `topic:partition`. */
export async function resolveResetOffsets(admin: KafkaAdmin, partitions: readonly TopicPartition[], target: ResetTarget, now: () => number): Promise<Map<string, number>> {
  const timestampMs = targetTimestamp(target, now);
  if (partitions.length === 0) return new Map();
  if (timestampMs !== undefined) return admin.offsetsForTimestamp(partitions, timestampMs);
  if (target === 'earliest') return admin.beginningOffsets(partitions);
  if (target === 'latest') return admin.endOffsets(partitions);
  if (typeof target === 'object' && 'offsets' in target) return clampedOffsets(admin, partitions, target.offsets);
  throw new ConfigError('to', `must be 'earliest', 'latest', { datetime }, { byDurationMs } or { offsets }, got ${JSON.stringify(target)}`);
}

/** The point in time a target names, checked (also when there is nothing to reset); `undefined` for the others. */
function targetTimestamp(target: ResetTarget, now: () => number): number | undefined {
  if (typeof target !== 'object' || target === null) return undefined;
  if ('datetime' in target) return timestampOf(target.datetime);
  if ('byDurationMs' in target) {
    if (!Number.isFinite(target.byDurationMs)) throw new ConfigError('to.byDurationMs', `must be a number of milliseconds, got ${String(target.byDurationMs)}`);
    return now() - target.byDurationMs;
  }
  return undefined;
}

function timestampOf(datetime: Date | number | string): number {
  const millis = typeof datetime === 'string' ? parseIsoDatetime('to.datetime', datetime) : typeof datetime === 'number' ? datetime : datetime.getTime();
  if (!Number.isFinite(millis)) throw new ConfigError('to.datetime', `must be a valid point in time, got ${String(datetime)}`);
  return millis;
}

/**
 * Given offsets, each moved inside its partition's log start and end as Kafka's tool does; partitions left out keep
 * their committed offset. An offset for a partition that is not being reset is a mistake worth saying.
 */
async function clampedOffsets(admin: KafkaAdmin, partitions: readonly TopicPartition[], offsets: readonly PartitionOffset[]): Promise<Map<string, number>> {
  const known = new Set(partitions.map((p) => topicPartitionKey(p.topic, p.partition)));
  const stray = offsets.find((o) => !known.has(topicPartitionKey(o.topic, o.partition)));
  if (stray !== undefined) throw new ConfigError('to.offsets', `${topicPartitionKey(stray.topic, stray.partition)} is not a partition of the input topics`);
  const listed = partitions.filter((p) => offsets.some((o) => o.topic === p.topic && o.partition === p.partition));
  const [beginnings, ends] = await Promise.all([admin.beginningOffsets(listed), admin.endOffsets(listed)]);
  const result = new Map<string, number>();
  for (const { topic, partition, offset } of offsets) {
    const key = topicPartitionKey(topic, partition);
    result.set(key, Math.min(Math.max(offset, beginnings.get(key) ?? 0), ends.get(key) ?? offset));
  }
  return result;
}
