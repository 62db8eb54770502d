import type { CommittedOffset, GroupAssignor, GroupMember, GroupMembersMetadata, OffsetAndMetadata } from '../../runtime/client/kafka-client.js';
import type { TopicPartition } from '../../processing/raw-record.js';
import { topicPartitionKey } from '../../state/changelog.js';
import type { ClusterClock, ClusterTimer } from './cluster-clock.js';
import { KafkaError } from './kafka-error.js';
import type { TransactionalOffsets } from './transaction-coordinator.js';

/** How the coordinator reaches a member: the answers a real member would get to its JoinGroup and SyncGroup. */
export interface GroupMemberLink {
  /** A rebalance began (a heartbeat answering REBALANCE_IN_PROGRESS): the member must join again. */
  rebalanceStarted(): void;
  /** The join round completed: the member's partitions in `generation` (its SyncGroup answer). */
  assigned(generation: number, partitions: readonly TopicPartition[]): void;
  /** The member led the round and its assignor threw: the member fails, as a client whose assignor throws does. */
  assignmentFailed(error: unknown): void;
}

export interface JoinRequest {
  readonly link: GroupMemberLink;
  readonly userData: Buffer;
  readonly assignor: GroupAssignor;
  readonly sessionTimeoutMs: number;
  /** How long the coordinator waits for every member to join a round; the kafkajs adapter uses the session timeout. */
  readonly rebalanceTimeoutMs: number;
}

interface Member extends JoinRequest {
  readonly memberId: string;
  session: ClusterTimer | null;
  /** Its partitions in the current generation (what DescribeGroups shows). */
  assignment: readonly TopicPartition[];
}

export type GroupState = 'empty' | 'preparing-rebalance' | 'stable';

/**
 * A consumer group on its coordinator, with the eager protocol kstreams uses: a member joining, leaving or missing
 * its session timeout starts a rebalance; every member must join again (within the rebalance timeout, or it is
 * removed); the round ends with a new generation, the leader's assignor (ours) splitting the partitions, and each
 * member told its share. Offsets are committed per generation, or inside transactions (held until they end).
 */
export class ConsumerGroup implements TransactionalOffsets {
  private groupState: GroupState = 'empty';
  private currentGeneration = 0;
  private readonly members = new Map<string, Member>();
  /** Members that joined the round in progress. */
  private readonly joined = new Set<string>();
  private leaderId: string | null = null;
  private rebalanceTimer: ClusterTimer | null = null;
  private readonly committed = new Map<string, CommittedOffset>();
  /** Offsets sent in open transactions, by producer id. */
  private readonly pending = new Map<number, Map<string, CommittedOffset>>();

  constructor(
    readonly groupId: string,
    private readonly clock: ClusterClock,
    private readonly partitionCounts: (topic: string) => number | undefined,
  ) {}

  state(): GroupState {
    return this.groupState;
  }

  memberIds(): string[] {
    return [...this.members.keys()];
  }

  /** DescribeGroups: each member's subscription user data and its partitions in the current generation. */
  describeMembers(): GroupMembersMetadata {
    const members = [...this.members.values()].map((m) => ({ memberId: m.memberId, userData: m.userData, assignment: m.assignment }));
    return { stable: this.groupState === 'stable', members };
  }

  /** `JoinGroup`: a new member (`memberId` null, given `newMemberId`) or a known one joining the next round. */
  join(memberId: string | null, request: JoinRequest, newMemberId: () => string): string {
    if (memberId !== null && !this.members.has(memberId)) throw new KafkaError('UNKNOWN_MEMBER_ID', `member ${memberId} is not in group ${this.groupId}`);
    const id = memberId ?? newMemberId();
    const previous = this.members.get(id);
    previous?.session?.cancel();
    const member: Member = { ...request, memberId: id, session: null, assignment: [] };
    this.members.set(id, member);
    this.restartSession(member);
    if (this.groupState !== 'preparing-rebalance') this.prepareRebalance(id);
    this.joined.add(id);
    this.completeJoinIfReady();
    return id;
  }

  /** `SyncGroup`, as the member sends it after its join: fails unless `generation` is still the stable one. */
  checkGeneration(memberId: string, generation: number): void {
    if (!this.members.has(memberId)) throw new KafkaError('UNKNOWN_MEMBER_ID', `member ${memberId} is not in group ${this.groupId}`);
    if (this.groupState === 'preparing-rebalance') throw new KafkaError('REBALANCE_IN_PROGRESS', `group ${this.groupId} is rebalancing`);
    if (generation !== this.currentGeneration) throw new KafkaError('ILLEGAL_GENERATION', `generation ${generation} of group ${this.groupId} is over`);
  }

  heartbeat(memberId: string, generation: number): void {
    this.checkGeneration(memberId, generation);
    this.restartSession(this.members.get(memberId)!);
  }

  leave(memberId: string): void {
    if (this.remove(memberId)) this.membershipChanged();
  }

  /**
   * `OffsetCommit` from outside the group (generation -1, no member id, as an admin client sends it): only while
   * the group has no members, as Kafka's coordinator allows it.
   */
  commitAsAdmin(offsets: readonly OffsetAndMetadata[]): void {
    if (this.members.size > 0) throw new KafkaError('UNKNOWN_MEMBER_ID', `group ${this.groupId} has members: offsets from outside the group are refused`);
    for (const o of offsets) this.committed.set(topicPartitionKey(o.topic, o.partition), { offset: o.offset, metadata: o.metadata ?? null });
  }

  /** `OffsetCommit` of a member: only within its current, stable generation. */
  commit(memberId: string, generation: number, offsets: readonly OffsetAndMetadata[]): void {
    this.checkGeneration(memberId, generation);
    for (const o of offsets) this.committed.set(topicPartitionKey(o.topic, o.partition), { offset: o.offset, metadata: o.metadata ?? null });
  }

