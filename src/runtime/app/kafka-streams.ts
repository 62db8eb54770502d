import { ConfigError, describeError, StreamsError } from '../../core/errors.js';
import type { ReadOnlyKeyValueStore } from '../../state/key-value-store.js';
import { readOnlyKeyValueStoreOf } from '../../state/read-only-key-value-store-facade.js';
import { readOnlyWindowStoreOf } from '../../state/read-only-window-store-facade.js';
import type { ReadOnlySessionStore } from '../../state/session-store.js';
import type { StateStore } from '../../state/state-store.js';
import { readOnlySessionStoreOf } from '../../state/typed-session-store.js';
import type { ReadOnlyWindowStore } from '../../state/window-store.js';
import type { CompiledTopology } from '../../topology/compiled-topology.js';
import type { Topology } from '../../topology/topology.js';
import type { Serde } from '../../core/serde.js';
import type { KafkaAdmin, KafkaClient, KafkaClientFactory } from '../client/kafka-client.js';
import { GlobalStateUpdater } from '../global/global-state-updater.js';
import { defaultClient } from './default-client.js';
import { InteractiveQueries } from './queries/interactive-queries.js';
import type { LocalQuerySource } from './queries/local-store-query.js';
import { queryLocalStores } from './queries/local-sql.js';
import type { KeyQueryMetadata, StreamsMetadata } from './queries/streams-metadata-state.js';
import { StateMachine } from '../state-machine.js';
import { prepareTopics } from '../topics/prepare-topics.js';
import { LocalSessionStoreView } from './local-session-store-view.js';
import { LocalStoreView } from './local-store-view.js';
import { LocalWindowStoreView } from './local-window-store-view.js';
import { meteredClient } from '../metrics/client-meter.js';
import type { MetricsRegistry } from '../metrics/prometheus-metrics.js';
import { RestoreProgress } from '../tasks/restore-progress.js';
import type { StateRestoreListener } from '../tasks/state-restore-listener.js';
import { InstanceMetrics } from './instance-metrics.js';
import { ShutdownHook } from './shutdown-hook.js';
import { StateDirectory } from './state-directory.js';
import { taskEngineConfigOf } from './task-engine-config-of.js';
import { StreamThread } from './stream-thread.js';
import { resolveStreamsConfig, type ResolvedStreamsConfig, type StreamsConfig } from './streams-config.js';
import { summarizeMetrics, taskRuntimeMetricsOf, type StreamsMetrics, type TaskRuntimeMetrics } from './streams-metrics.js';
import { firstConnectionError } from './first-connection-error.js';
import { STREAMS_STATES, STREAMS_STATE_TRANSITIONS, type StateListener, type StreamsState } from './streams-state.js';
import { StreamThreadPool } from './threads/stream-thread-pool.js';
import { checkTopologyModule, isTopologyModule, loadTopology, type TopologyModule } from './threads/topology-module.js';
import { workerConfigOf } from './threads/worker-config.js';

/** What a `KafkaStreams` instance is given besides its config. */
export interface KafkaStreamsOptions {
  /**
   * The Kafka client it runs on, or a factory making one from the config's connection settings; defaults to the
   * adapter the config's `client` names (kafkajs unless it says otherwise). Tests pass a client of the in-memory cluster (`InMemoryKafkaCluster.client()`, kstreams/testing),
   * as Kafka Streams takes a `KafkaClientSupplier`.
   */
  readonly client?: KafkaClient | KafkaClientFactory;
}

export type UncaughtExceptionResponse = 'REPLACE_THREAD' | 'SHUTDOWN_CLIENT' | 'SHUTDOWN_APPLICATION';
export type UncaughtExceptionHandler = (error: unknown) => UncaughtExceptionResponse;

/**
 * A running instance of a streams application: joins the group `applicationId`, runs the tasks it is assigned
 * with their state in `<stateDir>/<applicationId>/`, and commits them under the configured guarantee. Start as
 * many instances as you like; the group spreads the tasks over them.
 */
