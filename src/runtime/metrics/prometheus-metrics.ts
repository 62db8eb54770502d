import { Counter, Gauge, Registry, type Metric } from 'prom-client';
import type { StreamsMetrics, TaskRuntimeMetrics } from '../app/streams-metrics.js';
import type { DropReason } from '../../processing/task-metrics.js';
import type { HistogramSnapshot } from './latency-histogram.js';
import type { ThreadMetricsSnapshot } from './thread-metrics.js';

/** A prom-client registry, as the config takes it (the type is prom-client's). */
export type MetricsRegistry = Registry;

/** A registry of its own for an instance given none. */
export function createMetricsRegistry(): MetricsRegistry {
  return new Registry();
}

/** What the Prometheus side reads at scrape time; it never sees the runtime's objects. */
export interface MetricsSource {
  readonly clientId: string;
  /** The client's state (`KafkaStreams.state()`) and every state it can be in. */
  state(): string;
  readonly states: readonly string[];
  metrics(): StreamsMetrics;
}

/** The label values of `kstreams_dropped_records_total{reason}`, from the task counters' names. */
const DROP_REASONS: { readonly [reason in DropReason]: string } = {
  deserializationErrors: 'deserialization_error',
  processingErrors: 'processing_error',
  invalidTimestamps: 'invalid_timestamp',
  nullKeys: 'null_key',
  nullValues: 'null_value',
  lateRecords: 'late_record',
  staleRecords: 'stale_record',
};

const TASK_STATES = ['created', 'restoring', 'running', 'suspended'] as const;

/**
 * Registers the instance's metrics in `registry`. Nothing is recorded through prom-client while the application
 * runs: the runtime counts in plain numbers, and every metric's `collect()` reads them from one snapshot per scrape
 * (`source.metrics()`, which with worker threads holds what each thread last reported, at most 250 ms old).
 * Rates are left to PromQL: `rate(kstreams_process_total[1m])` is Kafka Streams' `process-rate`.
 */
export function registerStreamsMetrics(registry: Registry, source: MetricsSource): void {
  const snapshot = scrapeSnapshot(source);
  const tasks = (): [string, TaskRuntimeMetrics | GlobalAsTask][] => {
    const { tasks: local, global } = snapshot();
    return global === undefined ? [...local] : [...local, ['global', global]];
  };
  const registers = [registry];
  gauge(registers, 'kstreams_state', 'The client state (1 for the current one), as KafkaStreams.state()', ['client_id', 'state'], (set) => {
    const current = source.state();
    for (const state of source.states) set({ client_id: source.clientId, state }, state === current ? 1 : 0);
  });
  gauge(registers, 'kstreams_tasks', 'Local tasks by state', ['state'], (set) => {
    const counts = new Map<string, number>(TASK_STATES.map((state) => [state, 0]));
    for (const task of snapshot().tasks.values()) counts.set(task.state, (counts.get(task.state) ?? 0) + 1);
    for (const [state, count] of counts) if (state !== 'closed') set({ state }, count);
  });
  counter(registers, 'kstreams_process_total', 'Records processed per task (task_id "global": the global stores)', ['task_id'], (set) => {
    for (const [id, task] of tasks()) set({ task_id: id }, task.processedRecords);
  });
  counter(registers, 'kstreams_punctuate_total', 'Punctuations run per task', ['task_id'], (set) => {
    for (const [id, task] of tasks()) set({ task_id: id }, task.punctuations);
  });
  counter(registers, 'kstreams_dropped_records_total', 'Records dropped per task and reason (late_record: its window had closed)', ['task_id', 'reason'], (set) => {
    for (const [id, task] of tasks()) for (const [reason, label] of Object.entries(DROP_REASONS)) set({ task_id: id, reason: label }, task.droppedRecords[reason as DropReason]);
  });
  counter(registers, 'kstreams_production_errors_total', 'Output records the broker refused and the production handler dropped', ['task_id'], (set) => {
    for (const [id, task] of snapshot().tasks) set({ task_id: id }, task.productionErrors);
  });
  counter(registers, 'kstreams_restored_records_total', 'Changelog records restored into stores per task (task_id "global": the global stores)', ['task_id'], (set) => {
    for (const [id, task] of tasks()) set({ task_id: id }, task.restoredRecords);
  });
  counter(registers, 'kstreams_task_rebuilds_total', 'Tasks closed after a failure or fencing and created again here', ['task_id'], (set) => {
    for (const [id, task] of snapshot().tasks) set({ task_id: id }, task.rebuilds);
  });
  counter(registers, 'kstreams_cache_hits_total', "Reads of the task's caching stores the record cache answered", ['task_id'], (set) => {
    for (const [id, task] of snapshot().tasks) set({ task_id: id }, task.cacheLookups.hits);
  });
  counter(registers, 'kstreams_cache_misses_total', "Reads of the task's caching stores that went to the store below", ['task_id'], (set) => {
    for (const [id, task] of snapshot().tasks) set({ task_id: id }, task.cacheLookups.misses);
  });
  gauge(registers, 'kstreams_cache_hit_ratio', "Share of the task's caching-store reads the record cache answered, since the task started here", ['task_id'], (set) => {
    for (const [id, task] of snapshot().tasks) {
      const { hits, misses } = task.cacheLookups;
      if (hits + misses > 0) set({ task_id: id }, hits / (hits + misses));
    }
  });
  gauge(registers, 'kstreams_suppression_buffer_records', 'Records a suppress() buffer holds now', ['task_id', 'store'], (set) => {
    for (const [id, task] of snapshot().tasks) for (const buffer of task.suppressionBuffers) set({ task_id: id, store: buffer.store }, buffer.records);
  });
  gauge(registers, 'kstreams_suppression_buffer_bytes', 'Bytes a suppress() buffer holds now, as BufferConfig.maxBytes counts them', ['task_id', 'store'], (set) => {
    for (const [id, task] of snapshot().tasks) for (const buffer of task.suppressionBuffers) set({ task_id: id, store: buffer.store }, buffer.bytes);
  });
  registerThreadMetrics(registers, () => snapshot().threads);
}

