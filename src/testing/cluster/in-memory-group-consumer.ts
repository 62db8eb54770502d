import { BrokerFailure } from '../../runtime/client/broker-failure.js';
import type { ConsumerOutage, GroupConsumer, GroupConsumerHandlers, GroupConsumerOptions, GroupMember, OffsetAndMetadata } from '../../runtime/client/kafka-client.js';
import type { RawRecord, TopicPartition } from '../../processing/raw-record.js';
import { topicPartitionKey } from '../../state/changelog.js';
import type { ClusterBackend } from './cluster-backend.js';
import type { ClusterTimer } from './cluster-clock.js';
import type { GroupMemberLink } from './consumer-group.js';
import { KafkaError, toBrokerFailure } from './kafka-error.js';
import { FETCH_MAX_RECORDS, retryAfter } from './log-fetch.js';
import { SerialFetches } from './serial-fetches.js';

/** Waits between join attempts that failed on a retriable error, as the kafkajs adapter restarts its consumer. */
const JOIN_BACKOFF_MS = { first: 500, max: 10_000 } as const;

type Phase = 'created' | 'joining' | 'syncing' | 'stable' | 'stopped';

/**
 * A group member of the in-memory cluster with the behaviour the port documents: eager rebalances
 * (`onRebalancing`, then the new assignment through `onAssignment` before anything of the new generation is
 * fetched), `onPartitionsLost` when the coordinator forgot the member (its session timed out), heartbeats on the
 * cluster's clock, and fetches that only buffer (records go to `onRecords`, one partition per call, and the position
 * reached to `onFetchPosition`).
 */
export class InMemoryGroupConsumer implements GroupConsumer, GroupMemberLink {
  private handlers: GroupConsumerHandlers | null = null;
  private phase: Phase = 'created';
  private memberId: string | null = null;
  private generation = -1;
  private assignment: readonly TopicPartition[] = [];
  /** The SyncGroup answer not applied yet. */
  private pendingAssignment: { generation: number; partitions: readonly TopicPartition[] } | null = null;
  private joinInFlight = false;
  /** Counts joins: a SyncGroup answer of an earlier round is stale. */
  private joinRound = 0;
  private heartbeatInFlight = false;
  private readonly positions = new Map<string, number>();
  /** Seeks of partitions not assigned now: applied if an assignment brings them (as kafkajs keeps them). */
  private readonly pendingSeeks = new Map<string, number>();
  private readonly paused = new Set<string>();
  private readonly fetches = new SerialFetches(() => this.phase === 'stable', () => this.fetch());
  private currentOutage: ConsumerOutage | undefined;
  private joinFailures = 0;
  private heartbeat: ClusterTimer | null = null;
  private retryTimer: ClusterTimer | null = null;
  private unsubscribe: () => void = () => undefined;

  constructor(
    private readonly cluster: ClusterBackend,
    private readonly client: string,
    private readonly options: GroupConsumerOptions,
  ) {}

  private get stopped(): boolean {
    return this.phase === 'stopped';
  }

  private get sessionTimeoutMs(): number {
    return this.options.sessionTimeoutMs ?? 10_000;
  }

  async start(handlers: GroupConsumerHandlers): Promise<void> {
    if (this.phase !== 'created') throw new Error('the group consumer is started already');
    this.handlers = handlers;
    try {
      await this.cluster.operate({ kind: 'connect', client: this.client }, () => undefined);
    } catch (error) {
      throw toBrokerFailure('connecting the group consumer', error);
    }
    this.unsubscribe = this.cluster.onChange(() => this.scheduleFetch());
    this.scheduleHeartbeat();
    await this.join();
  }

