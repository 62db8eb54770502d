import type { CompiledTopology } from '../../topology/compiled-topology.js';
import type { GroupAssignor } from '../client/kafka-client.js';
import type { TopicPartition } from '../../processing/raw-record.js';
import { assignTasks, type MemberTasks } from './assign-tasks.js';
import type { TaskId } from './task-id.js';

/** What a member announces when joining, as JSON in its subscription's user data. */
export interface MemberUserData {
  readonly previousTasks: readonly string[];
  readonly tasksWithState: readonly string[];
  /**
   * The instance's `applicationServer` (`host:port`), when configured: every instance reads it from the group's
   * described members to learn where each task's store can be queried.
   */
  readonly applicationServer?: string;
}

/** The input partitions of each sub-topology, by full topic name (a topic belongs to exactly one sub-topology). */
export type SubtopologyTopics = ReadonlyMap<number, readonly string[]>;

/** The sub-topologies that have stores: their tasks carry state that a move has to restore. */
export function statefulSubtopologies(topology: CompiledTopology): Set<number> {
  return new Set(topology.subtopologies.filter((s) => s.storeNames.length > 0).map((s) => s.id));
}

/**
 * The group assignor of a streams application: the leader turns partitions into tasks (sub-topology × partition
 * number), spreads them with `assignTasks` (balanced per member and per sub-topology; sticky to previous owners,
 * stateful tasks to members holding their state), and hands each member every partition of its tasks, so
 * co-partitioned topics always travel together.
 */
export class StreamsAssignor implements GroupAssignor {
  constructor(
    private readonly subtopologyTopics: SubtopologyTopics,
    private readonly statefulSubtopologies: ReadonlySet<number>,
    private readonly describeSelf: () => MemberUserData,
  ) {}

  memberUserData(): Buffer {
    return Buffer.from(JSON.stringify(this.describeSelf()));
  }

  assign(
    members: ReadonlyArray<{ memberId: string; userData: Buffer }>,
    partitionCounts: (topic: string) => number | undefined,
  ): Map<string, TopicPartition[]> {
    const tasks = this.tasks(partitionCounts);
    const described = members.map((m) => ({ memberId: m.memberId, ...parseUserData(m.userData) }));
    const byMember = assignTasks(tasks, described, this.statefulSubtopologies);
    return new Map([...byMember].map(([memberId, assigned]) => [memberId, assigned.flatMap((task) => this.partitionsOf(task, partitionCounts))]));
  }

  /** One task per partition number of each sub-topology, up to the largest partition count among its topics. */
  private tasks(partitionCounts: (topic: string) => number | undefined): TaskId[] {
    const tasks: TaskId[] = [];
    for (const [subtopology, topics] of this.subtopologyTopics) {
      const count = Math.max(0, ...topics.map((t) => partitionCounts(t) ?? 0));
      for (let partition = 0; partition < count; partition++) tasks.push({ subtopology, partition });
    }
    return tasks;
  }

  private partitionsOf(task: TaskId, partitionCounts: (topic: string) => number | undefined): TopicPartition[] {
    const topics = this.subtopologyTopics.get(task.subtopology) ?? [];
    return topics.filter((t) => (partitionCounts(t) ?? 0) > task.partition).map((topic) => ({ topic, partition: task.partition }));
  }
}

/** A member whose user data cannot be read (another version, or garbage) is treated as holding nothing. */
export function parseUserData(userData: Buffer): Omit<MemberTasks, 'memberId'> {
  try {
    const parsed = JSON.parse(userData.toString('utf8')) as Partial<MemberUserData>;
    return { previousTasks: stringArray(parsed.previousTasks), tasksWithState: stringArray(parsed.tasksWithState) };
  } catch {
    return { previousTasks: [], tasksWithState: [] };
  }
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The `applicationServer` a member announced, or `undefined` (none configured, or user data of another version). */
export function applicationServerOf(userData: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(userData.toString('utf8')) as Partial<MemberUserData>;
    return typeof parsed.applicationServer === 'string' ? parsed.applicationServer : undefined;
  } catch {
    return undefined;
  }
}
