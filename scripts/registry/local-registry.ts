import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { freePort, isPortFree } from '../kafka/ports.js';
import { assertJavaAndMaven } from '../kafka/prerequisites.js';
import { alive, isProcessOf, readStateFile, terminate } from '../kafka/processes.js';
import { fetchRegistry } from './fetch-registry.js';
import { CCOMPAT_PATH, registryLayout, type RegistryLayout } from './registry-layout.js';

export interface RunningRegistry {
  readonly pid: number;
  readonly port: number;
  readonly version: string;
  /** The Confluent-compatible API, what `SCHEMA_REGISTRY_URL` holds: `http://127.0.0.1:<port>/apis/ccompat/v7`. */
  readonly url: string;
  readonly startedAtMs: number;
}

type Log = (message: string) => void;

const DEFAULT_PORT = 8081;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
const HOW_ELSE = 'Or point kstreams at a running Confluent-compatible registry: `export SCHEMA_REGISTRY_URL=http://host:port`.';

/**
 * The JVM settings measured in notes/real-components.md: the serial collector and C1 only start it in about 3 s
 * with 150–160 MB resident; in-memory storage (the default) needs no database. Apicurio's default compatibility is
 * NONE, Confluent's is BACKWARD: set to BACKWARD so that an incompatible schema is refused as it would be there.
 */
function javaArgs(layout: RegistryLayout, port: number): string[] {
  return [
    '-Xms64m',
    '-Xmx512m',
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-Djava.awt.headless=true',
    '-Dquarkus.http.host=127.0.0.1',
    `-Dquarkus.http.port=${port}`,
    '-Dregistry.rules.global.compatibility=BACKWARD',
    '-jar',
    layout.runnerJar,
  ];
}

function readState(layout: RegistryLayout): RunningRegistry | null {
  return readStateFile<RunningRegistry>(layout.stateFile);
}

/** True when `pid` is alive and runs this checkout's registry jar (guards against a recycled pid). */
function isOurRegistry(pid: number, layout: RegistryLayout): boolean {
  return isProcessOf(pid, [layout.runnerJar]);
}

/** Whether the Confluent-compatible API answers a subject listing (the registry's port opens before it serves). */
export async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(2000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** The registry this checkout started, if it still runs and answers. */
export async function runningRegistry(layout = registryLayout()): Promise<RunningRegistry | null> {
  const state = readState(layout);
  if (!state || !isOurRegistry(state.pid, layout)) return null;
  return (await answers(state.url)) ? state : null;
}

async function waitUntilAnswering(url: string, pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await answers(url)) return;
    if (!alive(pid)) throw new Error('the registry exited while starting');
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the registry at ${url} did not answer within ${timeoutMs} ms`);
}

function logTail(layout: RegistryLayout, lines = 20): string {
  if (!existsSync(layout.logFile)) return '';
  return readFileSync(layout.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Starts the local registry (fetching it first if it is not cached), or reuses the one this checkout runs. It
 * takes port 8081 when that is free, else a port the OS hands out. Its storage is in memory: every start begins
 * with no schemas, and ids start at 1 again.
 */
export async function startRegistry(log: Log, layout = registryLayout()): Promise<{ registry: RunningRegistry; reused: boolean }> {
  const existing = await runningRegistry(layout);
  if (existing) return { registry: existing, reused: true };

  assertJavaAndMaven('The local schema registry', HOW_ELSE);
  fetchRegistry(layout, log);
  const startedAtMs = Date.now();
  const port = (await isPortFree(DEFAULT_PORT)) ? DEFAULT_PORT : await freePort();
  mkdirSync(layout.registryDir, { recursive: true });
  const out = openSync(layout.logFile, 'w');
  const child = spawn('java', javaArgs(layout, port), { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  if (child.pid === undefined) throw new Error('could not start java for the schema registry');
  const registry: RunningRegistry = { pid: child.pid, port, version: layout.version, url: `http://127.0.0.1:${port}${CCOMPAT_PATH}`, startedAtMs };
  try {
    await waitUntilAnswering(registry.url, child.pid, START_TIMEOUT_MS);
  } catch (error) {
    if (alive(child.pid)) await terminate(child.pid, STOP_TIMEOUT_MS);
    throw new Error(`${(error as Error).message}; the end of ${layout.logFile}:\n${logTail(layout)}`);
  }
  writeFileSync(layout.stateFile, JSON.stringify(registry, null, 2));
  return { registry, reused: false };
}

/** Stops only the registry this checkout started, found by its recorded pid; a stale state file is removed. */
export async function stopRegistry(layout = registryLayout()): Promise<'stopped' | 'killed' | 'not-running'> {
  const state = readState(layout);
  const how = state && isOurRegistry(state.pid, layout) ? await terminate(state.pid, STOP_TIMEOUT_MS) : 'not-running';
  rmSync(layout.stateFile, { force: true });
  return how;
}

/**
 * The registry a run of tests or scripts uses: the one in `SCHEMA_REGISTRY_URL` when set (checked to answer),
 * otherwise the local one, started if needed. `release` stops it only if this call started it.
 */
export async function registryInUse(log: Log, env: NodeJS.ProcessEnv = process.env): Promise<{ url: string; release: () => Promise<void> }> {
  const given = env.SCHEMA_REGISTRY_URL?.replace(/\/+$/, '');
  if (given) {
    if (!(await answers(given))) throw new Error(`SCHEMA_REGISTRY_URL=${given} does not answer GET ${given}/subjects`);
    log(`using SCHEMA_REGISTRY_URL=${given}`);
    return { url: given, release: async () => undefined };
  }
  const { registry, reused } = await startRegistry(log);
  log(`${reused ? 'reusing the running' : 'started the'} local Apicurio Registry ${registry.version} at ${registry.url}`);
  return { url: registry.url, release: async () => (reused ? undefined : log(`stopping the registry this run started: ${await stopRegistry()}`)) };
}
