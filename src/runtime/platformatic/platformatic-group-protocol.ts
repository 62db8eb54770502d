import { Consumer, encodeConsumerProtocolAssignment, kGetApi, type BaseOptions, type Callback, type ClusterMetadata, type GroupAssignment, type GroupOptions, type GroupPartitionsAssignments } from '@platformatic/kafka';
import type { TopicPartition } from '../../processing/raw-record.js';
import type { GroupAssignor } from '../client/kafka-client.js';

export const PROTOCOL_NAME = 'kstreams-tasks';

/**
 * The group calls whose answers tell the member where it stands. Not OffsetCommit: a commit of the revoked
 * generation that lands after the next JoinGroup answered fails with ILLEGAL_GENERATION, and the member is still in.
 */
const OBSERVED_APIS = new Set(['JoinGroup', 'SyncGroup', 'Heartbeat']);

/** The member's settings; the protocol part (name, user data, assignor) is this class's. */
export type GroupClientOptions = BaseOptions & { readonly groupId: string } & Omit<GroupOptions, 'protocols' | 'protocolsMetadata' | 'partitionAssigner'>;

export interface GroupProtocolHooks {
  /** Every answer (or failure) of a group call, before @platformatic/kafka acts on it. */
  onGroupAnswer(api: string, error: unknown): void;
}

type ApiFunction = ((...args: unknown[]) => void) & { key: number; version: number };

interface SyncAssignment {
  readonly memberId: string;
  readonly assignment: Buffer;
}

/** Our assignor's answer in @platformatic/kafka's shape: per member, its partitions by topic. */
function runAssignor(assignor: GroupAssignor, members: ReadonlyArray<{ memberId: string; userData: Buffer }>, metadata: ClusterMetadata | undefined): GroupPartitionsAssignments[] {
  const partitionCount = (topic: string) => metadata?.topics.get(topic)?.partitionsCount;
  const assignment = assignor.assign(members, partitionCount);
  return members.map(({ memberId }) => {
    const byTopic = new Map<string, GroupAssignment>();
    for (const { topic, partition } of assignment.get(memberId) ?? ([] as TopicPartition[])) {
      const entry = byTopic.get(topic);
      if (entry === undefined) byTopic.set(topic, { topic, partitions: [partition] });
      else entry.partitions.push(partition);
    }
    return { memberId, assignments: byTopic };
  });
}

/**
 * The group member's client: a @platformatic/kafka `Consumer` that runs our task assignor on the leader, announces
 * our user data, and lets the adapter observe the group's answers.
 *
 * @platformatic/kafka 2.12.1 calls the configured `partitionAssigner` only when the group has two members or more:
 * a leader alone in its group assigns itself every partition of its topics without asking (`#createAssignments`).
 * Our assignor must run there too (it decides which partitions a member gets and records what it decided), so this
 * class wraps the SyncGroup call: when the leader is about to send an assignment our assignor did not make (for
 * this generation), it is replaced by our assignor's, computed over the one member with the user data it announced.
 * The API lookup (`kGetApi`) is the library's protected hook for its clients, exported for that purpose.
 */
export class KstreamsGroupClient extends Consumer {
  /** The generation our assignor ran for through `partitionAssigner`; a sync for any other one bypassed it. */
  private assignedGeneration = -1;
  /** The user data this member announced in its latest JoinGroup. */
  private announcedUserData: Buffer = Buffer.alloc(0);

  constructor(
    options: GroupClientOptions,
    private readonly assignor: GroupAssignor,
    private readonly hooks: GroupProtocolHooks,
  ) {
    super({
      ...options,
      protocols: [{ name: PROTOCOL_NAME, version: 1 }],
      protocolsMetadata: () => {
        this.announcedUserData = assignor.memberUserData();
        return this.announcedUserData;
      },
      partitionAssigner: (_current, members, _topics, metadata) => {
        this.assignedGeneration = this.generationId;
        const decoded = [...members.values()].map((m) => ({ memberId: m.memberId, userData: toBuffer(m.metadata) }));
        return runAssignor(assignor, decoded, metadata);
      },
    });
  }

  override [kGetApi]<RequestArguments extends Array<unknown>, ResponseType>(name: string, callback: Callback<never>): void {
    super[kGetApi]<RequestArguments, ResponseType>(name, (error, api) => {
      if (error !== null || api === undefined || !OBSERVED_APIS.has(name)) {
        callback(error, api as never);
        return;
      }
      callback(null, this.observed(name, api as unknown as ApiFunction) as never);
    });
  }

  private observed(name: string, api: ApiFunction): ApiFunction {
    const wrapped = ((connection: unknown, ...args: unknown[]) => {
      const done = typeof args.at(-1) === 'function' ? (args.pop() as (error: unknown, result: unknown) => void) : () => undefined;
      if (name === 'SyncGroup') args = this.withOurAssignment(args);
      api(connection, ...args, (error: unknown, result: unknown) => {
        this.hooks.onGroupAnswer(name, error ?? null);
        done(error, result);
      });
    }) as ApiFunction;
    wrapped.key = api.key;
    wrapped.version = api.version;
    return wrapped;
  }

  /** SyncGroup's arguments: groupId, generationId, memberId, groupInstanceId, protocolType, protocolName, assignments. */
  private withOurAssignment(args: unknown[]): unknown[] {
    const [, generationId, memberId, , , , assignments] = args as [string, number, string, unknown, unknown, unknown, SyncAssignment[]];
    if (assignments.length !== 1 || assignments[0]!.memberId !== memberId || generationId === this.assignedGeneration) return args;
    this.assignedGeneration = generationId;
    const [ours] = runAssignor(this.assignor, [{ memberId, userData: this.announcedUserData }], this.currentMetadata);
    const assignment = encodeConsumerProtocolAssignment({ version: 0, assignedPartitions: [...ours!.assignments.values()], userData: null });
    const replaced = [...args];
    replaced[6] = [{ memberId, assignment }];
    return replaced;
  }
}

function toBuffer(metadata: Buffer | string | undefined): Buffer {
  if (metadata === undefined) return Buffer.alloc(0);
  return typeof metadata === 'string' ? Buffer.from(metadata) : metadata;
}
