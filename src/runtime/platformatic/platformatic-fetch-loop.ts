import { FetchIsolationLevels, ListOffsetTimestamps, protocolErrorsCodesById, type ClusterMetadata, type Consumer, type fetchV17 } from '@platformatic/kafka';
import type { RawRecord, TopicPartition } from '../../processing/raw-record.js';
import { topicPartitionKey } from '../../state/changelog.js';
import { isRetriableReadError, readBrokerFailure } from './platformatic-fetch-errors.js';
import { decodeFetchedPartition } from './platformatic-fetch-records.js';

/** Kafka's `max.partition.fetch.bytes` and `fetch.max.bytes` defaults. */
const PARTITION_MAX_BYTES = 1_048_576;
const FETCH_MAX_BYTES = 52_428_800;
/** Waits before fetching again from a node whose fetch failed: doubling from the first, up to the last. */
const FAILURE_BACKOFF_MS = { first: 250, max: 10_000 } as const;
/** The backoff key of failures that are no broker's in particular (metadata, offset look-ups): they hold every fetch. */
const GLOBAL = -1;
/** Partition errors of a fetch that a later fetch gets past (metadata catching up with a new topic, a moved leader). */
const RETRIABLE_PARTITION_ERRORS = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'UNKNOWN_TOPIC_ID', 'INCONSISTENT_TOPIC_ID']);

export interface FetchLoopHandlers {
  /**
   * One partition's answer: its records (possibly none: only markers or aborted ones came, or nothing at all) and
   * the offset reading goes on from. Throwing stops the loop and reports the error through `onFatal`.
   */
  onFetched(partition: TopicPartition, fetched: PartitionFetch): void;
  /** A fetch failed in a way a later one can get past; the loop retries with backoff. */
  onRetriableFailure(error: unknown): void;
  /** A fetch answered: whatever failed before works again. */
  onFetchSucceeded(): void;
  /** No retry fixes this (or `onFetched` threw): the loop has stopped. */
  onFatal(error: unknown): void;
}

export interface PartitionFetch {
  readonly records: readonly RawRecord[];
  /** The offset the request asked for. */
  readonly fromOffset: number;
  /** Where reading goes on: past every batch returned, control and aborted ones too. */
  readonly nextOffset: number;
  readonly highWatermark: number;
}

export interface FetchLoopOptions {
  readonly readCommitted: boolean;
  readonly maxWaitMs: number;
  /** Where partitions without a position start; by default the log start. */
  readonly startOffsets?: (partitions: readonly TopicPartition[]) => Promise<Map<string, number>>;
}

interface PartitionState {
  readonly partition: TopicPartition;
  /** The next offset to fetch; `undefined` until it is known (sought, or looked up). */
  offset: number | undefined;
  /** Bumped by every seek or reset, so a response to an older request cannot move the position. */
  version: number;
}

interface Requested {
  readonly state: PartitionState;
  readonly offset: number;
  readonly version: number;
}

/**
 * A fetch loop of our own on @platformatic/kafka's `consumer.fetch()` (its `MessagesStream` costs several times
 * the throughput): one request in flight per leader broker, each answer handed over partition by partition, and
 * the next request sent at once. Positions, pauses and seeks are ours: a response is applied to a partition only if
 * the partition is still read, not paused, and at the position the request asked for (as Kafka's consumer does), so
 * a seek or pause made while a fetch was in flight is never undone by its answer. A partition whose position is not
 * known yet starts where `startOffsets` says; one outside the log restarts at the log start.
 */
export class PlatformaticFetchLoop {
  private readonly partitions = new Map<string, PartitionState>();
  private readonly paused = new Set<string>();
  private readonly inFlight = new Set<number>();
  private readonly backoff = new Map<number, { until: number; failures: number }>();
  private readonly resolving = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private planning = false;
  private planAgain = false;
  private running = false;
  private stopped = false;