  pause(partitions: readonly TopicPartition[]): void {
    for (const p of partitions) this.paused.add(topicPartitionKey(p.topic, p.partition));
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const p of partitions) this.paused.delete(topicPartitionKey(p.topic, p.partition));
    this.scheduleFetch();
  }

  seek(partition: TopicPartition, offset: number): void {
    const key = topicPartitionKey(partition.topic, partition.partition);
    if (this.positions.has(key)) this.positions.set(key, offset);
    else this.pendingSeeks.set(key, offset);
    this.scheduleFetch();
  }

  async commitOffsets(offsets: readonly OffsetAndMetadata[]): Promise<void> {
    const { memberId, generation } = this;
    if (memberId === null) throw new BrokerFailure('committing offsets failed: the consumer is not in the group', { retriable: true });
    try {
      await this.cluster.operate({ kind: 'commitOffsets', client: this.client, groupId: this.options.groupId, memberId }, () =>
        this.cluster.group(this.options.groupId).commit(memberId, generation, offsets),
      );
    } catch (error) {
      throw toBrokerFailure('committing offsets', error);
    }
  }

  outage(): ConsumerOutage | undefined {
    return this.currentOutage;
  }

  /** The generation of the latest assignment and the member id; while rejoining, still the last generation's. */
  groupMember(): GroupMember | undefined {
    if (this.memberId === null || this.generation < 0 || this.stopped) return undefined;
    return { generationId: this.generation, memberId: this.memberId };
  }

  /** Leaves the group (a rebalance follows for the others) and stops fetching and heartbeating. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.phase = 'stopped';
    this.heartbeat?.cancel();
    this.retryTimer?.cancel();
    this.unsubscribe();
    const memberId = this.memberId;
    this.memberId = null;
    if (memberId !== null && !this.joinInFlight) await this.leave(memberId);
  }

  private async leave(memberId: string): Promise<void> {
    const { groupId } = this.options;
    await this.cluster.operate({ kind: 'leaveGroup', client: this.client, groupId, memberId }, () => this.cluster.group(groupId).leave(memberId)).catch(() => undefined);
  }

  rebalanceStarted(): void {
    if (this.stopped || this.joinInFlight) return;
    this.rejoin();
  }

  assigned(generation: number, partitions: readonly TopicPartition[]): void {
    if (this.stopped) return;
    this.pendingAssignment = { generation, partitions };
    if (!this.joinInFlight) void this.sync();
  }

  assignmentFailed(error: unknown): void {
    this.crash(error);
  }

  /** Eager protocol: the member gives up its partitions (nothing more is fetched) and joins the next round. */
  private rejoin(): void {
    this.phase = 'joining';
    this.pendingAssignment = null;
    this.handlers!.onRebalancing();
    void this.join();
  }

  /** `JoinGroup`; its round may complete at once (the only member) or when the other members joined too. */
  private async join(): Promise<void> {
    if (this.stopped) return;
    this.phase = 'joining';
    this.joinInFlight = true;
    this.joinRound++;
    const { groupId, assignor } = this.options;
    try {
      this.memberId = await this.cluster.operate({ kind: 'joinGroup', client: this.client, groupId, ...(this.memberId === null ? {} : { memberId: this.memberId }) }, () =>
        this.cluster.group(groupId).join(
          this.memberId,
          { link: this, userData: assignor.memberUserData(), assignor, sessionTimeoutMs: this.sessionTimeoutMs, rebalanceTimeoutMs: this.sessionTimeoutMs },
          () => this.cluster.newMemberId(this.client),
        ),
      );
    } catch (error) {
      this.joinInFlight = false;
      this.joinFailed(error);
      return;
    }
    this.joinInFlight = false;
    if (this.stopped) {
      await this.leave(this.memberId);
      return;
    }
    this.phase = 'syncing';
    if (this.pendingAssignment !== null) await this.sync();
  }

  private joinFailed(error: unknown): void {
    if (this.stopped) return;
    if (error instanceof KafkaError && error.code === 'UNKNOWN_MEMBER_ID') {
      this.lost();
      void this.join();
      return;
    }
    if (!(error instanceof KafkaError && error.retriable)) {
      this.crash(toBrokerFailure('joining the group', error));
      return;
    }
    // Wall-clock time, not the cluster's: the runtime measures the outage against its task timeout with Date.now().
    this.currentOutage = { sinceMs: this.currentOutage?.sinceMs ?? Date.now(), lastError: toBrokerFailure('joining the group', error) };
    const delay = Math.min(JOIN_BACKOFF_MS.first * 2 ** this.joinFailures++, JOIN_BACKOFF_MS.max);
    this.retryTimer = this.cluster.clock.setTimer(delay, () => void this.join());
  }

  /** `SyncGroup` and `OffsetFetch`: the assignment takes effect, positions at the committed offsets (or the log start). */
  private async sync(): Promise<void> {
    const pending = this.pendingAssignment;
    const memberId = this.memberId;
    const round = this.joinRound;
    if (pending === null || memberId === null) return;
    this.pendingAssignment = null;
    const { groupId } = this.options;
    let positions: Map<string, number>;
    try {
      positions = await this.cluster.operate({ kind: 'syncGroup', client: this.client, groupId, memberId }, () => {
        const group = this.cluster.group(groupId);
        group.checkGeneration(memberId, pending.generation);
        return new Map(pending.partitions.map((p) => [topicPartitionKey(p.topic, p.partition), group.committedOffset(p)?.offset ?? this.startOf(p)]));
      });
    } catch (error) {
      this.syncFailed(error, round);
      return;
    }
    // A newer round began while this answer travelled: it is stale.
    if (this.phase !== 'syncing' || this.joinRound !== round || this.pendingAssignment !== null) return;
    this.generation = pending.generation;
    this.assignment = pending.partitions;
    this.positions.clear();
    for (const [key, offset] of positions) this.positions.set(key, this.pendingSeeks.get(key) ?? offset);
    this.pendingSeeks.clear();
    this.currentOutage = undefined;
    this.joinFailures = 0;
    this.phase = 'stable';
    this.handlers!.onAssignment(pending.partitions);
    this.scheduleFetch();
  }

  private syncFailed(error: unknown, round: number): void {
    if (this.stopped || this.joinRound !== round || (error instanceof KafkaError && error.code === 'REBALANCE_IN_PROGRESS')) return;
    if (error instanceof KafkaError && error.code === 'UNKNOWN_MEMBER_ID') this.lost();
    if (error instanceof KafkaError && !error.retriable && error.code !== 'UNKNOWN_MEMBER_ID' && error.code !== 'ILLEGAL_GENERATION') {
      this.crash(toBrokerFailure('syncing the group', error));
      return;
    }
    void this.join();
  }

  private startOf(partition: TopicPartition): number {
    return this.cluster.topics.get(partition.topic)?.partitions[partition.partition]?.logStartOffset() ?? 0;
  }

  private scheduleHeartbeat(): void {
    this.heartbeat = this.cluster.clock.setTimer(this.options.heartbeatIntervalMs ?? 1_000, () => {
      if (this.stopped) return;
      this.scheduleHeartbeat();
      void this.sendHeartbeat();
    });
  }

  /** A heartbeat that finds the member forgotten means its partitions may be someone else's: lost, join anew. */
  private async sendHeartbeat(): Promise<void> {
    const memberId = this.memberId;
    if (memberId === null || this.heartbeatInFlight || this.joinInFlight || this.phase !== 'stable') return;
    this.heartbeatInFlight = true;
    const { groupId } = this.options;
    try {
      await this.cluster.operate({ kind: 'heartbeat', client: this.client, groupId, memberId }, () => this.cluster.group(groupId).heartbeat(memberId, this.generation));
    } catch (error) {
      if (this.phase !== 'stable' || this.memberId !== memberId || !(error instanceof KafkaError)) return;
      if (error.code === 'REBALANCE_IN_PROGRESS') this.rejoin();
      else if (error.code === 'UNKNOWN_MEMBER_ID' || error.code === 'ILLEGAL_GENERATION') {
        if (error.code === 'UNKNOWN_MEMBER_ID') this.lost();
        else this.handlers!.onPartitionsLost();
        void this.join();
      }
    } finally {
      this.heartbeatInFlight = false;
    }
  }

  /** The coordinator forgot this member: the runtime closes its tasks; the next join is as a new member. */
  private lost(): void {
    this.memberId = null;
    this.assignment = [];
    this.positions.clear();
    this.handlers!.onPartitionsLost();
  }

  private crash(error: unknown): void {
    if (this.stopped) return;
    void this.stop();
    this.handlers!.onCrash(error instanceof Error ? error : new Error(String(error)));
  }

  private scheduleFetch(): void {
    this.fetches.schedule();
  }

  /** One fetch over every assigned, unpaused partition; a batch sought or paused meanwhile is dropped. */
  private async fetch(): Promise<boolean> {
    const generation = this.generation;
    const wanted = this.assignment.filter((p) => !this.paused.has(topicPartitionKey(p.topic, p.partition)));
    if (this.phase !== 'stable' || wanted.length === 0) return false;
    const isolation = this.options.readCommitted ? 'read_committed' : 'read_uncommitted';
    let batches: Array<{ partition: TopicPartition; from: number; records: RawRecord[]; next: number; highWatermark: number }>;
    try {
      batches = await this.cluster.operate({ kind: 'fetch', client: this.client, groupId: this.options.groupId, partitions: wanted }, () =>
        wanted.flatMap((partition) => {
          const log = this.cluster.topics.get(partition.topic)?.partitions[partition.partition];
          const from = this.positions.get(topicPartitionKey(partition.topic, partition.partition));
          if (log === undefined || from === undefined) return [];
          // Out of range (below the log start or past the end): kafkajs resets to the earliest offset.
          const start = from < log.logStartOffset() || from > log.highWatermark() ? log.logStartOffset() : from;
          return [{ partition, from, highWatermark: log.highWatermark(), ...log.read(start, isolation, FETCH_MAX_RECORDS) }];
        }),
      );
    } catch (error) {
      if (error instanceof KafkaError && error.retriable) retryAfter(() => this.scheduleFetch());
      else this.crash(toBrokerFailure('fetching', error));
      return false;
    }
    let progressed = false;
    for (const { partition, from, records, next, highWatermark } of batches) {
      const key = topicPartitionKey(partition.topic, partition.partition);
      if (this.phase !== 'stable' || this.generation !== generation || this.paused.has(key) || this.positions.get(key) !== from) continue;
      if (next !== from) progressed = true;
      this.positions.set(key, next);
      if (records.length > 0) this.handlers!.onRecords(records);
      // Also past markers and aborted records, which no `onRecords` shows.
      this.handlers!.onFetchPosition(partition, next, highWatermark);
    }
    return progressed;
  }
}
