import { readFileSync } from 'node:fs';
import { Kafka, logLevel, Partitioners, type Admin, type Message } from 'kafkajs';
import { writeInt64BE } from '../../src/core/int64.js';

/** Bytes of one produce request while pre-producing: large enough to keep kafkajs' per-request cost small. */
const PRODUCE_REQUEST_BYTES = 1 << 20;
/** Produce requests in flight at once while pre-producing. */
const PRODUCE_CONCURRENCY = 4;

export function benchKafka(brokers: readonly string[], clientId: string): Kafka {
  return new Kafka({ clientId, brokers: [...brokers], logLevel: logLevel.NOTHING });
}

export async function withAdmin<T>(kafka: Kafka, body: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await body(admin);
  } finally {
    await admin.disconnect();
  }
}

export async function createTopics(kafka: Kafka, topics: ReadonlyArray<{ name: string; partitions: number; compacted?: boolean }>): Promise<void> {
  await withAdmin(kafka, (admin) =>
    admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((t) => ({
        topic: t.name,
        numPartitions: t.partitions,
        configEntries: t.compacted === true ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
      })),
    }),
  );
}

/** Deletes every topic named `name` or starting with `name-` for one of `names` (application ids cover internal topics). */
export async function deleteTopics(kafka: Kafka, names: readonly string[]): Promise<void> {
  await withAdmin(kafka, async (admin) => {
    const doomed = (await admin.listTopics()).filter((t) => names.some((n) => t === n || t.startsWith(`${n}-`)));
    if (doomed.length > 0) await admin.deleteTopics({ topics: doomed });
  });
}

/** Deletes a consumer group; a group that is gone already is fine. */
export async function deleteGroup(kafka: Kafka, groupId: string): Promise<void> {
  await withAdmin(kafka, (admin) => admin.deleteGroups([groupId])).catch(() => undefined);
}

/**
 * Writes `count` records, message `i` made by `message(i)`, with kafkajs' default (Java-compatible) partitioner,
 * `inFlight` requests at once. More than one may land out of order within a partition: kafkajs does not keep
 * concurrent sends in order.
 */
export async function produce(
  kafka: Kafka,
  topic: string,
  count: number,
  recordBytes: number,
  message: (i: number) => Message,
  inFlight = PRODUCE_CONCURRENCY,
): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const perRequest = Math.max(1, Math.floor(PRODUCE_REQUEST_BYTES / recordBytes));
    const pending = new Set<Promise<unknown>>();
    for (let start = 0; start < count; start += perRequest) {
      const messages: Message[] = [];
      for (let i = start; i < Math.min(count, start + perRequest); i++) messages.push(message(i));
      const sent = producer.send({ topic, messages, acks: 1 }).finally(() => pending.delete(sent));
      pending.add(sent);
      if (pending.size >= inFlight) await Promise.race(pending);
    }
    await Promise.all(pending);
  } finally {
    await producer.disconnect();
  }
}

/** A count store's changelog record: the key's bytes, the count as a Long (8 bytes, big-endian). */
export function countChangelogValue(count: number): Buffer {
  const bytes = Buffer.allocUnsafe(8);
  writeInt64BE(bytes, count);
  return bytes;
}

/** End offset of every partition of `topic`. */
export async function endOffsets(kafka: Kafka, topic: string): Promise<Map<number, number>> {
  return withAdmin(kafka, async (admin) => new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)])));
}

/** Whether the group has committed every partition of `topic` up to `ends`. */
export async function committedUpTo(admin: Admin, groupId: string, topic: string, ends: ReadonlyMap<number, number>): Promise<boolean> {
  const [fetched] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const committed = new Map((fetched?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  return [...ends].every(([partition, end]) => (committed.get(partition) ?? -1) >= end);
}

/** Records in a non-transactional topic: end minus start offsets, summed over partitions. */
export async function recordsInTopic(kafka: Kafka, topic: string): Promise<number> {
  return withAdmin(kafka, async (admin) => (await admin.fetchTopicOffsets(topic)).reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0));
}

/**
 * Reads `topic` read_committed from the beginning and reports every batch to `onBatch`; resolves once `done()`
 * holds, or rejects after `idleTimeoutMs` without a new record.
 */
export async function readUntil(
  kafka: Kafka,
  topic: string,
  onBatch: (messages: ReadonlyArray<{ key: Buffer | null; value: Buffer | null }>) => void,
  done: () => boolean,
  idleTimeoutMs: number,
): Promise<void> {
  const consumer = kafka.consumer({ groupId: `${topic}-reader`, readUncommitted: false, maxWaitTimeInMs: 100, heartbeatInterval: 500 });
  let lastProgress = Date.now();
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        if (batch.messages.length === 0) return;
        lastProgress = Date.now();
        onBatch(batch.messages);
      },
    });
    while (!done()) {
      if (Date.now() - lastProgress > idleTimeoutMs) throw new Error(`no new records on ${topic} for ${idleTimeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await consumer.disconnect();
    await deleteGroup(kafka, `${topic}-reader`);
  }
}

/** User plus system CPU seconds of a local process so far, from /proc; `undefined` when it cannot be read. */
export function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const clockTicksPerSecond = 100;
    return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond;
  } catch {
    return undefined;
  }
}
