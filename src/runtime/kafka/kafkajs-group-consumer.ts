import kafkajs from 'kafkajs';
import type { Consumer, Kafka, PartitionAssigner } from 'kafkajs';
import { topicPartitionKey } from '../../state/changelog.js';
import { BrokerFailure } from '../client/broker-failure.js';
import type { ConsumerOutage, GroupAssignor, GroupConsumer, GroupConsumerHandlers, GroupConsumerOptions, GroupMember, OffsetAndMetadata } from '../client/kafka-client.js';
import type { TopicPartition } from '../../processing/raw-record.js';
import { classifyBrokerFailures, isRetriableKafkaError } from './kafkajs-errors.js';
import { groupByTopic, toRawRecord } from './kafkajs-records.js';

// kafkajs is CommonJS: Node sees its protocol helpers only on the default export.
const { AssignerProtocol } = kafkajs;

const PROTOCOL_NAME = 'kstreams-tasks';

/** Wraps the runtime's task assignor in kafkajs' assigner shape (member metadata in, topic-partitions out). */
function kafkajsAssigner(assignor: GroupAssignor): PartitionAssigner {
  return ({ cluster }) => ({
    name: PROTOCOL_NAME,
    version: 1,
    protocol: ({ topics }) => ({
      name: PROTOCOL_NAME,
      metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: assignor.memberUserData() }),
    }),
    assign: async ({ members }) => {
      await cluster.refreshMetadata();
      const decoded = members.map((m) => ({
        memberId: m.memberId,
        userData: AssignerProtocol.MemberMetadata.decode(m.memberMetadata)?.userData ?? Buffer.alloc(0),
      }));
      const partitionCount = (topic: string) => {
        const partitions = cluster.findTopicPartitionMetadata(topic);
        return partitions.length > 0 ? partitions.length : undefined;
      };
      const assignment = assignor.assign(decoded, partitionCount);
      return members.map(({ memberId }) => {
        const byTopic = groupByTopic(assignment.get(memberId) ?? []);
        const topics = Object.fromEntries([...byTopic].map(([topic, list]) => [topic, list.map((p) => p.partition)]));
        return { memberId, memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 1, assignment: topics, userData: Buffer.alloc(0) }) };
      });
    },
  });
}

/** Waits between restarts of a consumer kafkajs gave up on: doubling from the first, up to the last. */
const RESTART_BACKOFF_MS = { first: 500, max: 10_000 } as const;

/**
 * A kafkajs group consumer that only buffers: `eachBatch` hands records to the runtime and marks them fetched, so
 * kafkajs moves on; offsets are committed by the runtime (in the task's transaction, or explicitly).
 *
 * It also rides out broker outages. When kafkajs' consumer crashes (its retries ran out while the broker was down,
 * or a coordinator was not found), kafkajs drops its consumer group, so it forgets every pause and seek, and
 * `pause`, `seek` and `resume` throw until it runs again. So the runtime's pauses are kept here and re-applied on
 * every join, seeks made while kafkajs has no group wait for the next join, and a crash kafkajs does not restart
 * itself but that a retry can fix (no coordinator found, every broker unreachable) is restarted here, with backoff.
 * A crash ends the membership, so it is reported as lost partitions; the runtime bounds the outage (`outage()`).
 */
export class KafkajsGroupConsumer implements GroupConsumer {
  private readonly consumer: Consumer;
  private handlers: GroupConsumerHandlers | null = null;
  /** The member id of the latest join; null before the first one and while out of the group. */
  private memberId: string | null = null;
  /** Every partition the runtime paused and did not resume, by `topic:partition`. */
  private readonly paused = new Map<string, TopicPartition>();
  /** Seeks asked for while kafkajs had no consumer group, by `topic:partition`. */
  private readonly pendingSeeks = new Map<string, { partition: TopicPartition; offset: number }>();
  private currentOutage: ConsumerOutage | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private restartsInOutage = 0;
  private stopped = false;

