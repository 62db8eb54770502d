import type { ConnectionOptions } from 'node:tls';
import type { OutgoingRecord } from '../../processing/record-collector.js';
import type { RawRecord, TopicPartition } from '../../processing/raw-record.js';
import type { TaskLogger } from '../../processing/task-logger.js';

/** Client settings passed through from the streams config. */
export interface KafkaConnectionConfig {
  readonly bootstrapServers: readonly string[];
  readonly clientId: string;
  readonly ssl?: boolean | ConnectionOptions;
  readonly sasl?: SaslConfig;
  /** Where the adapter writes the client library's own warnings and errors (`ClientLogBridge`); silent without it. */
  readonly logger?: TaskLogger;
}

/** Makes the client a `KafkaStreams` instance runs on, from the connection settings of its config. */
export type KafkaClientFactory = (connection: KafkaConnectionConfig) => KafkaClient;

/**
 * The runtime's narrow view of a Kafka client. kafkajs is the first adapter (`runtime/kafka/`); tasks, state and the
 * DSL never see more than this, so another client can be added without touching them.
 */
export interface KafkaClient {
  admin(): KafkaAdmin;
  groupConsumer(options: GroupConsumerOptions): GroupConsumer;
  /** Idempotent, acks=all producer for at-least-once. */
  producer(): RecordProducer;
  /**
   * Exactly-once. Without `groupFencedTransactions`, one per task: `transactionalId = <applicationId>-<taskId>`
   * fences the task's previous owner. With it, one per stream thread (`<applicationId>-<processId>-<threadIndex>`,
   * Kafka Streams' `exactly_once_v2`): the group generation fences a previous owner instead (`sendOffsets`).
   */
  transactionalProducer(transactionalId: string): TransactionalProducer;
  /** Reads changelog partitions (read_committed) outside the application's group, for restoration. */
  changelogReader(): ChangelogReader;
  /** Reads partitions from given offsets on, without end, outside the application's group: global stores. */
  partitionTailer(): PartitionTailer;
  /**
   * KIP-447: whether `ProducerTransaction.sendOffsets` sends the group member along (TxnOffsetCommit v3+), so the
   * group coordinator refuses offsets of a member whose generation is over, and `KafkaAdmin.committedOffsets` waits
   * for stable offsets. Then one transactional producer per thread is enough; without it (kafkajs: TxnOffsetCommit
   * v0/v1 only) a producer per task must fence the task's previous owner by its transactional id.
   */
  readonly groupFencedTransactions: boolean;
}

/** KIP-447: who is committing offsets in a transaction, so the group coordinator fences a zombie by generation. */
export interface GroupMember {
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId?: string;
}

/** An input offset to commit (the next one to read), with the metadata string Kafka stores beside it. */
export interface OffsetAndMetadata extends TopicPartition {
  readonly offset: number;
  /** Kafka Streams puts the partition time here; absent commits no metadata. */
  readonly metadata?: string;
}

/** A group's committed position in one partition. */
export interface CommittedOffset {
  readonly offset: number;
  readonly metadata: string | null;
}

/** SASL credentials for the brokers. */
export interface SaslConfig {
  readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  readonly username: string;
  readonly password: string;
}

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly config: Readonly<{ [key: string]: string }>;
}

/** A group's members as its coordinator describes them; the assignments are current only while `stable`. */
export interface GroupMembersMetadata {
  /** The group is stable: no rebalance in progress, every assignment is of the current generation. */
  readonly stable: boolean;
  readonly members: ReadonlyArray<{ readonly memberId: string; readonly userData: Buffer; readonly assignment: readonly TopicPartition[] }>;
}

