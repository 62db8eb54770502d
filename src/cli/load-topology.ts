import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Tsx from 'tsx/esm/api';
import { describeError } from '../core/errors.js';
import type { Topology } from '../topology/topology.js';

/** A failure the CLI reports as one line on stderr. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

/** The parts of a `Topology` the CLI uses; checked by shape, since the user's module may load its own copy of kstreams. */
type TopologyLike = Pick<Topology, 'describe' | 'build' | 'addSource'>;

/**
 * Loads a user's `.ts` or `.js` module and finds its topology: the default export or a `topology` export, each of
 * which may be a `Topology`, a function (sync or async) returning one, or a `StreamsBuilder`-like object whose
 * `build()` returns one.
 */
export async function loadTopology(modulePath: string): Promise<TopologyLike> {
  return topologyOf(modulePath, await importModule(modulePath));
}

/** A module's topology (as `loadTopology` finds it) and its `config` export, for `kstreams run`. */
export async function loadApplication(modulePath: string): Promise<{ topology: TopologyLike; config: unknown }> {
  const exports = await importModule(modulePath);
  const topology = await topologyOf(modulePath, exports);
  const config = typeof exports.config === 'function' ? await (exports.config as () => unknown)() : exports.config;
  return { topology, config };
}

async function importModule(modulePath: string): Promise<ModuleExports> {
  const absolutePath = resolve(modulePath);
  if (!existsSync(absolutePath)) throw new CliError(`cannot load ${modulePath}: no such file`);
  const url = pathToFileURL(absolutePath).href;
  const tsx = await loadTsx();
  let exports: ModuleExports;
  try {
    exports = (await (tsx ? tsx.tsImport(url, import.meta.url) : import(url))) as ModuleExports;
  } catch (error) {
    const hint = !tsx && TYPESCRIPT_MODULE.test(absolutePath) ? ' (loading a TypeScript module needs tsx: npm install --save-dev tsx)' : '';
    throw new CliError(`cannot load ${modulePath}: ${firstLineOf(error)}${hint}`);
  }
  return exports;
}

async function topologyOf(modulePath: string, exports: ModuleExports): Promise<TopologyLike> {
  const candidate = exports.default ?? exports.topology;
  if (candidate === undefined) {
    throw new CliError(`${modulePath} exports no topology: export a Topology, a function returning one, or a StreamsBuilder as default or as "topology"`);
  }
  let topology: unknown;
  try {
    topology = await resolveTopology(candidate);
  } catch (error) {
    throw new CliError(`building the topology of ${modulePath} failed: ${firstLineOf(error)}`);
  }
  if (!isTopology(topology)) throw new CliError(`${modulePath} exports something that is not a Topology and does not build one`);
  return topology;
}

type ModuleExports = { readonly [name: string]: unknown };

const TYPESCRIPT_MODULE = /\.[cm]?tsx?$/;

/**
 * tsx when it is installed: it loads .ts and .js modules alike. It is an optional peer dependency, so that a
 * service embedding kstreams does not ship esbuild; without it Node loads the module itself (.js, and .ts where
 * Node strips types).
 */
async function loadTsx(): Promise<typeof Tsx | undefined> {
  try {
    return await import('tsx/esm/api');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

async function resolveTopology(candidate: unknown): Promise<unknown> {
  const value = typeof candidate === 'function' ? await (candidate as () => unknown)() : candidate;
  if (isTopology(value) || !hasBuild(value)) return value;
  return await value.build();
}

function isTopology(value: unknown): value is TopologyLike {
  return hasBuild(value) && typeof (value as TopologyLike).describe === 'function' && typeof (value as TopologyLike).addSource === 'function';
}

function hasBuild(value: unknown): value is { build(): unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { build?: unknown }).build === 'function';
}

/** The CLI reports a failure on one line; a loader's error may run over several. */
function firstLineOf(error: unknown): string {
  return describeError(error).split('\n')[0]!;
}
