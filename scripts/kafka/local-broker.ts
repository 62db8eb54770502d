import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brokerLayout, selectedKafkaVersion, SHARED_BROKER, type BrokerLayout, type KafkaLine } from './broker-layout.js';
import { newClusterId, writeLoggingConfig, writeServerProperties, type SecuredListeners } from './broker-config.js';
import { makeBrokerTls, SASL_USER, scramFormatArguments, type BrokerTls } from './broker-security.js';
import { fetchBrokerJars } from './fetch-broker-jars.js';
import { acceptsConnections, freePort, isPortFree } from './ports.js';
import { isProcessOf, readStateFile, terminate } from './processes.js';
import { assertJavaAndMaven } from './prerequisites.js';
import { waitUntilServing, warmUp } from './warm-up.js';

export interface RunningBroker {
  pid: number;
  port: number;
  version: string;
  brokers: string;
  startedAtMs: number;
  /** The secured listeners of a broker started with `security`. */
  secured?: SecuredBroker;
}

/** Where a secured broker listens and how to get in: SASL (PLAIN or SCRAM-SHA-512) as `user`, or TLS trusting `caFile`. */
export interface SecuredBroker {
  saslBrokers: string;
  sslBrokers: string;
  caFile: string;
  user: { readonly username: string; readonly password: string };
}

type Log = (message: string) => void;

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

const readState = (layout: BrokerLayout) => readStateFile<RunningBroker>(layout.stateFile);

/** True when `pid` is alive and is the broker of this checkout (guards against a recycled pid). */
const isOurBroker = (pid: number, layout: BrokerLayout) => isProcessOf(pid, ['kafka.Kafka', layout.propertiesFile]);

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