export interface KafkaAdmin {
  connect(): Promise<void>;
  /** Partition count of each topic; `undefined` for a topic that does not exist. */
  partitionCounts(topics: readonly string[]): Promise<Map<string, number | undefined>>;
  /** Creates the topics that do not exist yet and waits for their leaders. */
  createTopics(topics: readonly TopicSpec[]): Promise<void>;
  deleteTopics(topics: readonly string[]): Promise<void>;
  listTopics(): Promise<string[]>;
  /**
   * Every member of the group with the user data of its subscription and its current assignment (DescribeGroups):
   * how an instance learns which instance holds which task, since kafkajs drops the user data of assignments.
   */
  describeGroupMembers(groupId: string): Promise<GroupMembersMetadata>;
  /**
   * The group's committed offsets (next offset to read) with their metadata; `null` where nothing was committed.
   * An adapter with `groupFencedTransactions` must return stable offsets only (KIP-447 `requireStable`): while a
   * transaction holding offsets for one of the partitions is open, it waits (the broker answers
   * UNSTABLE_OFFSET_COMMIT) until that transaction ends, so a new owner never starts below what the previous one is
   * committing. Without `groupFencedTransactions` the runtime fences the previous owner before it asks.
   */
  committedOffsets(groupId: string, partitions: readonly TopicPartition[]): Promise<Map<string, CommittedOffset | null>>;
  /**
   * The end a read_committed reader reaches in each partition: the last stable offset (the first offset of the
   * earliest open transaction, or the high watermark when none is open), as kafkajs' ListOffsets asks for it.
   */
  endOffsets(partitions: readonly TopicPartition[]): Promise<Map<string, number>>;
  beginningOffsets(partitions: readonly TopicPartition[]): Promise<Map<string, number>>;
  /**
   * ListOffsets by timestamp: in each partition, the offset of the first record (in offset order) whose timestamp is
   * at or after `timestampMs`; where no record below the end offset (as `endOffsets`) has one, that end offset.
   */
  offsetsForTimestamp(partitions: readonly TopicPartition[], timestampMs: number): Promise<Map<string, number>>;
  /** The group as its coordinator describes it; a group the coordinator does not know is `dead` with no members. */
  describeGroup(groupId: string): Promise<GroupDescription>;
  /**
   * Sets the group's committed offsets (next offset to read), without metadata (any partition time committed before
   * is gone). Only for a group without members: the coordinator refuses offsets from outside an active generation.
   */
  setCommittedOffsets(groupId: string, offsets: readonly PartitionOffset[]): Promise<void>;
  disconnect(): Promise<void>;
}

/** An offset in one partition. */
export interface PartitionOffset extends TopicPartition {
  readonly offset: number;
}

/** Kafka's classic group states, as `describeGroup` tells them (`rebalancing`: preparing or completing a rebalance). */
export type GroupStateName = 'empty' | 'stable' | 'rebalancing' | 'dead' | 'unknown';

export interface GroupMemberDescription {
  readonly memberId: string;
  /** The member's client id and host, where the client tells them. */
  readonly clientId?: string;
  readonly host?: string;
}

export interface GroupDescription {
  readonly groupId: string;
  readonly state: GroupStateName;
  readonly members: readonly GroupMemberDescription[];
}

/** What each member sends the group leader when joining, and what the leader hands back. */
export interface GroupAssignor {
  /** Opaque bytes this member announces (its previous tasks and the tasks it holds state for). */
  memberUserData(): Buffer;
  /**
   * Runs on the leader only: member id → its partitions. Each source partition belongs to exactly one task, so a
   * member derives its tasks from its partitions and no per-member bytes need to travel back.
   */
  assign(
    members: ReadonlyArray<{ memberId: string; userData: Buffer }>,
    partitionCounts: (topic: string) => number | undefined,
  ): Map<string, TopicPartition[]>;
}

export interface GroupConsumerOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly assignor: GroupAssignor;
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly readCommitted: boolean;
}

export interface GroupConsumerHandlers {
  /** A fetched batch of one partition; returns when the records are buffered (processing happens elsewhere). */
  onRecords(records: readonly RawRecord[]): void;
  /**
   * After a fetch of `partition`: the next offset the consumer reads there, past control records and records that
   * read_committed skipped (which `onRecords` never sees). Lets the runtime tell a partition that still has data on
   * the broker from one read to its end. A client that cannot tell may never call it: positions then move with the
   * records handed over only. `highWatermark`, when the fetch response carried it, is the partition's end for the
   * records-lag metric.
   */
  onFetchPosition(partition: TopicPartition, nextOffset: number, highWatermark?: number): void;
  /** A rebalance began: the assignment is about to change. */
  onRebalancing(): void;
  /**
   * The member's new assignment. Called synchronously before any record of the new generation is fetched, so the
   * handler can pause partitions until their task is ready (producer fenced, offsets fetched).
   */
  onAssignment(partitions: readonly TopicPartition[]): void;
  /**
   * The member lost its place in the group (its consumer crashed and starts over, or the coordinator forgot it):
   * other members may own its partitions now or have owned them in between, so every task it holds must be closed
   * without a commit. Called synchronously, before the next `onAssignment`.
   */
  onPartitionsLost(): void;
  /** The consumer failed in a way no retry can fix. Broker outages are waited out instead (see `outage`). */
  onCrash(error: Error): void;
}

