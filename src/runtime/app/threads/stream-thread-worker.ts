import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { describeError } from '../../../core/errors.js';
import { parseTaskId } from '../../assignment/task-id.js';
import type { KafkaAdmin } from '../../client/kafka-client.js';
import { defaultClient } from '../default-client.js';
import { StreamThread } from '../stream-thread.js';
import { resolveStreamsConfig } from '../streams-config.js';
import { taskRuntimeMetricsOf, type TaskRuntimeMetrics } from '../streams-metrics.js';
import { TaskDirectoryLocks } from './task-directory-locks.js';
import { ThreadStateDirectory, type OpenTask } from './thread-state-directory.js';
import { workerLogger } from './thread-logger.js';
import { threadFailureOf, type MainMessage, type ThreadWorkerData, type WorkerMessage } from './thread-protocol.js';
import { loadTopology } from './topology-module.js';
import { relayingRestoreListener } from './relayed-restore-listener.js';

/** How often a worker tells the main thread its queryable tasks and counters (also at once when it runs). */
const REPORT_INTERVAL_MS = 250;
/** How often a worker looks for task databases it closed, to release their locks. */
const RELEASE_INTERVAL_MS = 10;

/**
 * One stream thread in a worker: builds the topology from its module, connects its own client (client id
 * `<clientId>-StreamThread-<n>`) and runs a `StreamThread` as a group member of its own over the process's state
 * directory, reporting its state, tasks and failures to the main thread until told to stop.
 */
async function runWorker(port: MessagePort, data: ThreadWorkerData): Promise<void> {
  const post = (message: WorkerMessage) => port.postMessage(message);
  // The stream thread binds its name to its own lines; the worker's other lines get it here.
  const threadLogger = workerLogger(post, new Set(data.logLevels));
  const logger = threadLogger.child({ thread: `StreamThread-${data.thread}` });
  const config = resolveStreamsConfig({ ...data.config, clientId: data.clientId, logger: threadLogger });
  const topology = (await loadTopology(data.topology)).build();
  const statefulSubtopologies = new Set(topology.subtopologies.filter((s) => s.storeNames.length > 0).map((s) => s.id));
  const client = defaultClient(config.client, {
    bootstrapServers: config.bootstrapServers,
    clientId: config.clientId,
    ...(config.ssl === undefined ? {} : { ssl: config.ssl }),
    ...(config.sasl === undefined ? {} : { sasl: config.sasl }),
    logger,
  });
  const admin: KafkaAdmin = client.admin();
  await admin.connect();
  const directory: ThreadStateDirectory = new ThreadStateDirectory(config.stateDir, config.applicationId, new TaskDirectoryLocks(`${config.stateDir}/${config.applicationId}`, data.thread, data.lockSignal), {
    stateful: (taskId) => statefulSubtopologies.has(parseTaskId(taskId).subtopology),
    // Called only once the thread runs tasks, after `thread` below is set.
    openTasks: (): readonly OpenTask[] => thread.taskManager().allTasks(),
    lockTimeoutMs: Math.max(1_000, Math.floor(config.sessionTimeoutMs / 2)),
  }, logger);
  const report = () => post(taskReport(thread));
  const restoreRelay = relayingRestoreListener((call) => post({ type: 'restore', call }));
  const thread: StreamThread = new StreamThread({
    config,
    topology,
    client,
    admin,
    stateDirectory: directory,
    subtopologyTopics: data.subtopologyTopics,
    partitionCounts: data.partitionCounts,
    globalStores: new Map(),
    threadIndex: data.thread,
    ...(data.relayRestore ? { restoreListener: () => restoreRelay } : {}),
    listener: {
      rebalancing: () => post({ type: 'state', state: 'rebalancing' }),
      running: () => {
        report();
        post({ type: 'state', state: 'running' });
      },
    },
  });
  void thread.failure().then((error) => post({ type: 'failed', failure: threadFailureOf(error, thread.committedOnce) }));
  const timers = [setInterval(report, REPORT_INTERVAL_MS), setInterval(() => directory.releaseClosed(), RELEASE_INTERVAL_MS)];
  port.on('message', (message: MainMessage) => {
    if (message.type !== 'stop') return;
    const stopping = thread.stop(message.clean).catch((error: unknown) => {
      logger.error({ error: describeError(error) }, 'stopping the stream thread failed');
      post({ type: 'failed', failure: threadFailureOf(error, thread.committedOnce) });
    });
    void stopping.finally(async () => {
      for (const timer of timers) clearInterval(timer);
      await admin.disconnect().catch(() => undefined);
      directory.releaseAll();
      report();
      post({ type: 'stopped' });
      port.close();
    });
  });
  await thread.start();
  post({ type: 'started' });
}

function taskReport(thread: StreamThread): WorkerMessage {
  const manager = thread.taskManager();
  const metrics = new Map<string, TaskRuntimeMetrics>();
  for (const task of manager.allTasks()) metrics.set(task.id, taskRuntimeMetricsOf(task, { rebuilds: manager.rebuildCount(task.id), damagedStateDeletions: manager.damagedStateCount(task.id) }));
  const queryable = manager.allTasks().filter((task) => task.state === 'running' || task.state === 'suspended').map((task) => task.id);
  return { type: 'tasks', queryable, metrics, thread: thread.metricsSnapshot() };
}

const port = parentPort!;
runWorker(port, workerData as ThreadWorkerData).catch((error: unknown) => {
  port.postMessage({ type: 'failed', failure: threadFailureOf(error, false) } satisfies WorkerMessage);
});