export class KafkaStreams {
  private readonly config: ResolvedStreamsConfig;
  /** Built in the constructor, or in `start()` from the topology module of worker threads. */
  private topology: CompiledTopology | undefined;
  /** With a topology module: where each stream thread's worker builds its topology, and the config it receives. */
  private readonly threadSource: { readonly module: TopologyModule; readonly config: StreamsConfig } | undefined;
  private threads: StreamThreadPool | null = null;
  private readonly lifecycle: StateMachine<StreamsState>;
  private readonly stateDirectory: StateDirectory;
  private readonly client: KafkaClient;
  private stateListener: StateListener | null = null;
  private uncaughtExceptionHandler: UncaughtExceptionHandler = () => 'SHUTDOWN_CLIENT';
  private admin: KafkaAdmin | null = null;
  private thread: StreamThread | null = null;
  private global: GlobalStateUpdater | null = null;
  private queries: InteractiveQueries | null = null;
  private shutdown: Promise<void> | null = null;
  private sinkPartitionCounts: ReadonlyMap<string, number> = new Map();
  private readonly shutdownHook: ShutdownHook | null;
  private closedCleanly = true;
  private restoreListener: StateRestoreListener | undefined;
  private readonly instanceMetrics: InstanceMetrics;

  /**
   * `topology` is the `Topology` to run on this thread, or a `TopologyModule` every stream thread builds it from in a
   * worker thread of its own, which `numStreamThreads` above 1 requires (docs/runtime.md, "Stream threads").
   */
  constructor(topology: Topology | TopologyModule, config: StreamsConfig, options: KafkaStreamsOptions = {}) {
    this.config = resolveStreamsConfig(config, { clientGiven: options.client !== undefined });
    if (isTopologyModule(topology)) {
      this.threadSource = { module: checkTopologyModule(topology), config: workerConfigOf(config, options.client !== undefined) };
    } else if (this.config.numStreamThreads > 1) {
      const advice = "name a module the workers import to build it: new KafkaStreams({ module: new URL('./topology.js', import.meta.url).href, export: 'buildTopology' }, config)";
      throw new ConfigError('numStreamThreads', `above 1 runs each stream thread in a worker thread, which cannot receive a Topology (its processors are functions): ${advice}`);
    } else {
      this.topology = topology.build();
    }
    this.stateDirectory = new StateDirectory(this.config.stateDir, this.config.applicationId, this.config.logger);
    const connection = {
      bootstrapServers: this.config.bootstrapServers,
      clientId: this.config.clientId,
      ...(this.config.ssl === undefined ? {} : { ssl: this.config.ssl }),
      ...(this.config.sasl === undefined ? {} : { sasl: this.config.sasl }),
      logger: this.config.logger,
    };
    const { client } = options;
    this.client = client === undefined ? defaultClient(this.config.client, connection) : typeof client === 'function' ? client(connection) : client;
    this.shutdownHook = this.config.installShutdownHook ? new ShutdownHook(() => this.closeOnSignal(), this.config.logger) : null;
    this.restoreListener = this.config.stateRestoreListener;
    this.instanceMetrics = new InstanceMetrics(this.config, { clientId: this.config.clientId, state: () => this.state(), states: STREAMS_STATES, metrics: () => this.metrics() });
    this.lifecycle = new StateMachine('KafkaStreams', STREAMS_STATE_TRANSITIONS, 'CREATED', (next, previous) => {
      this.config.logger.info({ from: previous, to: next }, 'state changed');
      this.queries?.stateChanged(next);
      if (next === 'NOT_RUNNING' || next === 'ERROR') this.shutdownHook?.remove();
      this.notifyStateListener(next, previous);
    });
  }

  state(): StreamsState {
    return this.lifecycle.state;
  }

  setStateListener(listener: StateListener): void {
    this.stateListener = listener;
  }