  /**
   * KIP-447, `TxnOffsetCommit` v3+ naming its member: refused for a member the group does not know
   * (UNKNOWN_MEMBER_ID) and for a generation that is over (ILLEGAL_GENERATION), as Kafka's group coordinator does;
   * accepted while the group prepares a rebalance, since the member's generation is still the current one. Static
   * membership is not modelled, so a group instance id is never fenced (FENCED_INSTANCE_ID).
   */
  checkTransactionalMember(member: GroupMember): void {
    if (member.memberId !== '' && !this.members.has(member.memberId)) throw new KafkaError('UNKNOWN_MEMBER_ID', `member ${member.memberId} is not in group ${this.groupId}`);
    if (member.generationId >= 0 && member.generationId !== this.currentGeneration) {
      throw new KafkaError('ILLEGAL_GENERATION', `generation ${member.generationId} of group ${this.groupId} is over (it is ${this.currentGeneration})`);
    }
  }

  /** `TxnOffsetCommit`: the offsets count once the producer's transaction commits. */
  stage(producerId: number, offsets: readonly OffsetAndMetadata[]): void {
    const staged = this.pending.get(producerId) ?? new Map<string, CommittedOffset>();
    for (const o of offsets) staged.set(topicPartitionKey(o.topic, o.partition), { offset: o.offset, metadata: o.metadata ?? null });
    this.pending.set(producerId, staged);
  }

  completeTransaction(producerId: number, commit: boolean): void {
    const staged = this.pending.get(producerId);
    this.pending.delete(producerId);
    if (commit && staged !== undefined) for (const [key, offset] of staged) this.committed.set(key, offset);
  }

  /**
   * Whether an open transaction holds offsets for `partition`: an `OffsetFetch` requiring stable offsets (KIP-447)
   * is answered UNSTABLE_OFFSET_COMMIT then.
   */
  hasPendingOffsets(partition: TopicPartition): boolean {
    const key = topicPartitionKey(partition.topic, partition.partition);
    return [...this.pending.values()].some((staged) => staged.has(key));
  }

  /** The committed offsets (`OffsetFetch` without requiring stable offsets: offsets of open transactions do not show). */
  committedOffset(partition: TopicPartition): CommittedOffset | null {
    return this.committed.get(topicPartitionKey(partition.topic, partition.partition)) ?? null;
  }

  /** The topic was deleted: its committed offsets go, so a topic of the same name made later starts without any. */
  forgetTopic(topic: string): void {
    for (const key of [...this.committed.keys()]) if (key.slice(0, key.lastIndexOf(':')) === topic) this.committed.delete(key);
  }

  /** Starts a join round; every member but `joining` (whose join starts it) is told to join again. */
  private prepareRebalance(joining?: string): void {
    this.groupState = 'preparing-rebalance';
    this.joined.clear();
    const timeoutMs = Math.max(0, ...[...this.members.values()].map((m) => m.rebalanceTimeoutMs));
    this.rebalanceTimer?.cancel();
    this.rebalanceTimer = this.clock.setTimer(timeoutMs, () => this.completeJoin());
    for (const member of this.members.values()) if (member.memberId !== joining) member.link.rebalanceStarted();
  }

  private completeJoinIfReady(): void {
    if (this.groupState === 'preparing-rebalance' && [...this.members.keys()].every((id) => this.joined.has(id))) this.completeJoin();
  }

  /** Ends the join round: members that did not join are out; a new generation, assigned by the leader. */
  private completeJoin(): void {
    this.rebalanceTimer?.cancel();
    this.rebalanceTimer = null;
    for (const id of [...this.members.keys()]) if (!this.joined.has(id)) this.remove(id);
    this.joined.clear();
    this.currentGeneration++;
    if (this.members.size === 0) {
      this.groupState = 'empty';
      this.leaderId = null;
      return;
    }
    if (this.leaderId === null || !this.members.has(this.leaderId)) this.leaderId = this.members.keys().next().value!;
    const leader = this.members.get(this.leaderId)!;
    let assignment: Map<string, TopicPartition[]>;
    try {
      const members = [...this.members.values()].map((m) => ({ memberId: m.memberId, userData: m.userData }));
      assignment = leader.assignor.assign(members, this.partitionCounts);
    } catch (error) {
      this.remove(leader.memberId);
      leader.link.assignmentFailed(error);
      this.membershipChanged();
      return;
    }
    this.groupState = 'stable';
    for (const member of this.members.values()) {
      this.restartSession(member);
      member.assignment = assignment.get(member.memberId) ?? [];
      member.link.assigned(this.currentGeneration, assignment.get(member.memberId) ?? []);
    }
  }

  private membershipChanged(): void {
    if (this.members.size === 0) {
      this.rebalanceTimer?.cancel();
      this.rebalanceTimer = null;
      this.joined.clear();
      this.groupState = 'empty';
      this.currentGeneration++;
    } else if (this.groupState === 'preparing-rebalance') this.completeJoinIfReady();
    else this.prepareRebalance();
  }

  private restartSession(member: Member): void {
    member.session?.cancel();
    member.session = this.clock.setTimer(member.sessionTimeoutMs, () => {
      if (this.members.get(member.memberId) === member && this.remove(member.memberId)) this.membershipChanged();
    });
  }

  private remove(memberId: string): boolean {
    const member = this.members.get(memberId);
    if (member === undefined) return false;
    member.session?.cancel();
    this.members.delete(memberId);
    this.joined.delete(memberId);
    return true;
  }
}
