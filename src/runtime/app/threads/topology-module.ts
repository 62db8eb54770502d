import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, StreamsError } from '../../../core/errors.js';
import type { Topology } from '../../../topology/topology.js';

/**
 * Where each stream thread gets its topology when they run in worker threads (`numStreamThreads > 1`): a worker
 * cannot be handed a `Topology`, whose processors, serdes and extractors are functions, so every worker imports
 * `module` and calls its export `export(...args)` to build the same topology. The main thread does the same at
 * `start()`, for the topic set-up and the store names.
 */
export interface TopologyModule {
  /** The module's URL (`new URL('./topology.js', import.meta.url).href`) or absolute path. */
  readonly module: string;
  /** The exported function that returns the `Topology` (or a promise of it); defaults to `'default'`. */
  readonly export?: string;
  /** Arguments the function is called with, in every thread; plain data (structured-cloneable). */
  readonly args?: readonly unknown[];
}

/** Whether the first argument of `KafkaStreams` names a topology module rather than being a `Topology`. */
export function isTopologyModule(value: unknown): value is TopologyModule {
  return typeof value === 'object' && value !== null && typeof (value as { module?: unknown }).module === 'string' && typeof (value as { build?: unknown }).build !== 'function';
}

/** Checks the shape once, on the main thread, so that a mistake is a `ConfigError` there and not in every worker. */
export function checkTopologyModule(source: TopologyModule): TopologyModule {
  const url = moduleUrl(source.module);
  if (source.export !== undefined && (typeof source.export !== 'string' || source.export.length === 0)) {
    throw new ConfigError('export', `of the topology module must be the name of an exported function, got ${JSON.stringify(source.export)}`);
  }
  const args = source.args ?? [];
  if (!Array.isArray(args)) throw new ConfigError('args', 'of the topology module must be an array');
  try {
    structuredClone(args);
  } catch (cause) {
    throw new ConfigError('args', `of the topology module must be plain data that worker threads can receive: ${(cause as Error).message}`);
  }
  return { module: url, export: source.export ?? 'default', args };
}

/** Imports the module and builds its topology; any failure names the module and export. */
export async function loadTopology(source: TopologyModule): Promise<Topology> {
  const name = source.export ?? 'default';
  const where = `${name} of topology module ${source.module}`;
  let exported: unknown;
  try {
    exported = ((await import(moduleUrl(source.module))) as Record<string, unknown>)[name];
  } catch (cause) {
    throw new StreamsError('TOPOLOGY_INVALID', `cannot import topology module ${source.module}`, { cause });
  }
  if (typeof exported !== 'function') throw new StreamsError('TOPOLOGY_INVALID', `${where} is not an exported function (found ${typeof exported})`);
  const topology: unknown = await (exported as (...args: unknown[]) => unknown)(...(source.args ?? []));
  // Duck-typed: the module may import kstreams through another path than ours (dist/ against src/).
  if (typeof topology !== 'object' || topology === null || typeof (topology as Topology).build !== 'function') {
    throw new StreamsError('TOPOLOGY_INVALID', `${where} must return a Topology (builder.build()), got ${topology === null ? 'null' : typeof topology}`);
  }
  return topology as Topology;
}

function moduleUrl(module: string): string {
  if (typeof module !== 'string' || module.length === 0) throw new ConfigError('module', 'of the topology module must be a URL or an absolute path');
  if (isAbsolute(module)) return pathToFileURL(module).href;
  try {
    return new URL(module).href;
  } catch {
    throw new ConfigError('module', `of the topology module must be a URL or an absolute path (relative paths have no base in a worker), got ${JSON.stringify(module)}`);
  }
}