  constructor(
    private readonly consumer: Consumer,
    private readonly options: FetchLoopOptions,
    private readonly handlers: FetchLoopHandlers,
  ) {}

  /**
   * Reads exactly these partitions from now on; kept ones keep their position, new ones start unknown. Fetching
   * for them starts with the next `refresh()` (or seek, or resume), so the caller can pause and seek first.
   */
  assign(partitions: readonly TopicPartition[]): void {
    const keys = new Set(partitions.map((p) => topicPartitionKey(p.topic, p.partition)));
    for (const [key, state] of this.partitions) {
      if (!keys.has(key)) {
        state.version++;
        this.partitions.delete(key);
      }
    }
    for (const p of partitions) {
      const key = topicPartitionKey(p.topic, p.partition);
      if (!this.partitions.has(key)) this.partitions.set(key, { partition: { topic: p.topic, partition: p.partition }, offset: undefined, version: 0 });
    }
  }

  /** Plans fetches for what changed without a seek or resume (an assignment, reset positions). */
  refresh(): void {
    this.wake();
  }

  /** Forgets every position: the partitions start again where `startOffsets` says (from the next `refresh()`). */
  resetPositions(): void {
    for (const state of this.partitions.values()) {
      state.offset = undefined;
      state.version++;
    }
  }

  seek(partition: TopicPartition, offset: number): void {
    const state = this.partitions.get(topicPartitionKey(partition.topic, partition.partition));
    if (state === undefined) return;
    state.offset = offset;
    state.version++;
    this.wake();
  }

  position(partition: TopicPartition): number | undefined {
    return this.partitions.get(topicPartitionKey(partition.topic, partition.partition))?.offset;
  }

