import { describeError, StreamsError } from '../../../core/errors.js';
import type { Serde } from '../../../core/serde.js';
import type { TopicPartition } from '../../../processing/raw-record.js';
import type { TaskLogger } from '../../../processing/task-logger.js';
import type { CompiledTopology } from '../../../topology/compiled-topology.js';
import { applicationServerOf } from '../../assignment/streams-assignor.js';
import type { GroupMembersMetadata } from '../../client/kafka-client.js';
import { murmur2 } from '../../client/murmur2.js';
import { parseHostInfo, type HostInfo } from './query-config.js';

/** What one instance holds (Kafka Streams' `StreamsMetadata`); standbys stay empty until there are standby tasks. */
export interface StreamsMetadata {
  readonly hostInfo: HostInfo;
  readonly stateStoreNames: readonly string[];
  readonly topicPartitions: readonly TopicPartition[];
  readonly standbyStateStoreNames: readonly string[];
  readonly standbyTopicPartitions: readonly TopicPartition[];
}

/** Where a key of a store lives (Kafka Streams' `KeyQueryMetadata`). */
export interface KeyQueryMetadata {
  readonly activeHost: HostInfo;
  readonly standbyHosts: readonly HostInfo[];
  readonly partition: number;
}

export interface StreamsMetadataOptions {
  readonly topology: CompiledTopology;
  readonly subtopologyTopics: ReadonlyMap<number, readonly string[]>;
  readonly partitionCounts: ReadonlyMap<string, number>;
  readonly describeGroup: () => Promise<GroupMembersMetadata>;
  readonly logger: TaskLogger;
  /** How long to wait before describing the group again while it is rebalancing or the call failed. */
  readonly retryMs?: number;
}

interface HostTasks {
  readonly hostInfo: HostInfo;
  readonly partitions: TopicPartition[];
  readonly subtopologies: Set<number>;
}

interface Snapshot {
  readonly hosts: ReadonlyMap<string, HostTasks>;
  /** `<subtopology>_<partition>` → the host running that task. */
  readonly owners: ReadonlyMap<string, HostInfo>;
}

/**
 * Which instance holds which task, for interactive queries. kafkajs drops the user data of assignments, so the
 * leader cannot hand this out with them (as Kafka Streams' AssignmentInfo does); instead each instance describes
 * the group after every rebalance: each member's subscription user data names its `applicationServer`, and its
 * assignment names its partitions, hence its tasks. Until that answer is in (and while a rebalance runs) there is
 * no metadata, and every query is `STORE_NOT_AVAILABLE` rather than an answer from a previous generation.
 */
export class StreamsMetadataState {
  private snapshot: Snapshot | undefined;
  /** Bumped by every invalidation, so a refresh that started before one never publishes what it read. */
  private epoch = 0;
  private readonly subtopologyOfTopic: Map<string, number>;

  constructor(private readonly options: StreamsMetadataOptions) {
    this.subtopologyOfTopic = new Map([...options.subtopologyTopics].flatMap(([id, topics]) => topics.map((t) => [t, id] as const)));
  }

  /** A rebalance began: what we knew may be wrong from now on. */
  invalidate(): void {
    this.epoch++;
    this.snapshot = undefined;
  }

  /** The assignment is in: describes the group until it is stable, unless invalidated again meanwhile. */
  async refresh(): Promise<void> {
    const epoch = ++this.epoch;
    while (epoch === this.epoch) {
      try {
        const described = await this.options.describeGroup();
        if (epoch !== this.epoch) return;
        if (described.stable) {
          this.snapshot = this.snapshotOf(described);
          return;
        }
      } catch (error) {
        this.options.logger.warn({ error: describeError(error) }, 'describing the group for query metadata failed; retrying');
      }
      await new Promise((resolve) => setTimeout(resolve, this.options.retryMs ?? 100));
    }
  }

  /** Whether the metadata of the current generation is known. */
  available(): boolean {
    return this.snapshot !== undefined;
  }

  allMetadata(): StreamsMetadata[] {
    return [...this.current().hosts.values()].map((host) => this.metadataOf(host));
  }