  /**
   * Hears of every store partition restored from its changelog, on every stream thread and for the global stores
   * (Kafka Streams' `setGlobalStateRestoreListener`); only before `start()`, as there.
   */
  setGlobalStateRestoreListener(listener: StateRestoreListener): void {
    if (this.state() !== 'CREATED') throw new StreamsError('ILLEGAL_STATE', `a restore listener can only be set before start(); the client is ${this.state()}`);
    this.restoreListener = listener;
  }

  /**
   * The prom-client registry holding this instance's metrics (the config's `metricsRegistry`, or one of its own):
   * `await streams.metricsRegistry().metrics()` is the Prometheus text; docs/operations.md lists every metric.
   */
  metricsRegistry(): MetricsRegistry {
    return this.instanceMetrics.registry;
  }

  /** Where `metricsPort` serves the metrics once `start()` began listening; `undefined` without one. */
  metricsUrl(): string | undefined {
    return this.instanceMetrics.url;
  }

  /** Decides what a fatal error does; the default is `SHUTDOWN_CLIENT`. */
  setUncaughtExceptionHandler(handler: UncaughtExceptionHandler): void {
    this.uncaughtExceptionHandler = handler;
  }

  /**
   * Creates the internal topics, checks source topics and co-partitioning, locks the state directory and joins
   * the group. Rejects (leaving the client in ERROR) with a `StreamsError` when the setup is impossible.
   */
  async start(): Promise<void> {
    if (this.state() !== 'CREATED') throw new StreamsError('ILLEGAL_STATE', `cannot start a client in state ${this.state()}`);
    this.stateDirectory.lock();
    this.lifecycle.moveTo('REBALANCING');
    this.shutdownHook?.install();
    try {
      await this.instanceMetrics.serve();
      this.admin = this.client.admin();
      await this.admin.connect().catch((error: unknown) => {
        throw firstConnectionError(this.config, error);
      });
      this.topology ??= (await loadTopology(this.threadSource!.module)).build();
      const prepared = await prepareTopics(this.admin, this.topology, this.config);
      this.sinkPartitionCounts = prepared.partitionCounts;
      await this.startQueries(prepared.subtopologyTopics);
      await this.startGlobalState();
      if (this.threadSource === undefined) await this.startThread(prepared.subtopologyTopics);
      else await this.startWorkerThreads(this.topology, this.threadSource, prepared.subtopologyTopics);
    } catch (error) {
      this.config.logger.error({ error: describeError(error) }, 'start failed');
      await this.shutDownOnError();
      throw error;
    }
  }

