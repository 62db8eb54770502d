import {
  FindCoordinatorKeyTypes,
  findCoordinatorV6,
  txnOffsetCommitV3,
  txnOffsetCommitV4,
  type Connection,
  type Consumer,
  type Producer,
} from '@platformatic/kafka';
import type { GroupMember, OffsetAndMetadata } from '../client/kafka-client.js';
import { isRetriablePlatformaticError } from './platformatic-errors.js';
import { withRetries } from './platformatic-retry-options.js';

/** Java's producer sends these when it commits offsets outside a group generation (`sendOffsetsToTransaction(offsets, groupId)`). */
const NO_MEMBER: GroupMember = { generationId: -1, memberId: '' };

/** The library does not export its `Transaction` class, only the producer that makes one. */
export type BufferTransaction = NonNullable<Producer<Buffer, Buffer, Buffer, Buffer>['transaction']>;

type Apis = Awaited<ReturnType<Producer['listApis']>>;

function supportsVersion(apis: Apis, name: string, version: number): boolean {
  const api = apis.find((a) => a.name === name);
  return api !== undefined && api.minVersion <= version && version <= api.maxVersion;
}

function groupByTopic(offsets: readonly OffsetAndMetadata[]): Map<string, OffsetAndMetadata[]> {
  const byTopic = new Map<string, OffsetAndMetadata[]>();
  for (const offset of offsets) byTopic.set(offset.topic, [...(byTopic.get(offset.topic) ?? []), offset]);
  return byTopic;
}

/**
 * `sendOffsetsToTransaction`, with what the library leaves out. Its own `addOffset` hard-codes the metadata to
 * null, and kstreams stores the partition time there (a new owner restores its stream time from it). So the adapter
 * makes the same two requests Kafka's Java producer makes: AddOffsetsToTxn through the library (which finds the
 * transaction coordinator, retries, and reads only `groupId` of the consumer it is given), then TxnOffsetCommit
 * itself, with the producer's id and epoch, to the group's coordinator. TxnOffsetCommit v3+ carries the member's
 * generation and id (KIP-447): the coordinator refuses offsets of a member that is no longer in the group's current
 * generation, so one producer can serve a thread's tasks safely. One per producer: it keeps the API version and
 * the coordinator connections it found.
 */
export class TransactionalOffsets {
  private api: Promise<typeof txnOffsetCommitV4.api> | undefined;
  private readonly coordinators = new Map<string, Promise<Connection>>();

  constructor(private readonly producer: Producer<Buffer, Buffer, Buffer, Buffer>) {}

  async send(transaction: BufferTransaction, groupId: string, offsets: readonly OffsetAndMetadata[], member: GroupMember = NO_MEMBER): Promise<void> {
    await transaction.addConsumer({ groupId } as unknown as Consumer);
    const { producerId, producerEpoch } = this.producer;
    if (producerId === undefined || producerEpoch === undefined) throw new Error('the transactional producer has no producer id: begin a transaction first');
    const topics = [...groupByTopic(offsets)].map(([name, list]) => ({
      name,
      partitions: list.map((o) => ({ partitionIndex: o.partition, committedOffset: BigInt(o.offset), committedLeaderEpoch: -1, committedMetadata: o.metadata ?? null })),
    }));
    await withRetries(
      async () => {
        const api = await (this.api ??= this.txnOffsetCommitApi());
        const coordinator = await this.coordinator(groupId);
        await api.async(coordinator, transaction.id, groupId, producerId, producerEpoch, member.generationId, member.memberId, member.groupInstanceId ?? null, topics);
      },
      isRetriablePlatformaticError,
      // The coordinator may have moved, or its connection died: look it up again (the pool reuses live connections).
      () => this.coordinators.delete(groupId),
    );
  }

  private async txnOffsetCommitApi(): Promise<typeof txnOffsetCommitV4.api> {
    const apis = await this.producer.listApis().catch((error: unknown) => {
      this.api = undefined;
      throw error;
    });
    if (supportsVersion(apis, 'TxnOffsetCommit', 4)) return txnOffsetCommitV4.api;
    if (supportsVersion(apis, 'TxnOffsetCommit', 3)) return txnOffsetCommitV3.api;
    throw new Error('the broker does not support TxnOffsetCommit v3 (Kafka 2.5 or later), which carries the group generation');
  }

  private coordinator(groupId: string): Promise<Connection> {
    let coordinator = this.coordinators.get(groupId);
    if (coordinator === undefined) {
      coordinator = groupCoordinator(this.producer, groupId);
      this.coordinators.set(groupId, coordinator);
      // A failed look-up is not kept: the next send looks again.
      coordinator.catch(() => this.coordinators.delete(groupId));
    }
    return coordinator;
  }
}

/** A connection to the coordinator of `groupId`, through the producer's own connection pool. */
async function groupCoordinator(producer: Producer<Buffer, Buffer, Buffer, Buffer>, groupId: string): Promise<Connection> {
  const connections = await producer.connectToBrokers(null);
  const any = connections.values().next();
  if (any.done === true) throw new Error('no broker known to look up the group coordinator');
  const { coordinators } = await findCoordinatorV6.api.async(any.value, FindCoordinatorKeyTypes.GROUP, [groupId]);
  const nodeId = coordinators.find((c) => c.key === groupId)?.nodeId;
  const connection = nodeId === undefined ? undefined : connections.get(nodeId) ?? (await producer.connectToBrokers([nodeId])).get(nodeId);
  if (connection === undefined) throw new Error(`the coordinator of group ${groupId} (node ${String(nodeId)}) is not among the known brokers`);
  return connection;
}
