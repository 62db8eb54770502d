import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brokerLayout, selectedKafkaVersion, type BrokerLayout } from './broker-layout.js';
import { newClusterId, writeLoggingConfig, writeServerProperties } from './broker-config.js';
import { fetchBrokerJars } from './fetch-broker-jars.js';
import { acceptsConnections, freePort, isPortFree } from './ports.js';
import { assertJavaAndMaven } from './prerequisites.js';
import { waitUntilServing, warmUp } from './warm-up.js';

export interface RunningBroker {
  pid: number;
  port: number;
  version: string;
  brokers: string;
  startedAtMs: number;
}

type Log = (message: string) => void;

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

function readState(layout: BrokerLayout): RunningBroker | null {
  if (!existsSync(layout.stateFile)) return null;
  try {
    return JSON.parse(readFileSync(layout.stateFile, 'utf8')) as RunningBroker;
  } catch {
    return null;
  }
}

/** True when `pid` is alive and is the broker of this checkout (guards against a recycled pid). */
function isOurBroker(pid: number, layout: BrokerLayout): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync(cmdline)) return true;
  const args = readFileSync(cmdline, 'utf8');
  return args.includes('kafka.Kafka') && args.includes(layout.propertiesFile);
}

/** The broker this checkout started, if it still runs and serves. */
export async function runningBroker(layout = brokerLayout(selectedKafkaVersion().version)): Promise<RunningBroker | null> {
  const state = readState(layout);
  if (!state || !isOurBroker(state.pid, layout)) return null;
  return (await acceptsConnections(state.port)) ? state : null;
}

function javaArgs(layout: BrokerLayout, loggingFlag: string, mainClass: string, args: string[]): string[] {
  return [
    '-Xms256m',
    '-Xmx512m',
    '-Djava.awt.headless=true',
    `-Dkafka.logs.dir=${layout.logsDir}`,
    loggingFlag,
    '-cp',
    join(layout.jarsDir, '*'),
    mainClass,
    ...args,
  ];
}

function formatStorage(layout: BrokerLayout, loggingFlag: string): Promise<void> {
  // With a static quorum (controller.quorum.voters) the storage is formatted without --standalone.
  const args = javaArgs(layout, loggingFlag, 'kafka.tools.StorageTool', [
    'format', '-t', newClusterId(), '-c', layout.propertiesFile, '--ignore-formatted',
  ]);
  return new Promise((resolve, reject) => {
    const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`formatting KRaft storage failed (exit ${code}): ${output.trim()}`))));
  });
}

/**
 * Starts the project's broker, or reuses it when it already runs. The data folder is wiped on every fresh start:
 * this broker is for development and tests, and a clean log keeps runs independent.
 */
export async function startBroker(log: Log): Promise<{ broker: RunningBroker; reused: boolean }> {
  const { version, line } = selectedKafkaVersion();
  const layout = brokerLayout(version);
  const existing = await runningBroker(layout);
  if (existing && existing.version !== version) {
    throw new Error(`Kafka ${existing.version} is running (pid ${existing.pid}); run \`npm run kafka:stop\` before starting ${version}`);
  }
  if (existing) return { broker: existing, reused: true };

  assertJavaAndMaven();
  fetchBrokerJars(layout, version, line, log);
  const startedAtMs = Date.now();
  rmSync(layout.brokerDir, { recursive: true, force: true });
  mkdirSync(layout.logsDir, { recursive: true });
  const port = (await isPortFree(9092)) ? 9092 : await freePort();
  const controllerPort = await freePort();
  writeServerProperties(layout, port, controllerPort);
  const { jvmFlag } = writeLoggingConfig(layout, line);
  await formatStorage(layout, jvmFlag);

  const out = openSync(join(layout.logsDir, 'stdout.log'), 'a');
  const child = spawn('java', javaArgs(layout, jvmFlag, 'kafka.Kafka', [layout.propertiesFile]), {
    detached: true,
    stdio: ['ignore', out, out],
  });
  child.unref();
  if (child.pid === undefined) throw new Error('could not start java for the Kafka broker');
  const broker: RunningBroker = { pid: child.pid, port, version, brokers: `127.0.0.1:${port}`, startedAtMs };
  try {
    await waitUntilServing(broker.brokers, START_TIMEOUT_MS);
    await warmUp(broker.brokers);
  } catch (error) {
    await terminate(child.pid);
    throw new Error(`${(error as Error).message}; see ${layout.logsDir}/server.log`);
  }
  writeFileSync(layout.stateFile, JSON.stringify(broker, null, 2));
  return { broker, reused: false };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM for a controlled shutdown; SIGKILL only when it does not end in time. */
async function terminate(pid: number): Promise<'stopped' | 'killed'> {
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!alive(pid)) return 'stopped';
    await new Promise((r) => setTimeout(r, 200));
  }
  process.kill(pid, 'SIGKILL');
  return 'killed';
}

/** Stops only the broker this checkout started, found by its recorded pid. */
export async function stopBroker(): Promise<'stopped' | 'killed' | 'not-running'> {
  const layout = brokerLayout(selectedKafkaVersion().version);
  const state = readState(layout);
  if (!state || !isOurBroker(state.pid, layout)) {
    rmSync(layout.stateFile, { force: true });
    return 'not-running';
  }
  const how = await terminate(state.pid);
  rmSync(layout.stateFile, { force: true });
  return how;
}