  /**
   * Commits, leaves the group, disconnects and releases the state directory. Resolves `true` when that finished
   * within `timeoutMs` (default: wait for it), `false` when it is still going on.
   */
  async close(options: { timeoutMs?: number } = {}): Promise<boolean> {
    if (this.shutdown === null) {
      if (this.state() === 'ERROR' || this.state() === 'PENDING_ERROR') return true;
      this.lifecycle.moveTo('PENDING_SHUTDOWN');
      this.shutdown = this.releaseResources(true)
        .catch((error: unknown) => {
          this.closedCleanly = false;
          this.config.logger.error({ error: describeError(error) }, 'clean shutdown failed');
        })
        .finally(() => this.lifecycle.moveTo('NOT_RUNNING'));
    }
    if (options.timeoutMs === undefined) {
      await this.shutdown;
      return true;
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), options.timeoutMs)));
    try {
      return await Promise.race([this.shutdown.then(() => true), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Deletes this application's local state directory; only while the client is not running. */
  cleanUp(): void {
    const state = this.state();
    if (state !== 'CREATED' && state !== 'NOT_RUNNING' && state !== 'ERROR') {
      throw new StreamsError('ILLEGAL_STATE', `cleanUp() needs a client that is not running; it is ${state}`);
    }
    if (this.stateDirectory.isLockedByLiveProcess()) {
      throw new StreamsError('STATE_DIR_LOCKED', `state directory ${this.stateDirectory.path} is in use by a running instance`);
    }
    this.stateDirectory.deleteAll();
  }

  /**
   * A read-only view of a key-value store over every local task holding it (timestamped stores show plain values),
   * or of a global store, which this instance holds in full once restored.
   * Window and session stores are read through `windowStore` and `sessionStore`; reading one of them here throws.
   */
  store<K, V>(name: string): ReadOnlyKeyValueStore<K, V> {
    this.requireStore(name);
    return new LocalStoreView<K, V>(name, () => this.localViews(name, 'key-value', readOnlyKeyValueStoreOf<K, V>));
  }

  /** A read-only view of a window store over every local task holding it (windowed aggregations show plain values). */
  windowStore<K, V>(name: string): ReadOnlyWindowStore<K, V> {
    this.requireStore(name);
    return new LocalWindowStoreView<K, V>(name, () => this.localViews(name, 'window', readOnlyWindowStoreOf<K, V>));
  }

  /** A read-only view of a session store over every local task holding it. */
  sessionStore<K, V>(name: string): ReadOnlySessionStore<K, V> {
    this.requireStore(name);
    return new LocalSessionStoreView<K, V>(name, () => this.localViews(name, 'session', readOnlySessionStoreOf<K, V>));
  }

  /**
   * Which instance holds `key` of `store` (Kafka Streams' `queryMetadataForKey`): its partition by the key's
   * murmur2 hash, as the sources and repartition topics partition it, and the instance whose task holds it.
   * Throws `STORE_NOT_AVAILABLE` (retry) while a rebalance runs or the group's metadata is not read yet.
   */
  queryMetadataForKey<K>(store: string, key: K, keySerde: Serde<K>): KeyQueryMetadata {
    this.requireStore(store);
    if (this.config.applicationServer === undefined) {
      throw new StreamsError('ILLEGAL_STATE', 'queryMetadataForKey needs applicationServer in the config: instances without one are not listed', { coordinates: { store } });
    }
    return this.requireQueries().metadata.keyQueryMetadata(store, key, keySerde);
  }

  /** Every instance of the application that announced an `applicationServer`, with its stores and partitions. */
  metadataForAllStreamsClients(): StreamsMetadata[] {
    return this.requireQueries().metadata.allMetadata();
  }

  /** The instances holding a task (or a global copy) of `store`. */
  streamsMetadataForStore(store: string): StreamsMetadata[] {
    this.requireStore(store);
    return this.requireQueries().metadata.metadataForStore(store);
  }

  /**
   * One read-only SQL statement (SQLite) over this instance's share of the stores it names: each key-value store
   * is a view `"<store>"` with `key` and `value` columns, each window store adds `window_start` and `window_end`,
   * and JSON-object values add a column per top-level field (docs/runtime.md, "SQL over local state").
   */
  query(sql: string): Array<{ readonly [column: string]: unknown }> {
    if (this.topology === undefined) throw new StreamsError('ILLEGAL_STATE', 'query() needs a started client');
    return queryLocalStores(this.topology, this.querySource(), sql);
  }

  /** Where the query server (config `queryServer`) listens once started; `undefined` without one. */
  queryServerAddress(): { host: string; port: number } | undefined {
    return this.queries?.serverAddress();
  }

  /** Per-task counters (restored, processed, dropped records, rebuilds) and their sums; the global stores' apart. */
  metrics(): StreamsMetrics {
    const tasks = this.threads?.taskMetrics() ?? new Map<string, TaskRuntimeMetrics>();
    const manager = this.thread?.taskManager();
    for (const task of manager?.allTasks() ?? []) tasks.set(task.id, taskRuntimeMetricsOf(task, { rebuilds: manager?.rebuildCount(task.id) ?? 0, damagedStateDeletions: manager?.damagedStateCount(task.id) ?? 0 }));
    const threads = this.threads?.threadMetrics() ?? (this.thread === null ? [] : [this.thread.metricsSnapshot()]);
    if (this.global !== null) threads.push(this.instanceMetrics.global.snapshot([], this.global.restoring()));
    const summary = summarizeMetrics(tasks, threads);
    return this.global === null ? summary : { ...summary, global: this.global.metrics() };
  }

  private requireQueries(): InteractiveQueries {
    if (this.queries !== null) return this.queries;
    // Starting is the first rebalance: "not yet, retry", as later ones; only a client never started (or closed) is misused.
    if (this.state() === 'REBALANCING') throw new StreamsError('STORE_NOT_AVAILABLE', 'the client is starting: which instance holds which task is not known yet; retry');
    throw new StreamsError('ILLEGAL_STATE', `the group's metadata is known only while the client runs; it is ${this.state()}`);
  }

  private async startQueries(subtopologyTopics: ReadonlyMap<number, readonly string[]>): Promise<void> {
    this.queries = new InteractiveQueries({
      config: this.config,
      topology: this.topology!,
      subtopologyTopics,
      partitionCounts: this.sinkPartitionCounts,
      admin: this.admin!,
      source: this.querySource(),
    });
    await this.queries.start();
  }

  private querySource(): LocalQuerySource {
    return {
      state: () => this.state(),
      runningTasks: () => this.runningTasks(),
      keyValueStore: (name) => this.store(name),
      windowStore: (name) => this.windowStore(name),
    };
  }

  /** The local tasks that serve reads: running on this thread, or reported so by the worker threads. */
  private runningTasks(): Set<string> {
    if (this.threads !== null) return this.threads.queryableTasks();
    return new Set((this.thread?.taskManager().allTasks() ?? []).filter((task) => task.state === 'running').map((task) => task.id));
  }

  private requireStore(name: string): void {
    if (this.topology === undefined) throw new StreamsError('ILLEGAL_STATE', `store ${name} cannot be queried before start(): the topology module is loaded then`);
    if (!this.topology.stores.some((s) => s.name === name)) {
      throw new StreamsError('ILLEGAL_STATE', `the topology has no store named ${name}`, { coordinates: { store: name } });
    }
  }

  /**
   * The store `name` of each local task that can serve reads, through `viewOf`; a store of another kind than the
   * accessor's (`viewOf` answers `null`) is an error, as in Kafka Streams, rather than a store that looks empty.
   */
  private localViews<View>(name: string, kind: string, viewOf: (store: StateStore) => View | null): View[] {
    const tasks = this.thread?.taskManager().allTasks() ?? [];
    const global = this.global?.stateStore(name);
    const stores = global !== undefined ? [global] : this.threads !== null ? this.threads.stores(name) : tasks.flatMap((task) => (task.state === 'running' || task.state === 'suspended' ? [task.engine.stateStore(name)] : []));
    return stores.flatMap((store) => {
      if (store === undefined) return [];
      const view = viewOf(store);
      if (view === null) {
        const message = `store ${name} is not a ${kind} store: read it with store(), windowStore() or sessionStore() by its kind`;
        throw new StreamsError('ILLEGAL_STATE', message, { coordinates: { store: name } });
      }
      return [view];
    });
  }

  /** Restores the global stores (when the topology has any) before any task starts, then keeps them current. */
  private async startGlobalState(): Promise<void> {
    const topology = this.topology!;
    if (topology.globalStores.length === 0) return;
    if (this.threadSource !== undefined) {
      throw new ConfigError('numStreamThreads', 'above 1 is not supported yet for topologies with global stores: the worker threads would need the global stores of the main thread');
    }
    const globalClient = meteredClient(this.client, this.instanceMetrics.global.client);
    const global = new GlobalStateUpdater({
      topology,
      taskConfig: taskEngineConfigOf(this.config),
      admin: this.admin!,
      reader: globalClient.changelogReader(),
      tailer: globalClient.partitionTailer(),
      restoreProgress: new RestoreProgress(() => this.restoreListener, this.config.logger),
      databasePath: this.stateDirectory.globalDatabasePath(),
      wipe: () => this.stateDirectory.wipeGlobal(),
      commitIntervalMs: this.config.commitIntervalMs,
      logger: this.config.logger,
    });
    this.global = global;
    void global.failure().then((error) => this.onGlobalFailure(global, error)).catch((error: unknown) => this.logUnexpected(error));
    await global.start();
  }

  /**
   * The global stores cannot be kept current any more: every task reads them, so the client shuts down (Kafka
   * Streams cannot replace its global thread either). The handler hears of it; only its logging matters here.
   */
  private async onGlobalFailure(global: GlobalStateUpdater, error: unknown): Promise<void> {
    if (this.global !== global || this.shutdown !== null) return;
    try {
      if (this.uncaughtExceptionHandler(error) !== 'SHUTDOWN_CLIENT') this.config.logger.warn({}, 'a failed global state updater cannot be replaced: shutting the client down');
    } catch (handlerError) {
      this.config.logger.error({ error: describeError(handlerError) }, 'uncaught exception handler failed');
    }
    this.config.logger.error({ error: describeError(error) }, 'global state updater failed');
    await this.shutDownOnError();
  }

  private async startThread(subtopologyTopics: ReadonlyMap<number, readonly string[]>): Promise<void> {
    const thread = new StreamThread({
      globalStores: this.global?.readOnlyStores() ?? new Map(),
      config: this.config,
      topology: this.topology!,
      client: this.client,
      admin: this.admin!,
      stateDirectory: this.stateDirectory,
      subtopologyTopics,
      partitionCounts: this.sinkPartitionCounts,
      restoreListener: () => this.restoreListener,
      listener: {
        rebalancing: () => {
          if (this.state() === 'RUNNING') this.lifecycle.moveTo('REBALANCING');
        },
        running: () => {
          if (this.state() === 'REBALANCING' || this.state() === 'RUNNING') this.lifecycle.moveTo('RUNNING');
        },
      },
    });
    this.thread = thread;
    void thread.failure().then((error) => this.onThreadFailure(thread, error, subtopologyTopics)).catch((error: unknown) => this.logUnexpected(error));
    await thread.start();
  }

  /** `numStreamThreads` stream threads in worker threads, whose states make up this client's. */
  private async startWorkerThreads(topology: CompiledTopology, source: { module: TopologyModule; config: StreamsConfig }, subtopologyTopics: ReadonlyMap<number, readonly string[]>): Promise<void> {
    this.threads = new StreamThreadPool({
      source: source.module,
      topology,
      config: this.config,
      workerConfig: source.config,
      stateDirectory: this.stateDirectory,
      subtopologyTopics,
      partitionCounts: this.sinkPartitionCounts,
      restoreListener: () => this.restoreListener,
      stateChanged: (state) => {
        if (state !== this.state() && (this.state() === 'REBALANCING' || this.state() === 'RUNNING')) this.lifecycle.moveTo(state);
      },
      threadFailed: (error, committedOnce) => {
        if (this.shutdown !== null) return false;
        const response = this.threadResponse(error);
        if (response === 'REPLACE_THREAD' && committedOnce) return true;
        if (response !== 'SHUTDOWN_CLIENT') this.config.logger.warn({ response }, 'shutting the client down: a thread is replaced only after it committed, and SHUTDOWN_APPLICATION stops this instance only');
        void this.shutDownOnError();
        return false;
      },
    });
    await this.threads.start();
  }

  /** What the uncaught-exception handler says to a failed thread (a handler that throws says SHUTDOWN_CLIENT). */
  private threadResponse(error: unknown): UncaughtExceptionResponse {
    try {
      return this.uncaughtExceptionHandler(error);
    } catch (handlerError) {
      this.config.logger.error({ error: describeError(handlerError) }, 'uncaught exception handler failed');
      return 'SHUTDOWN_CLIENT';
    }
  }

  /** A fatal error: the uncaught-exception handler picks between a new thread and shutting this client down. */
  private async onThreadFailure(thread: StreamThread, error: unknown, subtopologyTopics: ReadonlyMap<number, readonly string[]>): Promise<void> {
    if (this.thread !== thread || this.shutdown !== null) return;
    let response: UncaughtExceptionResponse = 'SHUTDOWN_CLIENT';
    try {
      response = this.uncaughtExceptionHandler(error);
    } catch (handlerError) {
      this.config.logger.error({ error: describeError(handlerError) }, 'uncaught exception handler failed');
    }
    this.config.logger.error({ error: describeError(error), response }, 'stream thread failed');
    // Replacing a thread that never committed would fail on the same record again: a crash loop, not a recovery.
    if (response === 'REPLACE_THREAD' && thread.committedOnce) {
      await thread.stop(false).catch(() => undefined);
      if (this.shutdown !== null) return;
      this.lifecycle.tryMoveTo('REBALANCING');
      await this.startThread(subtopologyTopics).catch((startError: unknown) => this.onThreadFailure(this.thread!, startError, subtopologyTopics));
      return;
    }
    if (response === 'REPLACE_THREAD') {
      this.config.logger.warn({}, 'not replacing a thread that committed nothing: it would fail on the same input again');
    }
    if (response === 'SHUTDOWN_APPLICATION') {
      this.config.logger.warn({}, 'SHUTDOWN_APPLICATION stops this instance only; other instances keep running');
    }
    await this.shutDownOnError();
  }

  /**
   * After a fatal error: releases everything and ends in `ERROR`. Runs detached from any caller of the public API
   * (a thread or the global updater failed), so it never rejects: a failure while releasing is logged, and the
   * client still ends in `ERROR` rather than the process dying of an unhandled rejection.
   */
  private shutDownOnError(): Promise<void> {
    if (this.shutdown === null) {
      this.lifecycle.tryMoveTo('PENDING_ERROR');
      this.shutdown = this.releaseResources(false)
        .catch((error: unknown) => this.config.logger.error({ error: describeError(error) }, 'releasing resources after a fatal error failed'))
        .finally(() => this.lifecycle.tryMoveTo('ERROR'));
    }
    return this.shutdown;
  }

  /** The user's state listener must not break a state change: what it throws is logged. */
  private notifyStateListener(next: StreamsState, previous: StreamsState): void {
    try {
      this.stateListener?.(next, previous);
    } catch (error) {
      this.config.logger.error({ error: describeError(error), from: previous, to: next }, 'state listener failed');
    }
  }

  /** A failure of the failure handling itself: nothing is left to report it to, so it is logged, never rethrown. */
  private logUnexpected(error: unknown): void {
    this.config.logger.error({ error: describeError(error) }, 'handling a fatal error failed');
  }

  /** The shutdown hook's close: a close that failed is an error, so the hook exits with code 1. */
  private async closeOnSignal(): Promise<void> {
    await this.close();
    if (!this.closedCleanly) throw new StreamsError('ILLEGAL_STATE', 'the client did not close cleanly');
  }

  private async releaseResources(clean: boolean): Promise<void> {
    try {
      await this.queries?.stop().catch((error: unknown) => this.config.logger.error({ error: describeError(error) }, 'stopping the query server failed'));
      this.queries = null;
      await this.thread?.stop(clean);
      await this.threads?.stop(clean);
    } finally {
      this.thread = null;
      this.threads = null;
      await this.global?.close().catch((error: unknown) => this.config.logger.error({ error: describeError(error) }, 'closing the global stores failed'));
      this.global = null;
      await this.admin?.disconnect().catch(() => undefined);
      this.admin = null;
      await this.instanceMetrics.close();
      this.stateDirectory.unlock();
    }
  }
}