  constructor(kafka: Kafka, private readonly options: GroupConsumerOptions) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      partitionAssigners: [kafkajsAssigner(options.assignor)],
      readUncommitted: !options.readCommitted,
      sessionTimeout: options.sessionTimeoutMs ?? 10_000,
      rebalanceTimeout: options.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: options.heartbeatIntervalMs ?? 1_000,
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
    });
  }

  async start(handlers: GroupConsumerHandlers): Promise<void> {
    const { consumer } = this;
    this.handlers = handlers;
    consumer.on(consumer.events.REBALANCING, () => handlers.onRebalancing());
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => this.joined(payload.memberId, payload.memberAssignment));
    consumer.on(consumer.events.CRASH, ({ payload }) => this.crashed(payload.error, payload.restart));
    // Emitted for every fetched batch, also one that held only control or aborted records and never reached
    // `eachBatch`: its last offset is where the consumer reads next.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => handlers.onFetchPosition({ topic: payload.topic, partition: payload.partition }, Number(payload.lastOffset) + 1, Number(payload.highWatermark)));
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.options.topics], fromBeginning: true });
    await this.run();
  }

  pause(partitions: readonly TopicPartition[]): void {
    for (const p of partitions) this.paused.set(topicPartitionKey(p.topic, p.partition), p);
    this.whileInGroup(() => this.pauseNow(partitions));
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const p of partitions) this.paused.delete(topicPartitionKey(p.topic, p.partition));
    this.whileInGroup(() => {
      for (const [topic, list] of groupByTopic(partitions)) this.consumer.resume([{ topic, partitions: list.map((p) => p.partition) }]);
    });
  }

  seek(partition: TopicPartition, offset: number): void {
    const key = topicPartitionKey(partition.topic, partition.partition);
    this.pendingSeeks.set(key, { partition, offset });
    this.whileInGroup(() => {
      this.consumer.seek({ topic: partition.topic, partition: partition.partition, offset: String(offset) });
      this.pendingSeeks.delete(key);
    });
  }

  async commitOffsets(offsets: readonly OffsetAndMetadata[]): Promise<void> {
    if (this.memberId === null) throw new BrokerFailure('committing offsets failed: the consumer is not in the group', { retriable: true });
    const list = offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: String(o.offset), metadata: o.metadata ?? null }));
    await classifyBrokerFailures('committing offsets', () => this.consumer.commitOffsets(list));
  }

  outage(): ConsumerOutage | undefined {
    return this.currentOutage;
  }

  /** kafkajs tells no generation id (its GROUP_JOIN event omits it), and its TxnOffsetCommit could not send one. */
  groupMember(): GroupMember | undefined {
    return undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    await this.consumer.disconnect();
  }

  private run(): Promise<void> {
    const handlers = this.handlers!;
    return this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset }) => {
        if (batch.messages.length > 0) {
          handlers.onRecords(batch.messages.map((m) => toRawRecord(batch.topic, batch.partition, m)));
        }
        resolveOffset(batch.lastOffset());
      },
    });
  }

  /**
   * kafkajs emits this inside its join, before it fetches for the new generation: the kept pauses and seeks go to
   * its (possibly new) consumer group first, then the runtime sees the assignment. A new member id means the
   * coordinator forgot the old member, whose partitions others may have owned since.
   */
  private joined(memberId: string, memberAssignment: { [topic: string]: number[] }): void {
    const handlers = this.handlers!;
    const rejoined = this.memberId !== null && memberId !== this.memberId;
    this.memberId = memberId;
    this.currentOutage = undefined;
    this.restartsInOutage = 0;
    this.pauseNow([...this.paused.values()]);
    for (const { partition, offset } of this.pendingSeeks.values()) {
      this.consumer.seek({ topic: partition.topic, partition: partition.partition, offset: String(offset) });
    }
    this.pendingSeeks.clear();
    if (rejoined) handlers.onPartitionsLost();
    handlers.onAssignment(Object.entries(memberAssignment).flatMap(([topic, list]) => list.map((partition) => ({ topic, partition }))));
  }

  /**
   * A crash ends the membership. kafkajs restarts the consumer itself after retriable errors (`restart`), and then
   * rejoins; a crash it gives up on is restarted here when a retry can fix it, and reported otherwise.
   */
  private crashed(error: Error, restartedByKafkajs: boolean): void {
    if (this.stopped) return;
    const handlers = this.handlers!;
    this.currentOutage = { sinceMs: this.currentOutage?.sinceMs ?? Date.now(), lastError: error };
    if (this.memberId !== null) {
      this.memberId = null;
      handlers.onPartitionsLost();
    }
    if (restartedByKafkajs) return;
    if (isRetriableKafkaError(error)) this.scheduleRestart();
    else handlers.onCrash(error);
  }

  private scheduleRestart(): void {
    const delay = Math.min(RESTART_BACKOFF_MS.first * 2 ** this.restartsInOutage++, RESTART_BACKOFF_MS.max);
    this.restartTimer = setTimeout(() => void this.restart(), delay);
  }

  /** Starts kafkajs' consumer again after a crash it did not restart (it disconnected itself). */
  private async restart(): Promise<void> {
    this.restartTimer = undefined;
    if (this.stopped) return;
    try {
      await this.consumer.connect();
      // A failed join inside `run` is reported as another crash, which comes back here.
      await this.run();
    } catch (error) {
      if (this.stopped) return;
      this.currentOutage = { sinceMs: this.currentOutage?.sinceMs ?? Date.now(), lastError: error };
      if (isRetriableKafkaError(error)) this.scheduleRestart();
      else this.handlers!.onCrash(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private pauseNow(partitions: readonly TopicPartition[]): void {
    for (const [topic, list] of groupByTopic(partitions)) this.consumer.pause([{ topic, partitions: list.map((p) => p.partition) }]);
  }

  /**
   * Runs a pause, resume or seek on kafkajs' consumer group. Without one (kafkajs crashed and has not started
   * again), kafkajs throws: what was asked is kept (`paused`, `pendingSeeks`) and applied on the next join.
   */
  private whileInGroup(call: () => void): void {
    try {
      call();
    } catch {
      // Kept above; re-applied in `joined`.
    }
  }
}