function formatStorage(layout: BrokerLayout, loggingFlag: string, secured: boolean): Promise<void> {
  // With a static quorum (controller.quorum.voters) the storage is formatted without --standalone.
  const args = javaArgs(layout, loggingFlag, 'kafka.tools.StorageTool', [
    'format', '-t', newClusterId(), '-c', layout.propertiesFile, '--ignore-formatted', ...(secured ? scramFormatArguments() : []),
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

export interface BrokerOptions {
  /** The broker's folder under `.kafka/`: `broker` (the project's shared broker) unless a test runs one of its own. */
  readonly name?: string;
  /**
   * Start on the data of this broker's previous run (its cluster id, ports, topics, committed offsets and
   * transactions) instead of wiping it: a restart, as after a crash. Without previous data it starts fresh.
   */
  readonly keepData?: boolean;
  /**
   * Also listen with SASL_PLAINTEXT (PLAIN and SCRAM-SHA-512, user `SASL_USER`) and with TLS (a certificate signed by
   * a CA made for this broker), each on a port of its own, for tests of secured connections.
   */
  readonly security?: boolean;
}

function layoutOf(options: BrokerOptions): BrokerLayout {
  return brokerLayout(selectedKafkaVersion().version, undefined, options.name);
}

/** The ports written in an existing server.properties (secured ones too, if it has them), if there is one. */
function previousPorts(layout: BrokerLayout): { port: number; controllerPort: number; secured?: Omit<SecuredListeners, 'tls'> } | null {
  if (!existsSync(layout.propertiesFile) || !existsSync(layout.dataDir)) return null;
  const text = readFileSync(layout.propertiesFile, 'utf8');
  const portOf = (listener: string) => new RegExp(`(?<![A-Z_])${listener}://127\\.0\\.0\\.1:(\\d+)`).exec(text)?.[1];
  const [port, controllerPort, saslPort, sslPort] = ['PLAINTEXT', 'CONTROLLER', 'SASL_PLAINTEXT', 'SSL'].map(portOf);
  if (port === undefined || controllerPort === undefined) return null;
  const secured = saslPort === undefined || sslPort === undefined ? undefined : { saslPort: Number(saslPort), sslPort: Number(sslPort) };
  return { port: Number(port), controllerPort: Number(controllerPort), ...(secured === undefined ? {} : { secured }) };
}

/** Writes a fresh configuration and formats fresh storage; the shared broker takes 9092 when it is free. */
async function prepareFreshStorage(layout: BrokerLayout, line: KafkaLine, security: boolean): Promise<{ port: number; jvmFlag: string; secured?: SecuredBroker }> {
  rmSync(layout.brokerDir, { recursive: true, force: true });
  mkdirSync(layout.logsDir, { recursive: true });
  const port = layout.name === SHARED_BROKER && (await isPortFree(9092)) ? 9092 : await freePort();
  const controllerPort = await freePort();
  const secured = security ? { saslPort: await freePort(), sslPort: await freePort(), tls: makeBrokerTls(join(layout.brokerDir, 'security')) } : undefined;
  writeServerProperties(layout, port, controllerPort, secured);
  const { jvmFlag } = writeLoggingConfig(layout, line);
  await formatStorage(layout, jvmFlag, secured !== undefined);
  return { port, jvmFlag, ...(secured === undefined ? {} : { secured: securedBroker(secured) }) };
}

function securedBroker(listeners: Omit<SecuredListeners, 'tls'> & { readonly tls: Pick<BrokerTls, 'caFile'> }): SecuredBroker {
  return { saslBrokers: `127.0.0.1:${listeners.saslPort}`, sslBrokers: `127.0.0.1:${listeners.sslPort}`, caFile: listeners.tls.caFile, user: SASL_USER };
}

/**
 * Starts a local broker, or reuses it when it already runs. The data folder is wiped on every fresh start (these
 * brokers are for development and tests, and a clean log keeps runs independent) unless `keepData` asks for a
 * restart on the previous run's data: then the same ports and storage are used, and the warm-up is skipped (the
 * internal topics exist already).
 */
export async function startBroker(log: Log, options: BrokerOptions = {}): Promise<{ broker: RunningBroker; reused: boolean }> {
  const { version, line } = selectedKafkaVersion();
  const layout = layoutOf(options);
  const existing = await runningBroker(layout);
  if (existing && existing.version !== version) {
    throw new Error(`Kafka ${existing.version} is running (pid ${existing.pid}); run \`npm run kafka:stop\` before starting ${version}`);
  }
  if (existing && options.security === true && existing.secured === undefined) {
    throw new Error(`a broker without the secured listeners is running in ${layout.brokerDir} (pid ${existing.pid}); stop it before starting one with security`);
  }
  if (existing) return { broker: existing, reused: true };

  assertJavaAndMaven();
  fetchBrokerJars(layout, version, line, log);
  const startedAtMs = Date.now();
  const kept = options.keepData === true ? previousPorts(layout) : null;
  if (kept !== null) {
    for (const p of [kept.port, kept.controllerPort, ...(kept.secured === undefined ? [] : [kept.secured.saslPort, kept.secured.sslPort])]) if (!(await isPortFree(p))) throw new Error(`port ${p} of the broker in ${layout.brokerDir} is taken`);
    log(`restarting the broker in ${layout.brokerDir} on its data (port ${kept.port})`);
  }
  const { port, jvmFlag, secured } =
    kept === null
      ? await prepareFreshStorage(layout, line, options.security === true)
      : { port: kept.port, jvmFlag: writeLoggingConfig(layout, line).jvmFlag, secured: kept.secured && securedBroker({ ...kept.secured, tls: { caFile: join(layout.brokerDir, 'security', 'ca.pem') } }) };

  const out = openSync(join(layout.logsDir, 'stdout.log'), 'a');
  const child = spawn('java', javaArgs(layout, jvmFlag, 'kafka.Kafka', [layout.propertiesFile]), {
    detached: true,
    stdio: ['ignore', out, out],
  });
  child.unref();
  if (child.pid === undefined) throw new Error('could not start java for the Kafka broker');
  const broker: RunningBroker = { pid: child.pid, port, version, brokers: `127.0.0.1:${port}`, startedAtMs, ...(secured === undefined ? {} : { secured }) };
  try {
    await waitUntilServing(broker.brokers, START_TIMEOUT_MS);
    if (kept === null) await warmUp(broker.brokers);
  } catch (error) {
    await terminate(child.pid, STOP_TIMEOUT_MS);
    throw new Error(`${(error as Error).message}; see ${layout.logsDir}/server.log`);
  }
  writeFileSync(layout.stateFile, JSON.stringify(broker, null, 2));
  return { broker, reused: false };
}

/** The pid of the broker in the folder `options.name` if it runs; its stale state file is removed otherwise. */
function ourPid(layout: BrokerLayout): number | null {
  const state = readState(layout);
  if (state && isOurBroker(state.pid, layout)) return state.pid;
  rmSync(layout.stateFile, { force: true });
  return null;
}

/** Stops only the broker this checkout started in that folder, found by its recorded pid. */
export async function stopBroker(options: BrokerOptions = {}): Promise<'stopped' | 'killed' | 'not-running'> {
  const layout = layoutOf(options);
  const pid = ourPid(layout);
  if (pid === null) return 'not-running';
  const how = await terminate(pid, STOP_TIMEOUT_MS);
  rmSync(layout.stateFile, { force: true });
  return how;
}

/** SIGKILLs the broker (a crash: no controlled shutdown, nothing flushed) and waits until the process is gone. */
export async function killBroker(options: BrokerOptions = {}): Promise<'killed' | 'not-running'> {
  const layout = layoutOf(options);
  const pid = ourPid(layout);
  if (pid === null) return 'not-running';
  process.kill(pid, 'SIGKILL');
  while (isOurBroker(pid, layout)) await new Promise((r) => setTimeout(r, 50));
  rmSync(layout.stateFile, { force: true });
  return 'killed';
}

/** Stops the broker (SIGTERM, or SIGKILL with `kill`) and starts it again on the same data and ports. */
export async function restartBroker(log: Log, options: BrokerOptions & { readonly kill?: boolean } = {}): Promise<RunningBroker> {
  const how = options.kill === true ? await killBroker(options) : await stopBroker(options);
  log(`broker ${how}`);
  return (await startBroker(log, { ...options, keepData: true })).broker;
}

/** Stops a broker of its own that a test started, and deletes its folder. The shared broker is never removed. */
export async function removeBroker(options: BrokerOptions & { readonly name: string }): Promise<void> {
  if (options.name === SHARED_BROKER) throw new Error('the shared broker is never removed: use `npm run kafka:stop`');
  await stopBroker(options);
  rmSync(layoutOf(options).brokerDir, { recursive: true, force: true });
}