  metadataForStore(store: string): StreamsMetadata[] {
    return this.allMetadata().filter((m) => m.stateStoreNames.includes(store));
  }

  keyQueryMetadata<K>(store: string, key: K, keySerde: Serde<K>): KeyQueryMetadata {
    const { subtopology, topic, tasks } = this.storeTasks(store);
    const bytes = keySerde.serialize(topic, key);
    if (bytes === null) throw new StreamsError('STATE_MISUSE', 'a query key must not serialize to null', { coordinates: { store } });
    const partition = (murmur2(bytes) & 0x7fffffff) % tasks;
    return { activeHost: this.ownerOf(store, subtopology, partition), standbyHosts: [], partition };
  }

  /** The sub-topology holding `store`, its widest source topic (whose partitioning keys follow) and its task count. */
  storeTasks(store: string): { subtopology: number; topic: string; tasks: number } {
    const spec = this.options.topology.subtopologies.find((s) => s.storeNames.includes(store));
    if (spec === undefined) {
      const global = this.options.topology.globalStores.some((g) => g.storeName === store);
      const reason = global ? 'is a global store: every instance holds all of it, query it locally' : 'is not a store of the topology';
      throw new StreamsError('ILLEGAL_STATE', `${store} ${reason}`, { coordinates: { store } });
    }
    const topics = this.options.subtopologyTopics.get(spec.id) ?? [];
    const counted = topics.map((t) => ({ topic: t, count: this.options.partitionCounts.get(t) ?? 0 })).sort((a, b) => b.count - a.count);
    return { subtopology: spec.id, topic: counted[0]?.topic ?? '', tasks: Math.max(1, counted[0]?.count ?? 1) };
  }

  ownerOf(store: string, subtopology: number, partition: number): HostInfo {
    const owner = this.current().owners.get(`${subtopology}_${partition}`);
    if (owner === undefined) {
      const message = `no instance with an applicationServer holds task ${subtopology}_${partition}`;
      throw new StreamsError('STORE_NOT_AVAILABLE', message, { coordinates: { store, taskId: `${subtopology}_${partition}` } });
    }
    return owner;
  }

  private current(): Snapshot {
    if (this.snapshot === undefined) {
      throw new StreamsError('STORE_NOT_AVAILABLE', 'the group is rebalancing (or its metadata is not read yet): which instance holds which task is not known; retry');
    }
    return this.snapshot;
  }

  private snapshotOf(described: GroupMembersMetadata): Snapshot {
    const hosts = new Map<string, HostTasks>();
    const owners = new Map<string, HostInfo>();
    for (const member of described.members) {
      const server = applicationServerOf(member.userData);
      const hostInfo = server === undefined ? undefined : hostInfoOf(server);
      if (server === undefined || hostInfo === undefined) continue;
      const host = hosts.get(server) ?? { hostInfo, partitions: [], subtopologies: new Set<number>() };
      hosts.set(server, host);
      for (const tp of member.assignment) {
        const subtopology = this.subtopologyOfTopic.get(tp.topic);
        if (subtopology === undefined) continue;
        host.partitions.push(tp);
        host.subtopologies.add(subtopology);
        owners.set(`${subtopology}_${tp.partition}`, hostInfo);
      }
    }
    return { hosts, owners };
  }

  private metadataOf(host: HostTasks): StreamsMetadata {
    const { topology } = this.options;
    const stores = topology.subtopologies.filter((s) => host.subtopologies.has(s.id)).flatMap((s) => s.storeNames);
    const globals = topology.globalStores.map((g) => g.storeName);
    return { hostInfo: host.hostInfo, stateStoreNames: [...new Set([...stores, ...globals])].sort(), topicPartitions: host.partitions, standbyStateStoreNames: [], standbyTopicPartitions: [] };
  }
}

/** Another member's address as it announced it; one this version cannot read leaves that member unlisted. */
function hostInfoOf(server: string): HostInfo | undefined {
  try {
    return parseHostInfo('applicationServer', server);
  } catch {
    return undefined;
  }
}
