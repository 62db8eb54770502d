import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { runningBroker } from '../kafka/local-broker.js';
import { freePort } from '../kafka/ports.js';
import { assertJavaAndMaven } from '../kafka/prerequisites.js';
import { alive, isProcessOf, readStateFile, terminate } from '../kafka/processes.js';
import { cdcLayout, DEMO, type CdcLayout } from './cdc-layout.js';
import { writeConnectConfig } from './connect-config.js';
import { fetchConnectJars } from './fetch-connect-jars.js';
import { clusterRuns, initCluster, postgresServerBin, psql, startCluster, stopCluster } from './postgres-server.js';

export interface RunningCdc {
  readonly connectPid: number;
  readonly pgPort: number;
  readonly restPort: number;
  readonly brokers: string;
  /** `postgresql://postgres@127.0.0.1:<port>/demo` */
  readonly pgUrl: string;
  readonly connectUrl: string;
  readonly topicPrefix: string;
  readonly startedAtMs: number;
}

type Log = (message: string) => void;

const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;

const readState = (layout: CdcLayout) => readStateFile<RunningCdc>(layout.stateFile);

/** True when `pid` is alive and is the Connect worker of this state folder (guards against a recycled pid). */
const isOurConnect = (pid: number, layout: CdcLayout) => isProcessOf(pid, ['ConnectStandalone', layout.workerProperties]);

/** The stack this checkout started, if Postgres runs and its Connect worker is alive and answers. */
export async function runningCdc(layout = cdcLayout()): Promise<RunningCdc | null> {
  const state = readState(layout);
  if (!state || !isOurConnect(state.connectPid, layout) || !clusterRuns(layout)) return null;
  const answers = await fetch(`${state.connectUrl}/connectors`).then((r) => r.ok, () => false);
  return answers ? state : null;
}

/** The broker Connect writes to: the one given, else `KAFKA_BROKERS`, else the project's running local broker. */
async function brokersToUse(given: string | undefined): Promise<string> {
  const fromEnv = given ?? process.env.KAFKA_BROKERS?.trim();
  if (fromEnv) return fromEnv;
  const broker = await runningBroker();
  if (!broker) throw new Error('the CDC stack writes to a Kafka broker: run `npm run kafka:start` first, or set KAFKA_BROKERS');
  return broker.brokers;
}

/** A fresh cluster starts a fresh snapshot: old `<prefix>.*` topics would put it after the last run's events. */
async function deletePrefixTopics(brokers: string, prefix: string): Promise<void> {
  const admin = new Kafka({ clientId: 'kstreams-cdc-script', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(`${prefix}.`));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

function slotActive(pgPort: number): boolean {
  return psql(pgPort, 'postgres', `select count(*) from pg_replication_slots where slot_name = '${DEMO.slot}' and active`) === '1';
}

function logTail(file: string, lines = 30): string {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '(no log)';
}

/**
 * Ready means streaming: the connector's task reports RUNNING in the REST API seconds before Debezium has opened
 * its replication stream, and changes made in between would only come with the snapshot.
 */
async function waitUntilStreaming(layout: CdcLayout, connectPid: number, pgPort: number): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!alive(connectPid)) throw new Error(`Kafka Connect exited while starting:\n${logTail(layout.connectLog)}\n${logTail(layout.connectOut, 10)}`);
    if (slotActive(pgPort)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Debezium did not start streaming within ${READY_TIMEOUT_MS} ms:\n${logTail(layout.connectLog)}`);
}

function spawnConnect(layout: CdcLayout): number {
  const out = openSync(layout.connectOut, 'a');
  const args = ['-Xms64m', '-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Djava.awt.headless=true', `-Dlog4j2.configurationFile=${layout.loggingConfig}`];
  const child = spawn('java', [...args, '-cp', `${layout.connectJarsDir}/*`, 'org.apache.kafka.connect.cli.ConnectStandalone', layout.workerProperties, layout.connectorProperties], {
    detached: true,
    stdio: ['ignore', out, out],
  });
  child.unref();
  if (child.pid === undefined) throw new Error('could not start java for Kafka Connect');
  return child.pid;
}

/**
 * Starts Postgres (a fresh cluster with the `demo` database) and Kafka Connect with Debezium's connector on it,
 * or reuses the stack when it already runs. Every fresh start wipes the state folder and the `cdc.*` topics: the
 * cluster, the connector's offsets and the topics belong together.
 */
export async function startCdc(log: Log, options: { readonly brokers?: string; readonly layout?: CdcLayout } = {}): Promise<{ cdc: RunningCdc; reused: boolean }> {
  const layout = options.layout ?? cdcLayout();
  const existing = await runningCdc(layout);
  if (existing) return { cdc: existing, reused: true };
  const brokers = await brokersToUse(options.brokers);
  assertJavaAndMaven();
  const bin = postgresServerBin(log);
  fetchConnectJars(layout, log);
  await stopCdc(layout);
  const startedAtMs = Date.now();
  rmSync(layout.stateDir, { recursive: true, force: true });
  const [pgPort, restPort] = [await freePort(), await freePort()];
  initCluster(bin, layout, pgPort);
  startCluster(bin, layout);
  psql(pgPort, 'postgres', `create database ${DEMO.database}`);
  await deletePrefixTopics(brokers, DEMO.topicPrefix);
  log(`Postgres ${pgPort} ready in ${((Date.now() - startedAtMs) / 1000).toFixed(1)} s; starting Kafka Connect`);
  writeConnectConfig(layout, brokers, restPort, pgPort);
  const connectPid = spawnConnect(layout);
  const cdc: RunningCdc = {
    connectPid,
    pgPort,
    restPort,
    brokers,
    pgUrl: `postgresql://postgres@127.0.0.1:${pgPort}/${DEMO.database}`,
    connectUrl: `http://127.0.0.1:${restPort}`,
    topicPrefix: DEMO.topicPrefix,
    startedAtMs,
  };
  try {
    await waitUntilStreaming(layout, connectPid, pgPort);
  } catch (error) {
    await stopCdc(layout, cdc);
    throw error;
  }
  writeFileSync(layout.stateFile, JSON.stringify(cdc, null, 2));
  return { cdc, reused: false };
}

/**
 * Stops this checkout's stack: Connect first (it releases the replication slot), then Postgres. Only the recorded
 * pid is signalled, after checking its command line; a second stop finds nothing and does nothing.
 */
export async function stopCdc(layout = cdcLayout(), state = readState(layout)): Promise<'stopped' | 'not-running'> {
  let stopped = false;
  if (state && isOurConnect(state.connectPid, layout)) {
    // SIGTERM lets Connect flush its offsets; SIGKILL only after STOP_TIMEOUT_MS.
    await terminate(state.connectPid, STOP_TIMEOUT_MS);
    stopped = true;
  }
  if (stopCluster(layout)) stopped = true;
  rmSync(layout.stateFile, { force: true });
  return stopped ? 'stopped' : 'not-running';
}