/** Since when a group consumer has been out of its group, trying to get back in, and why it is not back yet. */
export interface ConsumerOutage {
  readonly sinceMs: number;
  readonly lastError: unknown;
}

export interface GroupConsumer {
  start(handlers: GroupConsumerHandlers): Promise<void>;
  /**
   * The pause, resume and seek calls never fail: made while the consumer is out of the group (restarting after a
   * broker outage), they are kept and take effect when it is back, before it fetches anything.
   */
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;
  /** The next record read from `partition` will be at `offset`. */
  seek(partition: TopicPartition, offset: number): void;
  /** At-least-once: the group's committed position (next offset to read) per partition. */
  commitOffsets(offsets: readonly OffsetAndMetadata[]): Promise<void>;
  /**
   * The member's generation and id as of its latest assignment, for `sendOffsets` (KIP-447); `undefined` while
   * out of the group, and from an adapter without `groupFencedTransactions`, which has no use for it.
   */
  groupMember(): GroupMember | undefined;
  /** While the consumer is out of the group and retrying: since when, and the last error. */
  outage(): ConsumerOutage | undefined;
  stop(): Promise<void>;
}

/** Offsets assigned by the broker: the offset of the last record written to each partition by one send. */
export type WrittenOffsets = Map<string, number>;

export interface RecordProducer {
  connect(): Promise<void>;
  /** Resolves once every record is acknowledged by the broker. */
  send(records: readonly OutgoingRecord[]): Promise<WrittenOffsets>;
  disconnect(): Promise<void>;
}

export interface TransactionalProducer {
  connect(): Promise<void>;
  /** Starts a transaction; the first call fences any older producer with the same transactional id. */
  begin(): Promise<ProducerTransaction>;
  disconnect(): Promise<void>;
}

export interface ProducerTransaction {
  send(records: readonly OutgoingRecord[]): Promise<WrittenOffsets>;
  /**
   * Adds the group's offsets to the transaction. With `groupFencedTransactions` and a `member`, the group
   * coordinator checks it (KIP-447): a generation that is over (ILLEGAL_GENERATION), a member it does not know
   * (UNKNOWN_MEMBER_ID) or a static member replaced by another (FENCED_INSTANCE_ID) fails `fenced`: the member's
   * tasks may be another member's now. Without `groupFencedTransactions`, `member` is ignored.
   */
  sendOffsets(groupId: string, offsets: readonly OffsetAndMetadata[], member?: GroupMember): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** One changelog partition to replay: offsets `from` (inclusive) to `to` (exclusive, the end offset). */
export interface ChangelogReadRequest extends TopicPartition {
  readonly from: number;
  readonly to: number;
}

export interface ChangelogReader {
  /**
   * Reads every requested partition from `from` until its position reaches `to`, handing committed data records
   * (never aborted ones or transaction markers) to `onRecords` batch by batch; resolves when all are read.
   * Rejects with the error when `onRecords` throws, and with `signal.reason` as soon as `signal` aborts.
   */
  read(requests: readonly ChangelogReadRequest[], onRecords: (records: readonly RawRecord[]) => void, signal?: AbortSignal): Promise<void>;
}

/** Where a tailer starts reading one partition: the next offset to hand over. */
export interface TailPosition extends TopicPartition {
  readonly offset: number;
}

export interface PartitionTailer {
  /**
   * Reads every given partition from its offset on, read_committed, handing committed data records (never aborted
   * ones or transaction markers) to `onRecords` batch by batch, until `stop()`. Broker outages are waited out. When
   * `onRecords` throws, or the reader fails in a way no retry fixes, reading stops and `onError` is called once.
   * Resolves once reading has begun.
   */
  start(positions: readonly TailPosition[], onRecords: (records: readonly RawRecord[]) => void, onError: (error: unknown) => void): Promise<void>;
  /** Stops reading; no `onRecords` call follows. */
  stop(): Promise<void>;
}
