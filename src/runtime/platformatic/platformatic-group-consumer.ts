import { Consumer, type ConsumerGroupJoinPayload } from '@platformatic/kafka';
import type { TopicPartition } from '../../processing/raw-record.js';
import { topicPartitionKey } from '../../state/changelog.js';
import { BrokerFailure } from '../client/broker-failure.js';
import type { ConsumerOutage, GroupConsumer, GroupConsumerHandlers, GroupConsumerOptions, GroupMember, KafkaConnectionConfig, OffsetAndMetadata } from '../client/kafka-client.js';
import { platformaticBaseOptions } from './platformatic-connection.js';
import { brokerAnswers } from './platformatic-errors.js';
import { classifyReadFailures, isRetriableReadError, readBrokerFailure } from './platformatic-fetch-errors.js';
import { PlatformaticFetchLoop } from './platformatic-fetch-loop.js';
import { commitWithMetadata } from './platformatic-group-commit.js';
import { GroupOutage } from './platformatic-group-outage.js';
import { KstreamsGroupClient } from './platformatic-group-protocol.js';
import { bridgePlatformaticLogs } from './platformatic-log-bridge.js';

/** Broker answers meaning the coordinator no longer counts this member (or its generation) in the group. */
const LOST_MEMBERSHIP = new Set(['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'FENCED_INSTANCE_ID']);
/** Waits between joins after @platformatic/kafka gave up rejoining: doubling from the first, up to the last. */
const REJOIN_BACKOFF_MS = { first: 500, max: 10_000 } as const;
/** How long a fetch waits on the broker for data: short, so pauses, seeks and stops take effect soon. */
const FETCH_MAX_WAIT_MS = 100;

/**
 * A group member on @platformatic/kafka that only buffers: our task assignor runs on the leader (also alone in its
 * group, see `KstreamsGroupClient`), records come from a fetch loop of our own (`PlatformaticFetchLoop`, on a second
 * client so long-polling fetches never delay heartbeats or commits), and offsets are committed by the runtime.
 *
 * Membership follows Kafka's eager protocol. A heartbeat answering REBALANCE_IN_PROGRESS starts a rebalance: every
 * partition is revoked (`onRebalancing`) until the next join assigns them again. An answer saying the coordinator
 * forgot the member or its generation, a join under a new member id, or heartbeats failing for longer than the
 * session timeout (the coordinator has dropped the member by then) mean the member lost its place
 * (`onPartitionsLost`, once). On every join the positions restart at the group's committed offsets (the log start
 * where none was committed); `onAssignment` runs before any fetch of the new generation, and seeks and pauses made
 * in it (or at any time) are kept across joins, so they take effect before anything is fetched.
 *
 * Outages are waited out: @platformatic/kafka retries heartbeats and rejoins, and once it gives up rejoining this
 * class joins again with backoff; a member that lost its place while heartbeats failed rejoins on the first one
 * answered. `outage()` says since when heartbeats, joins or fetches have been failing.
 */
export class PlatformaticGroupConsumer implements GroupConsumer {
  private readonly client: KstreamsGroupClient;
  private readonly fetchClient: Consumer;
  private readonly loop: PlatformaticFetchLoop;
  private readonly outages = new GroupOutage();
  private readonly sessionTimeoutMs: number;
  private handlers: GroupConsumerHandlers | null = null;
  /** The generation of the latest join; undefined before it and from the moment the member is out of the group. */
  private member: GroupMember | undefined;
  /** The member id of the latest join, also after the place was lost: a join under another id lost it. */
  private lastMemberId: string | undefined;
  private rebalancing = false;
  /** Whether `onPartitionsLost` was reported since the last assignment. */
  private lostReported = false;
  private lastGroupContactMs = Date.now();
  private rejoinTimer: NodeJS.Timeout | undefined;
  private rejoinAttempts = 0;
  private stopped = false;

  constructor(connection: KafkaConnectionConfig, private readonly options: GroupConsumerOptions) {
    this.sessionTimeoutMs = options.sessionTimeoutMs ?? 10_000;
    this.client = new KstreamsGroupClient(
      {
        ...platformaticBaseOptions(connection, 'group'),
        groupId: options.groupId,
        sessionTimeout: this.sessionTimeoutMs,
        rebalanceTimeout: this.sessionTimeoutMs,
        heartbeatInterval: options.heartbeatIntervalMs ?? 1_000,
        retryDelay: 250,
      },
      options.assignor,
      { onGroupAnswer: (_api, error) => this.groupAnswered(error) },
    );
    // Never joins: it only fetches (and looks up log starts), on connections of its own.
    this.fetchClient = new Consumer({ ...platformaticBaseOptions(connection, 'group-fetch'), groupId: options.groupId, retryDelay: 250 });
    bridgePlatformaticLogs(this.client, connection, 'group');
    bridgePlatformaticLogs(this.fetchClient, connection, 'group-fetch');
    this.loop = new PlatformaticFetchLoop(
      this.fetchClient,
      { readCommitted: options.readCommitted, maxWaitMs: FETCH_MAX_WAIT_MS, startOffsets: (partitions) => this.committedOrLogStart(partitions) },
      {
        onFetched: (partition, fetched) => {
          if (fetched.records.length > 0) this.handlers!.onRecords(fetched.records);
          if (fetched.nextOffset !== fetched.fromOffset) this.handlers!.onFetchPosition(partition, fetched.nextOffset, fetched.highWatermark);
        },
        onRetriableFailure: (error) => this.outages.fail('fetch', error),
        onFetchSucceeded: () => this.outages.recover('fetch'),
        onFatal: (error) => this.crash(error),
      },
    );
  }

  async start(handlers: GroupConsumerHandlers): Promise<void> {
    this.handlers = handlers;
    const { client } = this;
    client.on('consumer:group:join', (payload) => this.joined(payload));
    client.on('consumer:group:rebalance', () => this.rebalanceStarted());
    client.on('consumer:heartbeat:end', () => this.heartbeatAnswered());
    client.on('consumer:heartbeat:error', ({ error }) => this.groupFailed(error));
    // Emitted when a rejoin it started after a heartbeat failed for good: it schedules no more heartbeats then.
    client.on('error', (error: unknown) => this.rejoinFailed(error));
    for (const topic of this.options.topics) client.topics.track(topic);
    this.loop.start();
    await classifyReadFailures('joining the group', () => client.joinGroup({}));
  }

  pause(partitions: readonly TopicPartition[]): void {
    this.loop.pause(partitions);
  }

  resume(partitions: readonly TopicPartition[]): void {
    this.loop.resume(partitions);
  }

  seek(partition: TopicPartition, offset: number): void {
    this.loop.seek(partition, offset);
  }

  async commitOffsets(offsets: readonly OffsetAndMetadata[]): Promise<void> {
    // While rebalancing, the revoked generation may still commit: the coordinator accepts it until the next
    // generation begins (so the runtime's commit of its suspended tasks is not lost).
    const member = this.member;
    if (member === undefined) throw new BrokerFailure('committing offsets failed: the consumer is not in the group', { retriable: true });
    await commitWithMetadata(this.client, member, offsets);
  }

  /** The member's current generation (KIP-447: a transaction's offsets are committed under it); undefined while out of the group. */
  groupMember(): GroupMember | undefined {
    return this.member;
  }

  outage(): ConsumerOutage | undefined {
    return this.outages.outage();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.rejoinTimer);
    this.loop.stop();
    // Leaving first ends the membership, so closing does not try to leave again (and close fails on a dead broker).
    await new Promise<void>((resolve) => this.client.leaveGroup(false, () => resolve()));
    this.member = undefined;
    await this.client.close(false).catch(() => this.client.connections.close().catch(() => undefined));
    await this.fetchClient.close(false).catch(() => undefined);
  }

  /**
   * A join completed. The positions restart at the committed offsets, the runtime sees the assignment (and pauses
   * or seeks in it) before the loop fetches anything of it.
   */
  private joined(payload: ConsumerGroupJoinPayload): void {
    if (this.stopped) return;
    const handlers = this.handlers!;
    if (this.lastMemberId !== undefined && payload.memberId !== this.lastMemberId) this.lost();
    this.lastMemberId = payload.memberId;
    this.member = { generationId: payload.generationId ?? -1, memberId: payload.memberId };
    this.rebalancing = false;
    this.lostReported = false;
    this.rejoinAttempts = 0;
    this.lastGroupContactMs = Date.now();
    this.outages.recover('group');
    const partitions = (payload.assignments ?? []).flatMap(({ topic, partitions: list }) => list.map((partition) => ({ topic, partition })));
    this.loop.assign(partitions);
    this.loop.resetPositions();
    handlers.onAssignment(partitions);
    this.loop.refresh();
  }

  private rebalanceStarted(): void {
    if (this.stopped || this.member === undefined || this.rebalancing) return;
    this.rebalancing = true;
    this.loop.assign([]);
    this.handlers!.onRebalancing();
  }

  /** The member is out of the group: its partitions may be someone else's now, or have been in between. */
  private lost(): void {
    this.member = undefined;
    this.rebalancing = false;
    this.loop.assign([]);
    if (this.lostReported) return;
    this.lostReported = true;
    this.handlers!.onPartitionsLost();
  }

  /** Every group call's answer, seen before @platformatic/kafka reacts to it (rejoining, retrying). */
  private groupAnswered(error: unknown): void {
    if (this.stopped || error === null) return;
    if (brokerAnswers(error).some((name) => LOST_MEMBERSHIP.has(name))) this.lost();
  }

  /**
   * A heartbeat succeeded. A member judged out of the group while its heartbeats failed (an outage longer than the
   * session timeout) may still be counted by the coordinator, which then answers its heartbeats as if nothing
   * happened (a restarted coordinator restores the group's members with fresh sessions): @platformatic/kafka sees
   * no reason to rejoin, and without a join the member never gets its partitions back. So it rejoins now.
   */
  private heartbeatAnswered(): void {
    this.lastGroupContactMs = Date.now();
    this.outages.recover('group');
    if (this.stopped || this.member !== undefined) return;
    this.rejoinAttempts = 0;
    this.rejoin();
  }

  /** A heartbeat failed on something other than the group (the broker unreachable, the coordinator moving). */
  private groupFailed(error: unknown): void {
    if (this.stopped) return;
    this.outages.fail('group', error);
    if (Date.now() - this.lastGroupContactMs > this.sessionTimeoutMs) this.lost();
  }

  /** @platformatic/kafka gave up a rejoin: the member is out of the group until a join of ours gets it back. */
  private rejoinFailed(error: unknown): void {
    if (this.stopped) return;
    this.outages.fail('group', error);
    if (!isRetriableReadError(error)) return this.crash(readBrokerFailure('rejoining the group', error));
    this.lost();
    this.scheduleRejoin();
  }

  private scheduleRejoin(): void {
    clearTimeout(this.rejoinTimer);
    const delay = Math.min(REJOIN_BACKOFF_MS.first * 2 ** this.rejoinAttempts++, REJOIN_BACKOFF_MS.max);
    this.rejoinTimer = setTimeout(() => this.rejoin(), delay);
  }

  private rejoin(): void {
    clearTimeout(this.rejoinTimer);
    if (this.stopped) return;
    this.client.joinGroup({}).catch((error: unknown) => this.rejoinFailed(error));
  }

  private crash(error: unknown): void {
    if (this.stopped) return;
    this.loop.stop();
    this.handlers!.onCrash(error instanceof Error ? error : new Error(String(error)));
  }

  /** Where the partitions of a new generation start: the group's committed offsets, else the log start. */
  private async committedOrLogStart(partitions: readonly TopicPartition[]): Promise<Map<string, number>> {
    const byTopic = new Map<string, number[]>();
    for (const p of partitions) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.partition]);
    const committed = await this.client.listCommittedOffsets({ topics: [...byTopic].map(([topic, list]) => ({ topic, partitions: list })) });
    const result = new Map<string, number>();
    const uncommitted: TopicPartition[] = [];
    for (const p of partitions) {
      const offset = committed.get(p.topic)?.[p.partition];
      if (offset !== undefined && offset >= 0n) result.set(topicPartitionKey(p.topic, p.partition), Number(offset));
      else uncommitted.push(p);
    }
    if (uncommitted.length > 0) for (const [key, offset] of await this.loop.logStartOffsets(uncommitted)) result.set(key, offset);
    return result;
  }
}