type GlobalAsTask = NonNullable<StreamsMetrics['global']>;
type Setter = (labels: Record<string, string | number>, value: number) => void;

function registerThreadMetrics(registers: Registry[], threads: () => readonly ThreadMetricsSnapshot[]): void {
  gauge(registers, 'kstreams_restore_remaining_records', 'Changelog records left to restore per store partition being restored', ['thread_id', 'task_id', 'store', 'topic', 'partition'], (set) => {
    for (const t of threads()) for (const r of t.restoring) set({ thread_id: t.thread, task_id: r.taskId, store: r.store, topic: r.topic, partition: r.partition }, r.remaining);
  });
  gauge(registers, 'kstreams_records_lag', 'Records of an input partition not processed yet: not fetched (high watermark - position) plus fetched and buffered', ['topic', 'partition'], (set) => {
    for (const t of threads()) for (const lag of t.recordsLag) set({ topic: lag.topic, partition: lag.partition }, lag.lag);
  });
  counter(registers, 'kstreams_rebalances_total', 'Rebalances a stream thread took part in', ['thread_id'], (set) => {
    for (const t of threads()) set({ thread_id: t.thread }, t.rebalances);
  });
  counter(registers, 'kstreams_client_records_sent_total', 'Records the thread\'s producers had acknowledged', ['thread_id'], (set) => {
    for (const t of threads()) set({ thread_id: t.thread }, t.client.recordsSent);
  });
  counter(registers, 'kstreams_client_bytes_sent_total', 'Key and value bytes of the records acknowledged', ['thread_id'], (set) => {
    for (const t of threads()) set({ thread_id: t.thread }, t.client.bytesSent);
  });
  counter(registers, 'kstreams_client_records_fetched_total', 'Records fetched, per consumer (group: input; restore: changelogs; global: global topics)', ['thread_id', 'consumer'], (set) => {
    for (const t of threads()) for (const [consumer, n] of Object.entries(t.client.recordsFetched)) set({ thread_id: t.thread, consumer }, n);
  });
  counter(registers, 'kstreams_client_bytes_fetched_total', 'Key and value bytes of the records fetched, per consumer', ['thread_id', 'consumer'], (set) => {
    for (const t of threads()) for (const [consumer, n] of Object.entries(t.client.bytesFetched)) set({ thread_id: t.thread, consumer }, n);
  });
  const latency = new SnapshotHistogram('kstreams_commit_latency_seconds', 'Time a stream thread took to commit its tasks (flush, send, commit offsets, commit state)', 'thread_id', () =>
    threads().filter((t) => t.thread !== GLOBAL_THREAD).map((t) => [t.thread, t.commitLatency] as const),
  );
  for (const registry of registers) registry.registerMetric(latency as unknown as Metric);
}

/** The thread name of the global stores' counters (Kafka Streams' global thread). */
export const GLOBAL_THREAD = 'GlobalStreamThread';

function gauge(registers: Registry[], name: string, help: string, labelNames: string[], fill: (set: Setter) => void): void {
  new Gauge({
    name, help, labelNames, registers,
    collect(this: Gauge) {
      this.reset();
      fill((labels, value) => this.set(labels, value));
    },
  });
}

/** A counter whose value is the runtime's own count, set at scrape time (`reset` drops series of tasks gone). */
function counter(registers: Registry[], name: string, help: string, labelNames: string[], fill: (set: Setter) => void): void {
  new Counter({
    name, help, labelNames, registers,
    collect(this: Counter) {
      this.reset();
      fill((labels, value) => this.inc(labels, value));
    },
  });
}

/**
 * A histogram rendered from plain bucket counts: prom-client's `Histogram` can only be observed, and the
 * observations happen in the stream threads (worker threads among them), which hand over counts, not events.
 */
class SnapshotHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly label: string,
    private readonly histograms: () => ReadonlyArray<readonly [string, HistogramSnapshot]>,
  ) {}

  get(): { name: string; help: string; type: string; aggregator: string; values: { labels: Record<string, string | number>; value: number; metricName: string }[] } {
    const values = this.histograms().flatMap(([owner, h]) => [
      ...h.bounds.map((bound, i) => ({ labels: { le: bound, [this.label]: owner }, value: h.cumulative[i]!, metricName: `${this.name}_bucket` })),
      { labels: { le: '+Inf', [this.label]: owner }, value: h.count, metricName: `${this.name}_bucket` },
      { labels: { [this.label]: owner }, value: h.sum, metricName: `${this.name}_sum` },
      { labels: { [this.label]: owner }, value: h.count, metricName: `${this.name}_count` },
    ]);
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    // The counts are the stream threads': a registry's resetMetrics() cannot take them back.
  }
}

/** One `source.metrics()` per scrape: every metric's `collect()` of a scrape runs before the next macrotask. */
function scrapeSnapshot(source: MetricsSource): () => StreamsMetrics {
  let cached: StreamsMetrics | undefined;
  return () => {
    if (cached === undefined) {
      cached = source.metrics();
      setImmediate(() => (cached = undefined));
    }
    return cached;
  };
}