  pause(partitions: readonly TopicPartition[]): void {
    for (const p of partitions) this.paused.add(topicPartitionKey(p.topic, p.partition));
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const p of partitions) this.paused.delete(topicPartitionKey(p.topic, p.partition));
    this.wake();
  }

  start(): void {
    this.running = true;
    this.wake();
  }

  /** Stops fetching; answers still in flight are dropped. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private fetchable(): PartitionState[] {
    return [...this.partitions].filter(([key]) => !this.paused.has(key)).map(([, state]) => state);
  }

  /** Plans fetches now, or once the planning under way is done. */
  private wake(): void {
    if (!this.running || this.stopped) return;
    if (this.planning) {
      this.planAgain = true;
      return;
    }
    this.planning = true;
    void this.plan().finally(() => {
      this.planning = false;
      if (this.planAgain) {
        this.planAgain = false;
        this.wake();
      }
    });
  }

  private async plan(): Promise<void> {
    const wokenAt = Date.now();
    if ((this.backoff.get(GLOBAL)?.until ?? 0) > wokenAt) {
      // Woken before the global backoff ends (a broker's backoff ended first, or the timer a millisecond early): plan
      // again when it does, judged by the same clock reading, or a millisecond passing in between would leave no timer.
      this.scheduleAfterBackoff(wokenAt);
      return;
    }
    const unknown = this.fetchable().filter((s) => s.offset === undefined && !this.resolving.has(topicPartitionKey(s.partition.topic, s.partition.partition)));
    if (unknown.length > 0) void this.resolveStart(unknown);
    const topics = [...new Set(this.fetchable().filter((s) => s.offset !== undefined).map((s) => s.partition.topic))];
    if (topics.length === 0) return;
    let metadata: ClusterMetadata;
    try {
      metadata = await this.consumer.metadata({ topics });
    } catch (error) {
      this.failed(undefined, error);
      return;
    }
    if (this.stopped) return;
    // Taken after the metadata: a pause, seek or answer may have come in the meantime.
    const byNode = new Map<number, PartitionState[]>();
    const now = Date.now();
    for (const state of this.fetchable()) {
      if (state.offset === undefined) continue;
      const leader = metadata.topics.get(state.partition.topic)?.partitions[state.partition.partition]?.leader;
      if (leader === undefined || leader < 0 || this.inFlight.has(leader) || (this.backoff.get(leader)?.until ?? 0) > now) continue;
      const list = byNode.get(leader);
      if (list === undefined) byNode.set(leader, [state]);
      else list.push(state);
    }
    for (const [node, states] of byNode) this.send(node, states, metadata);
    this.scheduleAfterBackoff();
  }

  private send(node: number, states: readonly PartitionState[], metadata: ClusterMetadata): void {
    const requested = new Map<string, Requested>();
    const topics = new Map<string, fetchV17.FetchRequestTopic>();
    const topicNames = new Map<string, string>();
    for (const state of states) {
      const { topic, partition } = state.partition;
      const topicId = metadata.topics.get(topic)!.id;
      topicNames.set(topicId, topic);
      const offset = state.offset!;
      requested.set(topicPartitionKey(topic, partition), { state, offset, version: state.version });
      let entry = topics.get(topicId);
      if (entry === undefined) topics.set(topicId, (entry = { topicId, partitions: [] }));
      entry.partitions.push({ partition, fetchOffset: BigInt(offset), partitionMaxBytes: PARTITION_MAX_BYTES, currentLeaderEpoch: -1, lastFetchedEpoch: -1 });
    }
    this.inFlight.add(node);
    const isolationLevel = this.options.readCommitted ? FetchIsolationLevels.READ_COMMITTED : FetchIsolationLevels.READ_UNCOMMITTED;
    this.consumer.fetch({ node, topics: [...topics.values()], maxWaitTime: this.options.maxWaitMs, maxBytes: FETCH_MAX_BYTES, isolationLevel }, (error, response) => {
      this.inFlight.delete(node);
      if (this.stopped) return;
      const answered = response ?? responseOf(error);
      if (answered !== undefined) this.apply(node, answered, requested, topicNames, error);
      else this.failed(node, error);
      this.wake();
    });
  }

  /** Hands over each requested partition's records, resets the ones outside the log, and judges the rest. */
  private apply(node: number, response: fetchV17.FetchResponse, requested: ReadonlyMap<string, Requested>, topicNames: ReadonlyMap<string, string>, error: unknown): void {
    let retriableError: unknown;
    for (const topicResponse of response.responses) {
      const topic = topicNames.get(topicResponse.topicId);
      if (topic === undefined) continue;
      for (const partitionResponse of topicResponse.partitions) {
        const key = topicPartitionKey(topic, partitionResponse.partitionIndex);
        const request = requested.get(key);
        if (request === undefined || !this.stillWanted(key, request)) continue;
        if (partitionResponse.errorCode !== 0) {
          const name = protocolErrorsCodesById[partitionResponse.errorCode] ?? String(partitionResponse.errorCode);
          if (name === 'OFFSET_OUT_OF_RANGE') this.restartAtLogStart(request.state);
          else if (RETRIABLE_PARTITION_ERRORS.has(name) || isRetriableReadError({ apiId: name })) retriableError ??= error ?? new Error(name);
          else return this.fatal(readBrokerFailure(`fetching ${key}`, error ?? new Error(name)));
          continue;
        }
        const fetched = decodeFetchedPartition(topic, partitionResponse.partitionIndex, request.offset, partitionResponse, this.options.readCommitted);
        const nextOffset = fetched.nextOffset ?? request.offset;
        request.state.offset = nextOffset;
        try {
          this.handlers.onFetched(request.state.partition, { records: fetched.records, fromOffset: request.offset, nextOffset, highWatermark: Number(partitionResponse.highWatermark) });
        } catch (handlerError) {
          return this.fatal(handlerError);
        }
      }
    }
    if (retriableError === undefined) this.succeeded(node);
    else this.failed(node, retriableError);
  }

  private stillWanted(key: string, request: Requested): boolean {
    return !this.stopped && this.partitions.get(key) === request.state && request.state.version === request.version && !this.paused.has(key);
  }

  private async resolveStart(states: readonly PartitionState[]): Promise<void> {
    const keys = states.map((s) => topicPartitionKey(s.partition.topic, s.partition.partition));
    const versions = states.map((s) => s.version);
    for (const key of keys) this.resolving.add(key);
    try {
      const lookup = this.options.startOffsets ?? ((partitions) => this.logStartOffsets(partitions));
      const offsets = await lookup(states.map((s) => s.partition));
      states.forEach((state, i) => {
        const offset = offsets.get(keys[i]!);
        if (state.version === versions[i] && state.offset === undefined && offset !== undefined) state.offset = offset;
      });
    } catch (error) {
      this.failed(undefined, error);
    } finally {
      for (const key of keys) this.resolving.delete(key);
      if (!this.stopped) setTimeout(() => this.wake(), 0);
    }
  }

  private restartAtLogStart(state: PartitionState): void {
    state.offset = undefined;
    state.version++;
    const key = topicPartitionKey(state.partition.topic, state.partition.partition);
    this.resolving.add(key);
    const version = state.version;
    this.logStartOffsets([state.partition])
      .then((offsets) => {
        if (state.version === version && state.offset === undefined) state.offset = offsets.get(key);
      })
      .catch((error: unknown) => this.failed(undefined, error))
      .finally(() => {
        this.resolving.delete(key);
        this.wake();
      });
  }

  /** The first offset of each partition's log. */
  async logStartOffsets(partitions: readonly TopicPartition[]): Promise<Map<string, number>> {
    const byTopic = new Map<string, number[]>();
    for (const p of partitions) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.partition]);
    const offsets = await this.consumer.listOffsets({ topics: [...byTopic.keys()], partitions: Object.fromEntries(byTopic), timestamp: ListOffsetTimestamps.EARLIEST });
    const result = new Map<string, number>();
    for (const p of partitions) {
      const offset = offsets.get(p.topic)?.[p.partition];
      if (offset !== undefined) result.set(topicPartitionKey(p.topic, p.partition), Number(offset));
    }
    return result;
  }

  private succeeded(node: number): void {
    this.backoff.delete(node);
    this.backoff.delete(GLOBAL);
    this.handlers.onFetchSucceeded();
  }

  private failed(node: number | undefined, error: unknown): void {
    if (this.stopped) return;
    if (!isRetriableReadError(error)) return this.fatal(readBrokerFailure('fetching records', error));
    const key = node ?? GLOBAL;
    const failures = (this.backoff.get(key)?.failures ?? 0) + 1;
    this.backoff.set(key, { until: Date.now() + Math.min(FAILURE_BACKOFF_MS.first * 2 ** (failures - 1), FAILURE_BACKOFF_MS.max), failures });
    this.handlers.onRetriableFailure(error);
    this.scheduleAfterBackoff();
  }

  private fatal(error: unknown): void {
    if (this.stopped) return;
    this.stop();
    this.handlers.onFatal(error);
  }

  /** Wakes the loop when the earliest backoff still to come ends. */
  private scheduleAfterBackoff(now = Date.now()): void {
    clearTimeout(this.timer);
    const until = Math.min(...[...this.backoff.values()].map((b) => b.until).filter((t) => t > now));
    if (!Number.isFinite(until) || this.stopped) return;
    this.timer = setTimeout(() => this.wake(), until - now);
  }
}

/** The response a failed fetch still carries (its failed partitions beside the good ones), if any. */
function responseOf(error: unknown): fetchV17.FetchResponse | undefined {
  const withResponse = error as { response?: fetchV17.FetchResponse; errors?: unknown[] } | null;
  if (withResponse?.response?.responses !== undefined) return withResponse.response;
  const last = withResponse?.errors?.at(-1) as { response?: fetchV17.FetchResponse } | undefined;
  return last?.response?.responses !== undefined ? last.response : undefined;
}
