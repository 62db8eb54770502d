import { Headers } from '../../src/core/headers.js';
import type { GroupAssignor, GroupConsumer, GroupConsumerHandlers, KafkaAdmin, KafkaClient } from '../../src/runtime/client/kafka-client.js';
import type { RawRecord, TopicPartition } from '../../src/processing/raw-record.js';
import type { OutgoingRecord } from '../../src/processing/record-collector.js';
import type { ContractTarget } from './contract-target.js';

export const record = (topic: string, partition: number | undefined, value: string | null, key: string | null = value): OutgoingRecord => ({
  topic,
  ...(partition === undefined ? {} : { partition }),
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
  headers: Headers.EMPTY.add('origin', 'contract'),
  timestamp: 1_000,
});

export const values = (records: readonly RawRecord[]): Array<string | undefined> => records.map((r) => r.value?.toString());

/** Polls `condition` until it holds; fails naming `what` after `timeoutMs`. */
export async function eventually(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Creates the topics, runs the test with a connected admin, deletes them and disconnects. */
export async function withTopics(
  target: ContractTarget,
  topics: ReadonlyArray<{ partitions: number; config?: Readonly<{ [key: string]: string }> }>,
  body: (client: KafkaClient, admin: KafkaAdmin, names: string[]) => Promise<void>,
): Promise<void> {
  const client = target.client();
  const admin = client.admin();
  await admin.connect();
  const names = topics.map(() => target.uniqueName('contract'));
  try {
    await admin.createTopics(topics.map((t, i) => ({ name: names[i]!, partitions: t.partitions, config: t.config ?? {} })));
    await body(client, admin, names);
  } finally {
    await admin.deleteTopics(names).catch(() => undefined);
    await admin.disconnect();
  }
}

/** Hands every member the partitions at its position in the member ids' sorted order, round robin. */
export function roundRobinAssignor(topic: string, userData: string, seen: string[] = []): GroupAssignor {
  return {
    memberUserData: () => Buffer.from(userData),
    assign: (members, partitionCounts) => {
      seen.push(...members.map((m) => m.userData.toString()).sort());
      const ids = members.map((m) => m.memberId).sort();
      const result = new Map<string, TopicPartition[]>(ids.map((id) => [id, []]));
      for (let p = 0; p < (partitionCounts(topic) ?? 0); p++) result.get(ids[p % ids.length]!)!.push({ topic, partition: p });
      return result;
    },
  };
}

/** A group consumer's handlers that keep what they hear. */
export class RecordingHandlers implements GroupConsumerHandlers {
  readonly records: RawRecord[] = [];
  /** The latest fetch position reported per partition number. */
  readonly positions = new Map<number, number>();
  assignment: readonly TopicPartition[] = [];
  assignments = 0;
  rebalances = 0;
  lost = 0;
  crash: Error | undefined;

  onRecords(records: readonly RawRecord[]): void {
    this.records.push(...records);
  }

  onFetchPosition(partition: TopicPartition, nextOffset: number): void {
    this.positions.set(partition.partition, nextOffset);
  }

  onRebalancing(): void {
    this.rebalances++;
  }

  onAssignment(partitions: readonly TopicPartition[]): void {
    this.assignment = [...partitions].sort((a, b) => a.partition - b.partition);
    this.assignments++;
  }

  onPartitionsLost(): void {
    this.lost++;
  }

  onCrash(error: Error): void {
    this.crash = error;
  }

  partitions(): number[] {
    return this.assignment.map((p) => p.partition);
  }
}

export async function startConsumer(client: KafkaClient, target: ContractTarget, options: { groupId: string; topic: string; assignor: GroupAssignor; readCommitted?: boolean }): Promise<{ consumer: GroupConsumer; handlers: RecordingHandlers }> {
  const consumer = client.groupConsumer({ groupId: options.groupId, topics: [options.topic], assignor: options.assignor, readCommitted: options.readCommitted ?? true, ...target.group });
  const handlers = new RecordingHandlers();
  await consumer.start(handlers);
  return { consumer, handlers };
}
